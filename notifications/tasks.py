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
def leases_sweep() -> dict[str, int]:
    """Claims of dead workers taken over (beat, every DELIVERY_LEASE_SWEEP_SECONDS)."""
    return services.leases_sweep()


@shared_task(acks_late=True)
def timeline_due_send() -> dict[str, int]:
    """The trip timeline's rows whose time has come (beat, every TIMELINE_TICK_SECONDS)."""
    return services.timeline_due_send()


# A status run applies the waiting reports batch after batch, and while more keep coming it
# stays (looking every STATUS_POLL_SECONDS) until none came for STATUS_LINGER_SECONDS; after
# STATUS_APPLY_BUDGET_SECONDS it hands over to a fresh task, so no run holds a process for ever.
STATUS_APPLY_BUDGET_SECONDS = 20.0
STATUS_LINGER_SECONDS = 1.0
STATUS_POLL_SECONDS = 0.05


@shared_task(bind=True, acks_late=True)
def status_reports_apply(self, claim: bool = False) -> int:
    """Apply the providers' waiting status callbacks (status lane). Queued by the webhooks
    (enqueue.status_apply_soon), and by beat as a safety net (claim=True: only when no other
    run is queued or at work)."""
    if self.request.is_eager:  # tests: what is stored now, no claim shared with others
        return services.status_reports_apply(limit=10**9)
    if claim and not enqueue.status_run_claim():
        return 0
    linger = STATUS_LINGER_SECONDS
    started = last_work = time.monotonic()
    applied = 0
    while True:
        taken = services.status_reports_apply()
        applied += taken
        now = time.monotonic()
        if taken:
            last_work = now
        if now - started > STATUS_APPLY_BUDGET_SECONDS:
            enqueue.status_run_going_on()
            enqueue.status_apply_later()  # the claim goes to the next run
            return applied
        if now - last_work >= linger:
            enqueue.status_run_stopping()
            if not services.status_reports_waiting() or not enqueue.status_run_claim():
                return applied
            last_work = now
            continue
        enqueue.status_run_going_on()
        if taken < services.STATUS_APPLY_BATCH:
            time.sleep(STATUS_POLL_SECONDS)
