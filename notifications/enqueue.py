"""Every hand-off to a worker: which task, on which lane, and when.

The services queue their follow-up work here; the tasks (tasks.py) call the services. So the
tasks are found by name in Celery's registry rather than imported (tasks.py is loaded with the
app, apps.py), and the engine reads one way: tasks → services → queue.
"""

import asyncio
import logging
import weakref

from asgiref.sync import sync_to_async
from celery import current_app
from django.conf import settings
from django.db import transaction

from notifications.models import Lane

log = logging.getLogger(__name__)

FAN_OUT = "notifications.tasks.event_fan_out"
SEND = "notifications.tasks.deliveries_send"
CONFIRM_BOOKING = "notifications.tasks.booking_confirm"
CONFIRM_BOOKINGS = "notifications.tasks.bookings_confirm"
STATUS_APPLY = "notifications.tasks.status_reports_apply"
# Providers' status callbacks are applied on a lane of their own (config/celery.py LANES), so
# a callback storm neither waits behind a fan-out nor delays agents' replies.
STATUS_LANE = "status"
# A web process asks for one status run per window, however many callbacks came in it.
STATUS_APPLY_WINDOW_SECONDS = 0.05
# New bookings confirmed per task: a bulk intake of thousands is a few dozen hand-offs.
CONFIRM_BATCH = 100


def _task(name: str):
    return current_app.tasks[name]


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


def status_apply_later() -> None:
    """Apply the waiting status reports in a worker (status lane)."""
    _task(STATUS_APPLY).apply_async(queue=STATUS_LANE)


_kick_pending: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


async def status_apply_soon() -> None:
    """After a webhook stored a status report: a worker applies it within a window.

    At most one task per STATUS_APPLY_WINDOW_SECONDS and web process: a report stored before
    the window's task is queued is seen by that task, as it only starts after the queueing;
    one stored after it opens the next window. Eager (tests, CELERY_TASK_ALWAYS_EAGER) the
    reports are applied before the answer.
    """
    if current_app.conf.task_always_eager:
        await sync_to_async(status_apply_later)()
        return
    loop = asyncio.get_running_loop()
    if loop in _kick_pending:
        return
    _kick_pending.add(loop)
    loop.call_later(STATUS_APPLY_WINDOW_SECONDS, _status_apply_window_ends, loop)


def _status_apply_window_ends(loop: asyncio.AbstractEventLoop) -> None:
    _kick_pending.discard(loop)
    # Queueing talks to the broker: off the event loop, which keeps answering webhooks.
    loop.run_in_executor(None, status_apply_later).add_done_callback(_queued)


def _queued(future) -> None:
    if future.exception() is not None:  # the reports wait; beat's run applies them
        log.warning("status run not queued: %s", type(future.exception()).__name__)
