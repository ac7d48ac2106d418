"""Reads: who gets a trip's updates, and how an event's deliveries stand."""

from django.db.models import Count, Q

from core.models import ContactPoint, Trip
from notifications.models import Delivery, DeliveryStatus, TripEvent


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
    best: dict[int, dict] = {}
    for row in rows:
        current = best.get(row["customer_id"])
        if current is None or _preference(row) > _preference(current):
            best[row["customer_id"]] = row
    return sorted(best.values(), key=lambda r: r["customer_id"])


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
