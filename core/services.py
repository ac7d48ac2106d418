"""Services of the shared domain: bookings, contact points and consent, trip status."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import trips
from core.bookings import (  # the booking documents are part of this module's interface
    BookingBatch,
    BookingData,
    ContactIn,  # noqa: F401
    PassengerIn,
    SegmentIn,
    StoredBooking,
    consent_counts,
    runs,
    stored_offers,
)
from core.data_protection import address_suppressed_since, addresses_suppressed_since
from core.models import ApiKey, Booking, ConsentRecord, ContactPoint, Customer, InboundMessage, Trip
from core.signals import (
    bookings_saved,
    bookings_storing,
    contact_point_opted_out,
    inbound_stored,
    inbounds_stored,
)


def chat_links(*, code: str) -> dict[str, str]:
    """Links that open our chat with a code ready: WhatsApp with it typed, Messenger as the ref."""
    number = "".join(c for c in settings.WHATSAPP_PUBLIC_NUMBER if c.isdigit())
    return {
        "whatsapp": f"https://wa.me/{number}?text={code}",
        "messenger": f"https://m.me/{settings.MESSENGER_PAGE_NAME}?ref={code}",
    }


def contact_point_opt_in(*, contact_point: ContactPoint, source: str, at=None) -> bool:
    """Record consent; returns False when it was already given."""
    if contact_point.opted_in:
        return False
    at = at or timezone.now()
    contact_point.opted_in = True
    contact_point.opted_in_at = at
    contact_point.opt_in_source = source
    contact_point.save(update_fields=["opted_in", "opted_in_at", "opt_in_source"])
    ConsentRecord.objects.create(
        contact_point=contact_point, action=ConsentRecord.Action.OPT_IN, source=source, at=at
    )
    return True


def contact_point_opt_out(*, contact_point: ContactPoint, source: str, at=None) -> bool:
    """Withdraw consent at once; returns False when there was none to withdraw.

    The withdrawal is recorded even then: it stands against a later booking's opt-in (see
    _passenger_upsert) until the person opts in again themselves.
    """
    at = at or timezone.now()
    withdrawn = ContactPoint.objects.filter(pk=contact_point.pk, opted_in=True).update(
        opted_in=False, opted_out_at=at
    )
    if not withdrawn:
        ContactPoint.objects.filter(pk=contact_point.pk).update(opted_out_at=at)
    contact_point.refresh_from_db(fields=["opted_in", "opted_out_at"])
    ConsentRecord.objects.create(
        contact_point=contact_point, action=ConsentRecord.Action.OPT_OUT, source=source, at=at
    )
    contact_point_opted_out.send(sender=ContactPoint, contact_point=contact_point, at=at)
    return bool(withdrawn)


def contact_point_for_inbound(
    *, channel: str, address: str, provider_user_id: str = "", profile_name: str = ""
) -> ContactPoint:
    """The contact point a provider message came from, created (with a new person) if unknown.

    WhatsApp users may hide their number behind a business-scoped id, so that id is tried first.
    """
    cp = None
    if provider_user_id:
        cp = ContactPoint.objects.filter(channel=channel, provider_user_id=provider_user_id).first()
    if cp is None and address:
        cp = ContactPoint.objects.filter(channel=channel, address=address).first()
    if cp is None:
        cp = _contact_point_first_seen(
            channel=channel,
            address=address or provider_user_id,
            provider_user_id=provider_user_id,
            profile_name=profile_name,
        )
    changed = []
    if provider_user_id and cp.provider_user_id != provider_user_id:
        cp.provider_user_id = provider_user_id
        changed.append("provider_user_id")
    if profile_name and cp.profile_name != profile_name[:200]:
        cp.profile_name = profile_name[:200]
        changed.append("profile_name")
    if changed:
        cp.save(update_fields=changed)
    return cp


def _contact_point_first_seen(
    *, channel: str, address: str, provider_user_id: str, profile_name: str
) -> ContactPoint:
    """A new address writes in: a new person, unless a booking claimed the address meanwhile.

    The person and the address are created under one savepoint: when a booking (or another
    message) inserted the same address first, the unique constraint makes this insert wait for
    it and then fail, and the address, with the booking's person, is used instead.
    """
    given, _, family = (profile_name or "").partition(" ")
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                given_name=given[:100], family_name=family[:100], language_known=False
            )
            cp = ContactPoint.objects.create(
                customer=customer,
                channel=channel,
                address=address,
                provider_user_id=provider_user_id,
            )
    except IntegrityError:
        return ContactPoint.objects.get(channel=channel, address=address)
    contact_point_suppression_apply(contact_point=cp)
    return cp


def contact_point_suppression_apply(*, contact_point: ContactPoint) -> None:
    """A new row for an address that was erased or opted out before: it starts opted out then.

    The withdrawal is recorded as such, so it stands against a booking's opt-in as a STOP does.
    """
    since = address_suppressed_since(channel=contact_point.channel, address=contact_point.address)
    if since is None:
        return
    ContactPoint.objects.filter(pk=contact_point.pk).update(opted_out_at=since)
    contact_point.opted_out_at = since
    ConsentRecord.objects.create(
        contact_point=contact_point,
        action=ConsentRecord.Action.OPT_OUT,
        source="suppression list (the address was erased or opted out before)",
        at=since,
    )


def customer_merge(*, source: Customer, into: Customer) -> Customer:
    """One person we knew twice becomes one: everything that pointed at `source` points at `into`.

    Generic over every relation to Customer, so the apps that hold people (conversations,
    deliveries, group memberships) need no hook; a one-to-one row `into` already has wins.
    """
    if source.pk == into.pk:
        return into
    for relation in Customer._meta.related_objects:
        name, rows = relation.field.name, relation.related_model._base_manager
        if relation.one_to_one and rows.filter(**{name: into}).exists():
            continue  # goes with `source`
        rows.filter(**{name: source}).update(**{name: into})
    source.delete()
    return into


def contact_point_link(*, contact_point: ContactPoint, customer: Customer) -> ContactPoint:
    """Make an address this person's; whoever we knew behind it so far is the same person.

    The address row is locked first, so a message from it being processed (which holds the same
    lock) finishes before, and the next one sees the new owner.
    """
    locked = ContactPoint.objects.select_for_update().select_related("customer")
    cp = locked.get(pk=contact_point.pk)
    if cp.customer_id != customer.pk:
        customer_merge(source=cp.customer, into=customer)
        cp.refresh_from_db()
    return cp


def contact_point_touch_inbound(*, contact_point: ContactPoint, at: datetime) -> None:
    """A message from the person (re)opens the 24-hour window; never move it backwards."""
    ContactPoint.objects.filter(pk=contact_point.pk).filter(
        Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=at)
    ).update(last_inbound_at=at)
    contact_point.refresh_from_db(fields=["last_inbound_at"])


def booking_consent_counts(*, contact_point: ContactPoint, opt_in_at: datetime | None) -> bool:
    """A booking's opt-in counts unless the address withdrew consent (STOP, a provider's opt-out,
    erasure) after it was given: only a consent the person gave later opts them in again."""
    return consent_counts(opted_out_at=contact_point.opted_out_at, opt_in_at=opt_in_at)


def _trip_upsert(data: SegmentIn) -> Trip:
    trip, created = Trip.objects.select_for_update().get_or_create(
        service=data.service,
        local_date=data.local_date,
        defaults={
            "origin": data.origin,
            "destination": data.destination,
            "scheduled_departure": data.scheduled_departure,
            "scheduled_arrival": data.scheduled_arrival,
        },
    )
    if not created:
        fields = ("origin", "destination", "scheduled_departure", "scheduled_arrival")
        changed = [f for f in fields if getattr(trip, f) != getattr(data, f)]
        for f in changed:
            setattr(trip, f, getattr(data, f))
        if changed:
            trip.save(update_fields=changed)
    return trip


def booking_upsert(
    *,
    reference: str,
    passengers: list[PassengerIn],
    segments: list[SegmentIn],
    check_in_url: str = "",
) -> tuple[Booking, bool]:
    """Create or replace a booking as a whole (idempotent); returns (booking, created)."""
    data = BookingData(reference, passengers, segments, check_in_url=check_in_url)
    return bookings_upsert(bookings=[data])[0]


BATCH_ATTEMPTS = 3


def bookings_upsert(*, bookings: list[BookingData]) -> list[tuple[Booking, bool]]:
    """Create or replace bookings in one transaction, with the outcome of upserting them one
    after another (a reference that comes again replaces what came before); returns (booking,
    created) for each."""
    return [(s.booking, s.created) for s in bookings_store(bookings=bookings)]


def bookings_store(*, bookings: list[BookingData]) -> list[StoredBooking]:
    """bookings_upsert, answering with what was stored (core.bookings.StoredBooking: the
    booking, whether it was created, its segments with their trips and passengers), so the
    caller builds its answer without reading it back.

    The queries do not grow with the passengers: see core/bookings.py. A booking or an address
    that another transaction inserts at the same moment makes an insert here wait for it and
    then fail; the transaction starts again, finds it stored and goes on as usual.
    """
    for attempt in range(1, BATCH_ATTEMPTS + 1):
        try:
            return _bookings_store(bookings)
        except IntegrityError:
            if attempt == BATCH_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _bookings_store(bookings: list[BookingData]) -> list[StoredBooking]:
    stored: list[StoredBooking] = []
    for run in runs(bookings):
        stored += _bookings_batch_write(BookingBatch(run))
    stored_offers(stored)  # for the answer and the timeline
    bookings = [(s.booking, s.created) for s in stored]
    bookings_storing.send(sender=Booking, bookings=bookings, stored=stored)
    transaction.on_commit(
        lambda: bookings_saved.send(sender=Booking, bookings=bookings, stored=stored)
    )
    return stored


def _bookings_batch_write(batch: BookingBatch) -> list[StoredBooking]:
    batch.read_and_plan(suppressed_since=addresses_suppressed_since)
    batch.customers_insert()
    for row, source, customer in batch.merges_due():
        if row is not None:
            contact_point_link(contact_point=row, customer=customer)
        else:
            customer_merge(source=source, into=customer)
    batch.people_write()
    # After the people, as before: the trip rows are locked for the rest of the transaction.
    trips = {seg.trip_key: _trip_upsert(seg) for seg in batch.trips_wanted()}
    batch.segments_write(trips)
    return batch.stored()


# --- Trip live status -------------------------------------------------------------------------

_STATUS_RANK = {
    Trip.Status.SCHEDULED: 0,
    Trip.Status.CHECK_IN_OPEN: 1,
    Trip.Status.DELAYED: 2,
    Trip.Status.BOARDING: 3,
    Trip.Status.DEPARTED: 4,
    Trip.Status.DIVERTED: 5,
    Trip.Status.ARRIVED: 6,
    Trip.Status.CANCELLED: 7,
}
_STATUS_FOR_EVENT = {
    "check_in_open": Trip.Status.CHECK_IN_OPEN,
    "delayed": Trip.Status.DELAYED,
    "boarding": Trip.Status.BOARDING,
    "departed": Trip.Status.DEPARTED,
    "arrived": Trip.Status.ARRIVED,
    "cancelled": Trip.Status.CANCELLED,
    "diverted": Trip.Status.DIVERTED,
}
# Event fields that update the trip's live fields of the same name.
_TRIP_FIELDS = {
    "estimated_departure",
    "estimated_arrival",
    "actual_departure",
    "actual_arrival",
    "gate",
    "terminal",
    "baggage_belt",
    "check_in_url",
}


def trip_apply_event(*, trip: Trip, type: str, data: dict, at=None) -> Trip:
    """Fold a trip event into the trip's live status; the status never moves backwards.

    Check it first with core.trips.event_check. A departure that moves without a new arrival
    moves the expected arrival with it; an event that says why clears a reason given before.
    """
    data = trips.parse_times(data)
    arrival = trips.implied_arrival(trip=trip, type=type, data=data)
    if arrival is not None:
        data = {**data, "estimated_arrival": arrival}
    changed = {"status_updated_at"}
    for name, value in data.items():
        if name in _TRIP_FIELDS and value not in (None, ""):
            setattr(trip, name, value)
            changed.add(name)
    if type in trips.REASON_EVENTS:
        trip.status_reason = (data.get("reason") or "")[:300]
        changed.add("status_reason")
    if type == "diverted":
        trip.diverted_to = data["destination"]
        changed.add("diverted_to")
    if type == "schedule_changed":
        # The new schedule replaces any estimate given before; a delay it absorbs is over.
        trip.scheduled_departure, trip.scheduled_arrival = trips.new_schedule(trip=trip, data=data)
        trip.estimated_departure = trip.estimated_arrival = None
        changed |= {"scheduled_departure", "scheduled_arrival", "estimated_departure"}
        changed.add("estimated_arrival")
        if trip.status == Trip.Status.DELAYED:
            trip.status = Trip.Status.SCHEDULED
            changed.add("status")
    new_status = _STATUS_FOR_EVENT.get(type)
    if new_status and _STATUS_RANK[new_status] >= _STATUS_RANK[Trip.Status(trip.status)]:
        trip.status = new_status
        changed.add("status")
    trip.status_updated_at = at or timezone.now()
    trip.save(update_fields=sorted(changed))
    return trip


# --- Inbound messages -------------------------------------------------------------------------


def inbound_row(
    *,
    channel: str,
    provider_message_id: str,
    from_address: str,
    kind: str = "message",
    provider_user_id: str = "",
    profile_name: str = "",
    text: str = "",
    payload: str = "",
    media: list | None = None,
    raw: dict | None = None,
    sent_at: datetime | None = None,
):
    """The row inbound_store writes, not saved yet (inbounds_store writes many at once)."""
    return InboundMessage(
        channel=channel,
        provider_message_id=provider_message_id,
        kind=kind,
        from_address=from_address,
        provider_user_id=provider_user_id,
        profile_name=profile_name[:200],
        text=text,
        payload=payload[:1000],
        media=media or [],
        raw=raw or {},
        sent_at=sent_at or timezone.now(),
    )


def inbound_store(*, announce: bool = True, **fields):
    """Store what a provider delivered (inbound_row's fields), once per provider message id;
    returns (row, created).

    Processing happens in the worker (inbound_stored is sent after commit); the caller can
    answer the provider as soon as this returns. announce=False: the caller hands new rows to
    the worker itself, many at once (inbounds_announce).
    """
    row = inbound_row(**fields)
    channel, provider_message_id = row.channel, row.provider_message_id
    # One INSERT (the webhook's only statement); the provider's retry of a stored message hits
    # the unique constraint and gets the row stored the first time.
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():  # a savepoint: the caller's transaction goes on
                row.save(force_insert=True)
        else:
            row.save(force_insert=True)
    except IntegrityError:
        first = InboundMessage.objects.filter(
            channel=channel, provider_message_id=provider_message_id
        ).first()
        if first is None:
            raise
        return first, False
    if announce:
        transaction.on_commit(lambda: inbound_stored.send(sender=InboundMessage, inbound=row))
    return row, True


def inbounds_store(rows: list[InboundMessage]) -> list[tuple[InboundMessage, bool]]:
    """Store many inbound rows (inbound_row) in one INSERT; (row, created) for each, in order.

    A message stored before (a provider's retry, or the same message twice among these) is not
    stored again: it gets the row stored the first time, created False.
    """
    InboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
    stored = set(
        InboundMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
    )
    others = [r for r in rows if r.pk not in stored]
    first: dict = {}
    if others:
        keys = Q()
        for r in others:
            keys |= Q(channel=r.channel, provider_message_id=r.provider_message_id)
        for row in InboundMessage.objects.filter(keys).order_by("received_at"):
            first.setdefault((row.channel, row.provider_message_id), row)
    return [
        (r, True) if r.pk in stored else (first[(r.channel, r.provider_message_id)], False)
        for r in rows
    ]


def inbounds_announce(ids: list) -> None:
    """Hand stored inbound messages (stored with announce=False) to the worker, in one go."""
    if ids:
        inbounds_stored.send(sender=InboundMessage, ids=[str(pk) for pk in ids])


# --- API keys ---------------------------------------------------------------------------------

API_KEY_TOUCH_SECONDS = 60
_HEX = frozenset("0123456789abcdef")


def _api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, name: str):
    """A new key `tf_<prefix>_<secret>`; returns (row, key). The key is shown once, never stored."""
    prefix = secrets.token_hex(4)  # hex: never contains the "_" that separates the parts
    key = f"tf_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey.objects.create(name=name, prefix=prefix, key_hash=_api_key_hash(key))
    return row, key


def api_key_revoke(*, prefix: str):
    """Revoke the key with this prefix at once (requests with it answer 401); returns it, or
    None when there is none. Revoking twice keeps the first time."""
    row = ApiKey.objects.filter(prefix=prefix.strip().lower()).first()
    if row is not None and row.revoked_at is None:
        ApiKey.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        row.refresh_from_db()
    return row


def api_key_authenticate(*, key: str):
    """The live ApiKey for a presented key, or None; notes its use at most once a minute."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != "tf" or not secret or not 0 < len(prefix) <= 12 or not set(prefix) <= _HEX:
        return None
    row = ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.key_hash, _api_key_hash(key)):
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=API_KEY_TOUCH_SECONDS)
    if row.last_used_at is None or row.last_used_at < stale:
        # Conditional, so a burst of requests writes the row once rather than each time.
        ApiKey.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=row.pk
        ).update(last_used_at=now)
        row.last_used_at = now
    return row
