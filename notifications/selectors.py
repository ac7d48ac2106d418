"""Reads: who gets a trip's updates, and how an event's deliveries stand."""

from django.db.models import Count, Q

from core.models import ContactPoint, Customer, Trip
from notifications import rendering
from notifications.models import Delivery, DeliveryStatus, GroupMembership, TripEvent


def trip_recipient_contact_points(*, trip: Trip, event_type: str = "") -> list[dict]:
    """One reachable, opted-in contact point per person travelling on the trip.

    Each row: {"id", "customer_id", "channel", "last_inbound_at"} and optionally "kind" and
    "context" when that person gets a message other than the event's own.

    A person reachable through several bookings (or channels) counts once: the channel whose
    24-hour window is open wins, then the one they wrote on most recently, then WhatsApp.
    """
    rows = (
        ContactPoint.objects.filter(
            customer__passengers__segments__trip=trip, opted_in=True, unreachable_at__isnull=True
        )
        .values("id", "customer_id", "channel", "last_inbound_at")
        .distinct()
    )
    best = _one_per_person(rows)
    # A passenger gets the passenger message; members of the travellers' groups get theirs once.
    for customer_id, row in group_member_contact_points(trip=trip, event_type=event_type).items():
        best.setdefault(customer_id, row)
    return sorted(best.values(), key=lambda r: r["customer_id"])


def _one_per_person(rows) -> dict[int, dict]:
    best: dict[int, dict] = {}
    for row in rows:
        current = best.get(row["customer_id"])
        if current is None or _preference(row) > _preference(current):
            best[row["customer_id"]] = row
    return best


# Which trip events reach group members: always, or when the group's owner chose so.
GROUP_EVENTS = {"departed": None, "delayed": None, "arrived": None,
                "cancelled": "notify_cancelled", "gate_changed": "notify_gate_changed"}


def group_member_contact_points(*, trip: Trip, event_type: str) -> dict[int, dict]:
    """customer id → the row of a member of a group whose owner travels on the trip.

    A member of several such groups gets one message naming every traveller they follow.
    """
    if event_type not in GROUP_EVENTS:
        return {}
    memberships = GroupMembership.objects.filter(
        left_at__isnull=True,
        group__ended_at__isnull=True,
        group__owner__passengers__segments__trip=trip,
        contact_point__opted_in=True,
        contact_point__unreachable_at__isnull=True,
    )
    if GROUP_EVENTS[event_type]:
        memberships = memberships.filter(**{f"group__{GROUP_EVENTS[event_type]}": True})
    rows = list(
        memberships.values(
            "contact_point_id", "customer_id", "contact_point__channel", "contact_point__last_inbound_at", "group__owner_id"
        ).distinct()
    )
    ids = {r["group__owner_id"] for r in rows} | {r["customer_id"] for r in rows}
    people = {c.pk: c for c in Customer.objects.filter(pk__in=ids)}
    travellers: dict[int, list[int]] = {}
    for r in rows:
        followed = travellers.setdefault(r["customer_id"], [])
        if r["group__owner_id"] not in followed:
            followed.append(r["group__owner_id"])
    best = _one_per_person(
        {"id": r["contact_point_id"], "customer_id": r["customer_id"], "channel": r["contact_point__channel"],
         "last_inbound_at": r["contact_point__last_inbound_at"]}
        for r in rows
    )
    for customer_id, row in best.items():
        names = [rendering.first_name(people[o]) for o in sorted(travellers[customer_id])]
        row["kind"] = f"group_{event_type}"
        # In the member's own words: "Anna en Bram", "Anna and Bram".
        row["context"] = {"traveller": rendering.names_joined(names, people[customer_id])}
    return best


def _preference(row: dict) -> tuple:
    last = row["last_inbound_at"]
    return (last is not None, last.timestamp() if last else 0, row["channel"] == "whatsapp")


DELIVERY_BUCKETS = {
    "pending": [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.QUEUED],
    "sent": [DeliveryStatus.SENT],
    "delivered": [DeliveryStatus.DELIVERED],
    "read": [DeliveryStatus.READ],
    "failed": [DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED],
}


def event_delivery_counts(*, event: TripEvent) -> dict[str, int]:
    """Counts per bucket in one query; a superseded delivery counts nowhere (it never went out)."""
    aggregates = {
        bucket: Count("id", filter=Q(status__in=statuses))
        for bucket, statuses in DELIVERY_BUCKETS.items()
    }
    return Delivery.objects.filter(event=event).aggregate(**aggregates)
