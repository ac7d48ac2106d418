"""Thin tasks: take ids, load, call one service. Retry policy lives here."""

from celery import shared_task

from core.models import Booking
from notifications import services
from notifications.models import Delivery, TripEvent


@shared_task(acks_late=True)
def event_fan_out(event_id: str) -> int:
    event = TripEvent.objects.select_related("trip").filter(pk=event_id).first()
    return services.event_fan_out(event=event) if event else 0


@shared_task(acks_late=True)
def deliveries_send(delivery_ids: list[str]) -> dict[str, int]:
    """Send a batch over one reused connection; transient failures come back later on their own."""
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = services.delivery_send(delivery_id=delivery_id)
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        if outcome.retry_in is not None:
            lane = Delivery.objects.filter(pk=delivery_id).values_list("lane", flat=True).first()
            services.deliveries_enqueue(ids=[delivery_id], lane=lane or "bulk", countdown=outcome.retry_in)
    return counts


@shared_task(acks_late=True)
def booking_confirm(booking_id: int) -> int:
    booking = Booking.objects.filter(pk=booking_id).first()
    return len(services.booking_confirmation_send(booking=booking)) if booking else 0


@shared_task
def sweep() -> dict[str, int]:
    return services.sweep()


# --- Update groups ----------------------------------------------------------------------------


@shared_task
def groups_expire() -> dict[str, int]:
    """Groups without a trip for 30 days end with a goodbye; members' data goes a day later."""
    from notifications.groups import groups_expire as expire

    return expire()
