"""Every hand-off to a worker: which task, on which lane, and when.

The services queue their follow-up work here; the tasks (tasks.py) call the services. So the
tasks are found by name in Celery's registry rather than imported (tasks.py is loaded with the
app, apps.py), and the engine reads one way: tasks → services → queue.
"""

from celery import current_app
from django.conf import settings
from django.db import transaction

from notifications.models import Lane

FAN_OUT = "notifications.tasks.event_fan_out"
SEND = "notifications.tasks.deliveries_send"
CONFIRM_BOOKING = "notifications.tasks.booking_confirm"
CONFIRM_BOOKINGS = "notifications.tasks.bookings_confirm"
# New bookings confirmed per task: a bulk intake of thousands is a few dozen hand-offs.
CONFIRM_BATCH = 100


def _task(name: str):
    return current_app.tasks[name]


def lanes_wait_in_broker() -> bool:
    """Do queued tasks wait in Redis lanes that a worker can look at (services mode)? Not when
    there is no Redis, nor when tasks run at once where they are queued (eagerly)."""
    return bool(settings.REDIS_URL) and not current_app.conf.task_always_eager


def fan_out_later(event_id) -> None:
    """Create the deliveries of a trip event in a worker."""
    _task(FAN_OUT).apply_async(args=[str(event_id)], queue=Lane.BULK)


def fan_out_after_commit(event_id) -> None:
    transaction.on_commit(lambda: fan_out_later(event_id))


def send_later(*, ids: list, lane: str, countdown: float | None = None) -> None:
    """Queue sends in batches of DELIVERY_SEND_BATCH on a lane (a Celery queue)."""
    size = settings.DELIVERY_SEND_BATCH
    for start in range(0, len(ids), size):
        batch = [str(i) for i in ids[start : start + size]]
        _task(SEND).apply_async(
            args=[batch], kwargs={"lane": lane}, queue=lane, countdown=countdown
        )


def send_after_commit(*, ids: list, lane: str) -> None:
    transaction.on_commit(lambda: send_later(ids=ids, lane=lane))


def booking_confirm_later(booking_id: int) -> None:
    """Confirm a new booking to its passengers, on the interactive lane."""
    _task(CONFIRM_BOOKING).apply_async(args=[booking_id], queue=Lane.INTERACTIVE)


def bookings_confirm_later(booking_ids: list[int]) -> None:
    """Confirm new bookings to their passengers, on the interactive lane, CONFIRM_BATCH a task."""
    for start in range(0, len(booking_ids), CONFIRM_BATCH):
        batch = booking_ids[start : start + CONFIRM_BATCH]
        _task(CONFIRM_BOOKINGS).apply_async(args=[batch], queue=Lane.INTERACTIVE)
