"""Reads: who a request is about, everything that identifies them, who was inactive too long."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from core.data_protection import Person
from core.models import Channel, ContactPoint, Customer, InboundMessage, Passenger
from core.personal_data import ERASED_ADDRESS_PREFIX
from notifications.models import Delivery
from privacy.hashing import address_hash, keyed_hash
from privacy.models import PrivacyRecord, SuppressedAddress
from update_groups.models import GroupMembership


@dataclass(frozen=True)
class Lookup:
    """How a request names a person: one of these (the API, the command and the admin agree)."""

    booking_reference: str = ""
    passenger: str = ""
    phone: str = ""  # E.164
    messenger_id: str = ""
    customer_id: int | None = None

    def keys(self) -> list[str]:
        """Keyed hashes of this look-up, kept with the record instead of the look-up itself."""
        found = []
        if self.booking_reference:
            found.append(keyed_hash(f"booking:{self.booking_reference}/{self.passenger}"))
        if self.phone:
            found.append(address_hash(channel=Channel.WHATSAPP, address=self.phone))
        if self.messenger_id:
            found.append(address_hash(channel=Channel.MESSENGER, address=self.messenger_id))
        return found

    @property
    def address(self) -> tuple[str, str] | None:
        if self.phone:
            return Channel.WHATSAPP, self.phone
        if self.messenger_id:
            return Channel.MESSENGER, self.messenger_id
        return None


def customer_for(lookup: Lookup) -> Customer | None:
    """The person a look-up names, if we hold them (an erased person is not held)."""
    customer = None
    if lookup.customer_id is not None:
        customer = Customer.objects.filter(pk=lookup.customer_id).first()
    elif lookup.booking_reference:
        passenger = (
            Passenger.objects.filter(
                booking__reference=lookup.booking_reference, pax_id=lookup.passenger
            )
            .select_related("customer")
            .first()
        )
        customer = passenger.customer if passenger else None
    elif lookup.address:
        channel, address = lookup.address
        cp = (
            ContactPoint.objects.filter(channel=channel)
            .filter(Q(address=address) | Q(provider_user_id=address.lstrip("+")))
            .select_related("customer")
            .first()
        )
        customer = cp.customer if cp else None
    if customer is not None and customer.erased_at:
        return None
    return customer


def person_gather(*, customer: Customer | None, lookup: Lookup) -> Person:
    """Everything that identifies the person: their ids, addresses, names and codes."""
    addresses, provider_ids, full_names, parts, codes = set(), set(), set(), set(), set()
    cp_ids: set[int] = set()
    if lookup.address:
        addresses.add(lookup.address)
    if customer is not None:
        for cp in customer.contact_points.exclude(address__startswith=ERASED_ADDRESS_PREFIX):
            cp_ids.add(cp.pk)
            addresses.add((cp.channel, cp.address))
            if cp.provider_user_id:
                provider_ids.add(cp.provider_user_id)
            if cp.profile_name:
                full_names.add(cp.profile_name)
        people = [(customer.given_name, customer.family_name)]
        for p in customer.passengers.all():
            people.append((p.given_name, p.family_name))
            codes |= {p.follow_code, p.opt_in_code}
        for given, family in people:
            full = " ".join(n for n in (given, family) if n)
            if full:
                full_names.add(full)
            parts |= {n for n in (given, family) if n}
    inbound = InboundMessage.objects.filter(
        Q(contact_point_id__in=cp_ids) | Q(pk__in=_inbound_from(addresses).values("pk"))
    ).exclude(profile_name="")
    full_names |= set(inbound.values_list("profile_name", flat=True).distinct())
    return Person(
        customer_ids=frozenset({customer.pk} if customer else set()),
        contact_point_ids=frozenset(cp_ids),
        addresses=frozenset(addresses),
        provider_user_ids=frozenset(provider_ids),
        full_names=frozenset(full_names),
        name_parts=frozenset(p for p in parts if len(p) >= 2),
        codes=frozenset(codes),
    )


def _inbound_from(addresses: set[tuple[str, str]]):
    by_address = Q(pk__in=[])
    for channel, address in addresses:
        by_address |= Q(channel=channel, from_address=address)
    return InboundMessage.objects.filter(by_address)


def earlier_erasure(lookup: Lookup) -> PrivacyRecord | None:
    """The erasure that already took this person, found by the hash of how they were named."""
    keys = lookup.keys()
    named = Q(customer_id=lookup.customer_id) if lookup.customer_id is not None else Q(pk__in=[])
    for key in keys:
        named |= Q(subject_hashes__contains=f" {key} ")
    erasures = PrivacyRecord.objects.filter(action=PrivacyRecord.Action.ERASE)
    return erasures.filter(named).order_by("-at").first()


def lookup_keys_of(person: Person) -> set[str]:
    """The keyed hashes of every look-up that names this person: addresses, booking passengers."""
    keys = set()
    for channel, address in person.addresses:
        keys |= set(Lookup(**{_LOOKUP_FIELD[channel]: address}).keys())
    for reference, pax in Passenger.objects.filter(customer_id__in=person.customer_ids).values_list(
        "booking__reference", "pax_id"
    ):
        keys |= set(Lookup(booking_reference=reference, passenger=pax).keys())
    return keys


_LOOKUP_FIELD = {Channel.WHATSAPP: "phone", Channel.MESSENGER: "messenger_id"}


def suppressed_since(keys: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """Since when each of these (channel, address) may not be messaged, for those on the list
    (one query for any number of them: a bulk booking intake asks for hundreds at once)."""
    hashes = {(c, address_hash(channel=c, address=a)): (c, a) for c, a in keys}
    rows = SuppressedAddress.objects.filter(address_hash__in={h for _, h in hashes})
    found = {}
    for row in rows.values_list("channel", "address_hash", "since"):
        key = hashes.get(row[:2])
        if key is not None:
            found[key] = row[2]
    return found


def people_inactive(*, cutoff: datetime, limit: int = 200) -> list[Customer]:
    """People with nothing since `cutoff`: no trip, no message from or to them, no group they
    still follow (a group ends a month after its traveller's last trip), not created after it."""
    recent = [
        Passenger.objects.filter(segments__trip__scheduled_departure__gte=cutoff),
        ContactPoint.objects.filter(last_inbound_at__gte=cutoff),
        Delivery.objects.filter(created_at__gte=cutoff),
        GroupMembership.objects.filter(left_at__isnull=True, group__ended_at__isnull=True),
    ]
    people = Customer.objects.filter(erased_at__isnull=True, created_at__lt=cutoff)
    for rows in recent:
        people = people.exclude(pk__in=rows.values("customer_id"))
    return list(people.order_by("pk")[:limit])
