"""Bookings stored in batches: the outcome of upserting them one after another, in a fixed number
of queries per batch instead of several per passenger.

A batch is read in three queries (its bookings, locked; their passengers; every address it
names) and planned in memory one passenger at a time, by the rules of a booking upsert: a
passenger stays the person they were; a new passenger is whoever has one of their addresses,
else a new person; an address another person has makes that person the same one as the
passenger (a merge); a booking's opt-in never overrides the person's own STOP. The plan is then
written with bulk statements. core.services.bookings_upsert runs a batch in a transaction and
does what needs other services (merging people, locking trips).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from core.models import Booking, ConsentRecord, ContactPoint, Customer, Passenger, Segment, Trip
from core.rollout import EVERYONE, BookingRoute, Offer, booking_offers

WRITE_BATCH = 1000  # rows per INSERT/UPDATE statement: well within PostgreSQL's parameter limit


@dataclass
class ContactIn:
    channel: str
    address: str  # already normalised (E.164 for WhatsApp)
    opt_in: bool = False
    # When the person gave that consent (e.g. ticked the box while booking), if the booking says.
    opt_in_at: datetime | None = None


@dataclass
class PassengerIn:
    pax_id: str
    given_name: str
    family_name: str
    language: str
    formality: str
    contacts: list[ContactIn] = field(default_factory=list)


@dataclass
class SegmentIn:
    service: str
    local_date: date
    origin: str
    destination: str
    scheduled_departure: datetime
    scheduled_arrival: datetime
    passengers: list[str] = field(default_factory=list)

    @property
    def trip_key(self) -> tuple[str, date]:
        return (self.service, self.local_date)


@dataclass
class BookingData:
    reference: str
    passengers: list[PassengerIn]
    segments: list[SegmentIn] = field(default_factory=list)
    check_in_url: str = ""


@dataclass
class StoredSegment:
    """A segment as its batch wrote it: its trip (the row the batch locked) and passengers."""

    segment: Segment
    trip: Trip
    passengers: list[Passenger]  # by pax id


@dataclass
class StoredBooking:
    """A booking as its batch stored it, so what follows the write (the answer, the timeline,
    the rollout's routes) is built from it instead of being read back."""

    booking: Booking
    created: bool
    data: BookingData
    segments: list[StoredSegment] = field(default_factory=list)  # in position order
    offer: Offer = EVERYONE  # its place in the staged rollout (core.rollout), once stored
    # Whether a confirmation may go out: a passenger's person has an address opted in, or is
    # someone stored before (who may have addresses this batch did not name).
    reachable: bool = True
    # The people this batch made (and nobody stored merged into): nothing was scheduled for
    # them before, so the timeline need not look.
    new_people: frozenset[int] = frozenset()

    @property
    def route(self) -> BookingRoute | None:
        """The staged rollout's route: the first segment's trip."""
        if not self.segments:
            return None
        trip, booking = self.segments[0].trip, self.booking
        return BookingRoute(
            booking.reference, trip.service, trip.origin, trip.destination, booking.created_at
        )


def stored_last(stored: list[StoredBooking]) -> dict[int, StoredBooking]:
    """Each booking's last copy (a reference that comes again replaces what came before)."""
    return {s.booking.pk: s for s in stored}


def stored_offers(stored: list[StoredBooking]) -> None:
    """Set each booking's rollout offer, decided by its route as stored (one query)."""
    last = stored_last(stored)
    offers = booking_offers(list(last), {pk: s.route for pk, s in last.items() if s.segments})
    for s in stored:
        s.offer = offers[s.booking.pk]


def consent_counts(*, opted_out_at: datetime | None, opt_in_at: datetime | None) -> bool:
    """A booking's opt-in counts unless the address withdrew consent (STOP, a provider's opt-out,
    erasure) after it was given: only a consent the person gave later opts them in again."""
    return opted_out_at is None or (opt_in_at is not None and opt_in_at > opted_out_at)


SUPPRESSED_SOURCE = "suppression list (the address was erased or opted out before)"


def runs(bookings: list[BookingData]) -> list[list[BookingData]]:
    """Consecutive runs in which no reference comes twice: a later copy replaces the earlier one,
    so it goes into the next batch."""
    result: list[list[BookingData]] = [[]]
    seen: set[str] = set()
    for booking in bookings:
        if booking.reference in seen:
            result.append([])
            seen = set()
        result[-1].append(booking)
        seen.add(booking.reference)
    return [run for run in result if run]


class Person:
    """A customer in the plan: one already stored (with its fields as read), or a new one;
    `merged_into` once it turned out to be the same person as another."""

    __slots__ = ("customer", "stored", "merged_into")

    def __init__(self, customer: Customer, stored: tuple | None = None) -> None:
        self.customer, self.stored = customer, stored
        self.merged_into: Person | None = None

    def root(self) -> "Person":
        person = self
        while person.merged_into is not None:
            person = person.merged_into
        return person


@dataclass
class Address:
    """An address in the plan: its row (None until a new one is inserted) and its consent."""

    channel: str
    address: str
    owner: Person
    row: ContactPoint | None = None
    opted_in: bool = False
    opted_out_at: datetime | None = None
    suppressed: bool = False  # new here, and on the suppression list since opted_out_at
    opt_in_source: str = ""  # set when this batch records the opt-in
    opt_in_at: datetime | None = None


@dataclass
class PassengerPlan:
    booking: Booking
    data: PassengerIn
    person: Person
    row: Passenger | None  # the stored passenger, for a booking that is replaced


_CUSTOMER_FIELDS = ("given_name", "family_name", "language", "formality", "language_known")
_PASSENGER_FIELDS = ("given_name", "family_name", "language", "formality", "customer_id")


class BookingBatch:
    """One run of bookings (no reference twice), to be called inside a transaction, in order:
    read_and_plan(), customers_insert(), [make each of merges_due()], people_write(),
    [lock the trips], segments_write(trips)."""

    def __init__(self, bookings: list[BookingData]) -> None:
        self.data = bookings
        self.now = timezone.now()
        self.bookings: list[tuple[Booking, bool]] = []
        self.people: dict[int, Person] = {}  # stored customers by id, one Person each
        self.new_people: list[Person] = []
        self.addresses: dict[tuple[str, str], Address] = {}
        self.passengers: list[PassengerPlan] = []
        # (address row or None for a new address, its owner, the person the owner turned out to be)
        self.merges: list[tuple[ContactPoint | None, Person, Person]] = []
        self.saved: dict[tuple[int, str], Passenger] = {}  # (booking id, pax id) → row
        self.suppressed: dict[tuple[str, str], datetime] = {}
        self.segments: dict[int, list[StoredSegment]] = {}  # booking id → as written

    def stored(self) -> list[StoredBooking]:
        """What segments_write() stored, one for each booking of the run, in order."""
        reachable = self._reachable()
        merged = {id(target.root()) for _, source, target in self.merges if source.stored}
        new_people = frozenset(
            p.customer.pk for p in self.new_people if p.merged_into is None and id(p) not in merged
        )
        return [
            StoredBooking(
                booking,
                created,
                data,
                self.segments.get(booking.pk, []),
                EVERYONE,
                booking.pk in reachable,
                new_people,
            )
            for (booking, created), data in zip(self.bookings, self.data)
        ]

    def _reachable(self) -> set[int]:
        """The bookings with a passenger whose person has an opted-in address, or who may have
        one the batch did not see: a person stored before, or one a stored person merged into."""
        merged = {id(target.root()) for _, source, target in self.merges if source.stored}
        found = set()
        for plan in self.passengers:
            person = plan.person.root()
            if (
                person.stored is not None
                or id(person) in merged
                or any(self.addresses[(c.channel, c.address)].opted_in for c in plan.data.contacts)
            ):
                found.add(plan.booking.pk)
        return found

    # --- reading and planning ----------------------------------------------------------------

    def read_and_plan(self, suppressed_since) -> None:
        """suppressed_since(keys) → {(channel, address): since} for addresses that may not be
        opted in by a booking (core.data_protection.addresses_suppressed_since)."""
        self._bookings_lock_or_create()
        replaced = [b for b, created in self.bookings if not created]
        stored = {}
        if replaced:
            rows = Passenger.objects.filter(booking__in=replaced).select_related("customer")
            stored = {(p.booking_id, p.pax_id): p for p in rows}
        self._addresses_read()
        new = {
            (c.channel, c.address)
            for b in self.data
            for p in b.passengers
            for c in p.contacts
            if (c.channel, c.address) not in self.addresses
        }
        self.suppressed = suppressed_since(sorted(new)) if new else {}
        for (booking, _), data in zip(self.bookings, self.data):
            for pax in data.passengers:
                self._passenger_plan(booking, pax, stored.get((booking.pk, pax.pax_id)))

    def _bookings_lock_or_create(self) -> None:
        references = [b.reference for b in self.data]
        # In reference order, so two batches sharing bookings never wait for each other in a cycle.
        locked = Booking.objects.select_for_update().filter(reference__in=references)
        found = {b.reference: b for b in locked.order_by("reference")}
        urls = {b.reference: b.check_in_url for b in self.data}
        new = [
            Booking(reference=r, check_in_url=urls[r]) for r in sorted(set(references) - set(found))
        ]
        # A booking another transaction is inserting makes this wait, then fail: the caller
        # starts the batch again and finds it stored.
        for booking in Booking.objects.bulk_create(new, batch_size=WRITE_BATCH):
            found[booking.reference] = booking
        created = {b.reference for b in new}
        self.bookings = [(found[r], r in created) for r in references]

    def _addresses_read(self) -> None:
        wanted: dict[str, set[str]] = {}
        for booking in self.data:
            for pax in booking.passengers:
                for contact in pax.contacts:
                    wanted.setdefault(contact.channel, set()).add(contact.address)
        if not wanted:
            return
        match = reduce(or_, (Q(channel=c, address__in=sorted(a)) for c, a in wanted.items()))
        for cp in ContactPoint.objects.filter(match).select_related("customer"):
            self.addresses[(cp.channel, cp.address)] = Address(
                channel=cp.channel,
                address=cp.address,
                owner=self._stored_person(cp.customer),
                row=cp,
                opted_in=cp.opted_in,
                opted_out_at=cp.opted_out_at,
            )

    def _stored_person(self, customer: Customer) -> Person:
        if customer.pk not in self.people:
            stored = tuple(getattr(customer, f) for f in _CUSTOMER_FIELDS)
            self.people[customer.pk] = Person(customer, stored)
        return self.people[customer.pk]

    def _passenger_plan(self, booking: Booking, data: PassengerIn, row: Passenger | None) -> None:
        # The passenger's person: as before, else whoever has one of the addresses, else new.
        if row is not None:
            person = self._stored_person(row.customer).root()
        else:
            known = [self.addresses.get((c.channel, c.address)) for c in data.contacts]
            owner = next((a.owner for a in known if a is not None), None)
            person = owner.root() if owner else self._person_new()
        customer = person.customer
        customer.given_name, customer.family_name = data.given_name, data.family_name
        customer.language, customer.formality = data.language, data.formality
        customer.language_known = True
        self.passengers.append(PassengerPlan(booking, data, person, row))
        for contact in data.contacts:
            self._address_claim(booking, person, contact)

    def _person_new(self) -> Person:
        person = Person(Customer())
        self.new_people.append(person)
        return person

    def _address_claim(self, booking: Booking, person: Person, contact: ContactIn) -> None:
        key = (contact.channel, contact.address)
        address = self.addresses.get(key)
        if address is None:
            since = self.suppressed.get(key)
            address = Address(contact.channel, contact.address, person)
            address.opted_out_at, address.suppressed = since, since is not None
            self.addresses[key] = address
        elif address.owner.root() is not person:
            # Whoever we knew behind the address is this person: they merge into them.
            source = address.owner.root()
            self.merges.append((address.row, source, person))
            source.merged_into = person
            address.owner = person
        # The person's own STOP wins over any booking, new or replaced: only they opt in again
        # (START, their own opt-in link or code, a follow code), or a consent they gave after it.
        counts = consent_counts(opted_out_at=address.opted_out_at, opt_in_at=contact.opt_in_at)
        if contact.opt_in and counts and not address.opted_in:
            address.opted_in = True
            address.opt_in_source = f"booking {booking.reference}"
            if contact.opt_in_at is not None:
                address.opt_in_source += f", consent given {contact.opt_in_at.isoformat()}"
            address.opt_in_at = contact.opt_in_at or self.now

    # --- writing -------------------------------------------------------------------------------

    def customers_insert(self) -> None:
        """The new people who are still themselves (not merged into someone) get their rows."""
        rows = [p.customer for p in self.new_people if p.merged_into is None]
        Customer.objects.bulk_create(rows, batch_size=WRITE_BATCH)

    def merges_due(self) -> list[tuple[ContactPoint | None, Customer, Customer]]:
        """The merges to make in the database, in order: (address row, owner, customer).

        With a stored address the row is locked and whoever owns it then merges (as
        services.contact_point_link does); an address new in this batch only merges a stored
        owner. A new person who merged was never inserted: nothing to do.
        """
        return [
            (row, source.customer, target.root().customer)
            for row, source, target in self.merges
            if row is not None or source.stored is not None
        ]

    def people_write(self) -> None:
        self._customers_update()
        self._passengers_write()
        self._addresses_write()
        self._passengers_drop_unsent()

    def _customers_update(self) -> None:
        changed: dict[int, Customer] = {}
        for plan in self.passengers:
            person = plan.person.root()
            fields = tuple(getattr(person.customer, f) for f in _CUSTOMER_FIELDS)
            if person.stored is not None and fields != person.stored:
                changed[person.customer.pk] = person.customer
        for customer in changed.values():
            customer.updated_at = self.now
        Customer.objects.bulk_update(
            list(changed.values()), [*_CUSTOMER_FIELDS, "updated_at"], batch_size=WRITE_BATCH
        )

    def _passengers_write(self) -> None:
        new, changed = [], []
        for plan in self.passengers:
            data, customer = plan.data, plan.person.root().customer
            row = plan.row or Passenger(booking=plan.booking, pax_id=data.pax_id)
            before = tuple(getattr(row, f) for f in _PASSENGER_FIELDS)
            row.given_name, row.family_name = data.given_name, data.family_name
            row.language, row.formality = data.language, data.formality
            row.customer = customer
            if plan.row is None:
                new.append(row)
            elif before != tuple(getattr(row, f) for f in _PASSENGER_FIELDS):
                changed.append(row)
            self.saved[(plan.booking.pk, data.pax_id)] = row
        Passenger.objects.bulk_create(new, batch_size=WRITE_BATCH)
        fields = [f.removesuffix("_id") for f in _PASSENGER_FIELDS]
        Passenger.objects.bulk_update(changed, fields, batch_size=WRITE_BATCH)

    def _addresses_write(self) -> None:
        new, opted_in = [], []
        for key in sorted(self.addresses):  # one insert order for everyone: no lock cycles
            address = self.addresses[key]
            if address.row is None:
                address.row = ContactPoint(
                    customer=address.owner.root().customer,
                    channel=address.channel,
                    address=address.address,
                    opted_out_at=address.opted_out_at,
                )
                new.append(address.row)
            elif address.opt_in_source:
                opted_in.append(address.row)
            if address.opt_in_source:
                row = address.row
                row.opted_in, row.opted_in_at = True, address.opt_in_at
                row.opt_in_source = address.opt_in_source
        # An address a message is inserting right now makes this wait, then fail: the caller
        # starts the batch again, and the address is then stored and merged like any other.
        ContactPoint.objects.bulk_create(new, batch_size=WRITE_BATCH)
        ContactPoint.objects.bulk_update(
            opted_in, ["opted_in", "opted_in_at", "opt_in_source"], batch_size=WRITE_BATCH
        )
        # A new row for an address on the suppression list starts opted out, recorded as such.
        records = [
            ConsentRecord(
                contact_point=a.row,
                action=ConsentRecord.Action.OPT_OUT,
                source=SUPPRESSED_SOURCE,
                at=a.opted_out_at,
            )
            for a in self.addresses.values()
            if a.suppressed
        ]
        records += [
            ConsentRecord(
                contact_point=a.row,
                action=ConsentRecord.Action.OPT_IN,
                source=a.opt_in_source,
                at=a.opt_in_at,
            )
            for a in self.addresses.values()
            if a.opt_in_source
        ]
        ConsentRecord.objects.bulk_create(records, batch_size=WRITE_BATCH)

    def _passengers_drop_unsent(self) -> None:
        keep: dict[int, list[str]] = {}
        for booking, created in self.bookings:
            if not created:
                keep[booking.pk] = []
        if not keep:
            return
        for plan in self.passengers:
            if plan.booking.pk in keep:
                keep[plan.booking.pk].append(plan.data.pax_id)
        gone = reduce(or_, (Q(booking_id=b) & ~Q(pax_id__in=ids) for b, ids in keep.items()))
        Passenger.objects.filter(gone).delete()

    def trips_wanted(self) -> list[SegmentIn]:
        """Each trip of the batch once, as the last booking naming it has it, in key order."""
        last = {s.trip_key: s for b in self.data for s in b.segments}
        return [last[k] for k in sorted(last)]

    def segments_write(self, trips: dict[tuple[str, date], Trip]) -> None:
        replaced = [b for b, created in self.bookings if not created]
        stored: dict[tuple[int, int], Segment] = {}
        members: dict[int, set[int]] = {}
        if replaced:
            for s in Segment.objects.filter(booking__in=replaced):
                stored[(s.booking_id, s.trip_id)] = s
            through = Segment.passengers.through.objects.filter(segment__booking__in=replaced)
            for segment_id, passenger_id in through.values_list("segment_id", "passenger_id"):
                members.setdefault(segment_id, set()).add(passenger_id)
        new, moved, wanted = [], [], []
        for (booking, _), data in zip(self.bookings, self.data):
            for position, seg in enumerate(data.segments):
                trip = trips[seg.trip_key]
                segment = stored.pop((booking.pk, trip.pk), None)
                if segment is None:
                    segment = Segment(booking=booking, trip=trip, position=position)
                    new.append(segment)
                elif segment.position != position:
                    segment.position = position
                    moved.append(segment)
                rows = {p: self.saved[(booking.pk, p)] for p in seg.passengers}
                wanted.append((segment, {row.pk for row in rows.values()}))
                self.segments.setdefault(booking.pk, []).append(
                    StoredSegment(segment, trip, [rows[p] for p in sorted(rows)])
                )
        Segment.objects.bulk_create(new, batch_size=WRITE_BATCH)
        Segment.objects.bulk_update(moved, ["position"], batch_size=WRITE_BATCH)
        if stored:  # segments the bookings no longer have
            Segment.objects.filter(pk__in=[s.pk for s in stored.values()]).delete()
        self._segment_passengers_set(wanted, members)
        if replaced:
            urls = {b.reference: b.check_in_url for b in self.data}
            moved_url = [b for b in replaced if b.check_in_url != urls[b.reference]]
            for booking in replaced:
                booking.updated_at, booking.check_in_url = self.now, urls[booking.reference]
            # One plain UPDATE for the time; the rare new check-in URL by CASE (bulk_update).
            Booking.objects.filter(pk__in=[b.pk for b in replaced]).update(updated_at=self.now)
            Booking.objects.bulk_update(moved_url, ["check_in_url"], batch_size=WRITE_BATCH)

    def _segment_passengers_set(
        self, wanted: list[tuple[Segment, set[int]]], members: dict[int, set[int]]
    ) -> None:
        through = Segment.passengers.through
        add, remove = [], []
        for segment, pax in wanted:
            current = members.get(segment.pk, set())
            add += [through(segment_id=segment.pk, passenger_id=p) for p in sorted(pax - current)]
            remove += [Q(segment_id=segment.pk, passenger_id=p) for p in current - pax]
        if remove:
            through.objects.filter(reduce(or_, remove)).delete()
        through.objects.bulk_create(add, batch_size=WRITE_BATCH)
