"""What core holds about people, and how one person's rows are erased and exported.

The seam is core/data_protection.py; the privacy app runs these. An erased person stays as an
anonymous row (no name, no address) so that what counts them keeps counting: deliveries,
conversations and scores point at it. Their passengers, consent and group memberships go.
"""

import uuid
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from core.data_protection import Person, holds, holds_none
from core.models import (
    ApiKey,
    Booking,
    ConsentRecord,
    ContactPoint,
    Customer,
    InboundMessage,
    Passenger,
    Segment,
    Trip,
)

ERASED_ADDRESS_PREFIX = "erased:"


def _customers(person: Person):
    return Customer.objects.filter(pk__in=person.customer_ids)


def _erase_customers(person: Person) -> int:
    return (
        _customers(person)
        .filter(erased_at__isnull=True)
        .update(
            given_name="",
            family_name="",
            language_known=False,
            erased_at=timezone.now(),
        )
    )


def _export_customers(person: Person) -> list[dict]:
    return list(
        _customers(person).values(
            "id", "given_name", "family_name", "language", "formality", "created_at", "erased_at"
        )
    )


def _contact_points(person: Person):
    return ContactPoint.objects.filter(
        Q(pk__in=person.contact_point_ids) | Q(customer_id__in=person.customer_ids)
    )


def _erase_contact_points(person: Person) -> int:
    """The address itself goes (a random stand-in keeps the row unique); nothing is sent there."""
    now, changed = timezone.now(), 0
    for cp in _contact_points(person).exclude(address__startswith=ERASED_ADDRESS_PREFIX):
        ContactPoint.objects.filter(pk=cp.pk).update(
            address=f"{ERASED_ADDRESS_PREFIX}{uuid.uuid4().hex}",
            provider_user_id="",
            profile_name="",
            opted_in=False,
            opted_in_at=None,
            opt_in_source="",
            opted_out_at=now,
            last_inbound_at=None,
            unreachable_at=now,
            unreachable_code="erased",
            unreachable_reason="",
        )
        changed += 1
    return changed


def _export_contact_points(person: Person) -> list[dict]:
    return list(
        _contact_points(person).values(
            "channel",
            "address",
            "provider_user_id",
            "profile_name",
            "opted_in",
            "opted_in_at",
            "opt_in_source",
            "opted_out_at",
            "last_inbound_at",
            "unreachable_at",
            "unreachable_code",
            "unreachable_reason",
            "created_at",
        )
    )


def _consent_records(person: Person):
    return ConsentRecord.objects.filter(contact_point__in=_contact_points(person))


def _export_consent(person: Person) -> list[dict]:
    return [
        {
            "channel": r.contact_point.channel,
            "address": r.contact_point.address,
            "action": r.action,
            "source": r.source,
            "at": r.at,
        }
        for r in _consent_records(person).select_related("contact_point").order_by("at", "pk")
    ]


def _erase_consent(person: Person) -> int:
    return _consent_records(person).delete()[0]


def _passengers(person: Person):
    return Passenger.objects.filter(customer_id__in=person.customer_ids)


def _erase_passengers(person: Person) -> int:
    """The person leaves their bookings; a booking left without anyone goes with them."""
    bookings = set(_passengers(person).values_list("booking_id", flat=True))
    removed = _passengers(person).delete()[0]
    empty = Booking.objects.filter(pk__in=bookings, passengers__isnull=True)
    return removed + empty.delete()[0]


def _export_passengers(person: Person) -> list[dict]:
    return [
        {
            "booking": p.booking.reference,
            "passenger": p.pax_id,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "language": p.language,
            "formality": p.formality,
            "follow_code": p.follow_code,
            "opt_in_code": p.opt_in_code,
            "trips": [s.trip.key for s in p.segments.select_related("trip").order_by("position")],
        }
        for p in _passengers(person).select_related("booking").order_by("booking__reference")
    ]


def _inbound(person: Person):
    by_address = Q()
    for channel, address in person.addresses:
        by_address |= Q(channel=channel, from_address=address)
    if person.provider_user_ids:
        by_address |= Q(provider_user_id__in=person.provider_user_ids)
    return InboundMessage.objects.filter(
        Q(contact_point_id__in=person.contact_point_ids)
        | Q(contact_point__customer_id__in=person.customer_ids)
        | by_address
    )


_INBOUND_CLEARED = {
    "profile_name": "",
    "provider_user_id": "",
    "text": "",
    "payload": "",
    "media": [],
    "raw": {},
    "last_error": "",
}


def _erase_inbound(person: Person) -> int:
    """Kept as an anonymous row (it counts, and a redelivered webhook is still recognised)."""
    changed = 0
    for row in _inbound(person).exclude(from_address__startswith=ERASED_ADDRESS_PREFIX):
        InboundMessage.objects.filter(pk=row.pk).update(
            from_address=f"{ERASED_ADDRESS_PREFIX}{uuid.uuid4().hex}", **_INBOUND_CLEARED
        )
        changed += 1
    return changed


def _export_inbound(person: Person) -> list[dict]:
    return list(
        _inbound(person).values(
            "channel", "kind", "from_address", "profile_name", "text", "payload", "media", "sent_at"
        )
    )


def _purge_inbound_raw(cutoff: datetime) -> int:
    return (
        InboundMessage.objects.filter(received_at__lt=cutoff, processed_at__isnull=False)
        .exclude(raw={})
        .update(raw={})
    )


def _purge_inbound_text(cutoff: datetime) -> int:
    old = InboundMessage.objects.filter(received_at__lt=cutoff, processed_at__isnull=False)
    return old.filter(~Q(text="") | ~Q(payload="") | ~Q(profile_name="") | ~Q(media=[])).update(
        text="", payload="", profile_name="", media=[]
    )


holds(
    Customer,
    erase=_erase_customers,
    export=_export_customers,
    order=90,
)
holds(
    ContactPoint,
    erase=_erase_contact_points,
    export=_export_contact_points,
    # A relative's consent names whose group they joined.
    mentions=("opt_in_source",),
    owner="customer",
    order=80,
)
holds(
    ConsentRecord,
    erase=_erase_consent,
    export=None,  # the export's consent history
    consent=_export_consent,
    # A relative's consent names whose group they joined.
    mentions=("source",),
    owner="contact_point__customer",
    order=70,
)
holds(
    Passenger,
    erase=_erase_passengers,
    export=_export_passengers,
    order=60,
)
holds_none(
    Booking,
    why="a reference and times; its people are Passenger rows, and a booking left without "
    "passengers is deleted with the last one's erasure",
)
holds_none(Segment, why="a booking's trip; who travels on it is the Passenger rows")
holds_none(Trip, why="a flight's schedule and live status, shared by everyone on it")
holds(
    InboundMessage,
    erase=_erase_inbound,
    export=_export_inbound,
    mentions=("text", "payload", "raw"),
    owner="contact_point__customer",
    retention={"raw_payloads": _purge_inbound_raw, "message_text": _purge_inbound_text},
    order=40,
)
holds_none(ApiKey, why="the travel company's system keys: a name and a hash")
