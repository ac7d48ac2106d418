"""Every hand-off to a worker: which task, on which lane, and when.

The services queue their follow-up work here; the tasks (tasks.py) call the services. So the
tasks are found by name in Celery's registry rather than imported (tasks.py is loaded with the
app, apps.py), and the engine reads one way: tasks → services → queue.
"""

import threading

import redis
from celery import current_app
from django.conf import settings
from django.db import transaction

from core.handoff import WindowedHandOff
from notifications.models import Lane

FAN_OUT = "notifications.tasks.event_fan_out"
SEND = "notifications.tasks.deliveries_send"
CONFIRM_BOOKING = "notifications.tasks.booking_confirm"
CONFIRM_BOOKINGS = "notifications.tasks.bookings_confirm"
STATUS_APPLY = "notifications.tasks.status_reports_apply"
# Providers' status callbacks are applied on a lane of their own (config/celery.py LANES), so
# a callback storm neither waits behind a fan-out nor delays agents' replies.
STATUS_LANE = "status"
# A web process asks for a status run at most once per window, however many callbacks came.
STATUS_APPLY_WINDOW_SECONDS = 0.1
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


def status_apply_later() -> None:
    """Apply the waiting status reports in a worker (status lane)."""
    _task(STATUS_APPLY).apply_async(queue=STATUS_LANE)


def _run_queued_flag():
    """Redis in services mode (every web process sees it); embedded, the one process's own."""
    global _flag
    if _flag is None:
        _flag = _RedisFlag(settings.REDIS_URL) if settings.REDIS_URL else _LocalFlag()
    return _flag


class _LocalFlag:
    def __init__(self) -> None:
        self._set, self._lock = False, threading.Lock()

    def set_if_clear(self) -> bool:
        with self._lock:
            was, self._set = self._set, True
            return not was

    def clear(self) -> None:
        with self._lock:
            self._set = False

    def keep(self) -> None:
        pass


class _RedisFlag:
    KEY = "thuisfront:status-run"
    # A queued run that never starts (no worker for a while) frees the flag after this long.
    TTL_SECONDS = 30

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def set_if_clear(self) -> bool:
        return bool(self._redis.set(self.KEY, "1", nx=True, ex=self.TTL_SECONDS))

    def clear(self) -> None:
        self._redis.delete(self.KEY)

    def keep(self) -> None:
        self._redis.expire(self.KEY, self.TTL_SECONDS)


_flag = None


def status_run_request(reports=None) -> None:
    """Queue a status run unless one is queued or running: that one sees every report stored
    before now (a running one looks again before it stops, status_run_stopping). Eager, the
    run is now, and nothing is shared."""
    if current_app.conf.task_always_eager:
        status_apply_later()
    elif _run_queued_flag().set_if_clear():
        status_apply_later()


def status_run_claim() -> bool:
    """A run not asked for by a webhook (beat's) runs only if no other is queued or running."""
    return _run_queued_flag().set_if_clear()


def status_run_going_on() -> None:
    """A run still at work keeps its claim (it would expire after TTL_SECONDS)."""
    _run_queued_flag().keep()


def status_run_stopping() -> None:
    """A run about to stop gives up its claim; it looks for reports once more afterwards, and a
    report stored before this asked for no run of its own."""
    _run_queued_flag().clear()


_status_handoff = WindowedHandOff("status", status_run_request, window=STATUS_APPLY_WINDOW_SECONDS)


async def status_apply_soon() -> None:
    """After a webhook stored a status report: a worker applies it shortly (core/handoff.py).

    However many callbacks come in, one status run is queued or at work at a time: it applies
    what waits, STATUS_APPLY_BATCH a transaction, and keeps looking while more comes in, so a
    storm is one task on one database connection, and the other pool processes keep sending.
    """
    await _status_handoff.add(None)
