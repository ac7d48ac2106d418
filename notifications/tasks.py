"""Thin tasks: take ids, load, call one service. Retry policy lives here."""

import time

from celery import shared_task

from core.models import Booking
from notifications import enqueue, services
from notifications.models import TripEvent


@shared_task(acks_late=True)
def event_fan_out(event_id: str) -> int:
    event = TripEvent.objects.select_related("trip").filter(pk=event_id).first()
    return services.event_fan_out(event=event) if event else 0


@shared_task(acks_late=True)
def deliveries_send(delivery_ids: list[str], lane: str = "bulk") -> dict[str, int]:
    """Send a batch; transient failures come back after their backoff, in their place in line."""
    return services.batch_send(ids=delivery_ids, lane=lane).counts()


@shared_task(acks_late=True)
def booking_confirm(booking_id: int) -> int:
    booking = Booking.objects.filter(pk=booking_id).first()
    return len(services.booking_confirmation_send(booking=booking)) if booking else 0


@shared_task(acks_late=True)
def bookings_confirm(booking_ids: list[int]) -> int:
    """Run again after a lost worker, it sends nothing twice (each confirmation has its key)."""
    bookings = Booking.objects.filter(pk__in=booking_ids).order_by("pk")
    return sum(len(services.booking_confirmation_send(booking=b)) for b in bookings)


@shared_task(acks_late=True)
def sweep() -> dict[str, int]:
    return services.sweep()


@shared_task(acks_late=True)
def timeline_due_send() -> dict[str, int]:
    """The trip timeline's rows whose time has come (beat, every TIMELINE_TICK_SECONDS)."""
    return services.timeline_due_send()


# A run drains the waiting status reports batch after batch for at most this long, then hands
# what is left to a fresh task, so a storm never holds one pool process for ever.
STATUS_APPLY_BUDGET_SECONDS = 20.0


@shared_task(acks_late=True)
def status_reports_apply() -> int:
    """Apply the providers' waiting status callbacks (status lane; beat too, as a safety net)."""
    started, applied = time.monotonic(), 0
    enqueue.status_run_started()
    while True:
        taken = services.status_reports_apply()
        applied += taken
        if taken < services.STATUS_APPLY_BATCH:
            return applied
        if time.monotonic() - started > STATUS_APPLY_BUDGET_SECONDS:
            enqueue.status_apply_later()
            return applied
