"""One batch of deliveries: claim, build, send at the provider's pace, record — in bulk.

The database work is a handful of statements per batch whatever its size. The sends run
concurrently over the adapter's kept-alive connections (send_async), each first taking a slot
from the sender's shared rate limit. A bulk batch steps aside as soon as interactive work is
waiting in the broker: it sends due interactive deliveries (an agent's reply) itself, at once,
or, when the waiting work is something else, stops starting sends, gives its untried
deliveries back and has them queued again, so the worker takes that work first.
"""

import asyncio
import logging
import queue
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.messaging import DeliveryError, get_adapter, messaging_loop
from notifications import enqueue, ratelimit
from notifications.models import Delivery, DeliveryStatus, Lane
from notifications.services.bulk import deliveries_set
from notifications.services.claims import (
    deliveries_claim,
    deliveries_release,
    deliveries_supersede,
    deliveries_waiting_behind,
)
from notifications.services.outbound import (
    SHOWN_COLUMNS,
    delivery_prepare,
    delivery_show_what_was_sent,
)
from notifications.services.status import (
    deliveries_accepted,
    deliveries_failed,
    deliveries_retry_later,
)

log = logging.getLogger(__name__)

# How often a running bulk batch looks whether interactive work is waiting.
INTERACTIVE_POLL_SECONDS = 0.002
# Interactive deliveries a bulk batch sends itself when it sees them waiting.
INTERACTIVE_STEAL = 10
# Answers are written to the database at least this often while a batch is being sent.
RECORD_EVERY_SECONDS = 0.01
# A delivery that failed transiently this often is given up.
MAX_ATTEMPTS = 10


@dataclass
class BatchResult:
    """What one batch did, and what must be queued next (follow_up queues it)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    superseded: int = 0
    retry: dict[str, list] = field(default_factory=dict)  # lane → ids due after retry_in
    retry_in: float = 0.0
    requeue: dict[str, list] = field(default_factory=dict)  # lane → ids to queue now

    def counts(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "superseded": self.superseded,
            "retry": sum(map(len, self.retry.values())),
        }


def batch_send(*, ids: list, lane: str = Lane.BULK) -> BatchResult:
    """Send a batch, then queue what it left: retries after their backoff, the next in line now."""
    result = deliveries_send(ids=ids, lane=lane)
    follow_up(result)
    return result


def deliveries_send(*, ids: list, lane: str = Lane.BULK) -> BatchResult:
    """Send what of `ids` is due and ours to send; safe to run twice with the same ids."""
    result = BatchResult()
    superseded = deliveries_supersede(ids=ids)
    claimed = deliveries_claim(ids=ids, now=timezone.now())
    result.superseded = len(superseded)
    result.skipped = len(ids) - len(claimed) - len(superseded)
    finished: set[tuple[int, int]] = set(superseded)
    if claimed:
        deliveries = list(
            Delivery.objects.filter(pk__in=claimed)
            .select_related("contact_point", "customer", "event__trip")
            .order_by("channel", "created_at")
        )
        for channel, group in groupby(deliveries, key=lambda d: d.channel):
            finished |= _send_channel(channel, list(group), lane, result)
    result.requeue = _merge(result.requeue, deliveries_waiting_behind(pairs=finished))
    return result


def _send_channel(channel: str, deliveries: list[Delivery], lane: str, result: BatchResult) -> set:
    now = timezone.now()
    catalogue: dict = {}
    ready, refused = [], []
    for delivery in deliveries:
        try:
            ready.append((delivery, delivery_prepare(delivery, now, catalogue)))
        except DeliveryError as error:
            refused.append((delivery, error))
    shown = [delivery_show_what_was_sent(d, m) for d, m in ready]
    deliveries_set(
        rows=[(d.pk, *(getattr(d, f) for f, _ in SHOWN_COLUMNS)) for d in shown],
        columns=SHOWN_COLUMNS,
    )
    adapter = get_adapter(channel)
    finished = _record(adapter, refused, result)
    for answers in _send_all(adapter, ready, watch=lane == Lane.BULK and bool(settings.REDIS_URL)):
        finished |= _record(adapter, answers, result)
    return finished


def _record(adapter, outcomes: list, result: BatchResult) -> set:
    """Store what came back, a few statements for any number of answers."""
    accepted, failed, retries, untried = [], [], [], []
    for delivery, answer in outcomes:
        if answer is None:
            untried.append(delivery.pk)
        elif isinstance(answer, DeliveryError):
            if not answer.permanent and delivery.attempts < MAX_ATTEMPTS:
                retries.append(
                    (delivery, answer, backoff_seconds(delivery.attempts, answer.retry_after))
                )
            else:
                reason = (
                    answer.message
                    if answer.permanent
                    else f"gave up after {delivery.attempts} attempts: {answer.message}"
                )
                failed.append((delivery, answer, reason))
        else:
            accepted.append((delivery, answer))
    deliveries_accepted(accepted=accepted, status=adapter.accepted_status)
    deliveries_failed(failed=failed)
    deliveries_retry_later(retries=retries)
    deliveries_release(ids=untried)
    for delivery, error, delay in retries:
        log.info("delivery %s: transient error %s, retry in %.1fs", delivery.pk, error.code, delay)
        result.retry.setdefault(delivery.lane, []).append(delivery.pk)
        result.retry_in = max(result.retry_in, delay)
    if untried:
        result.requeue.setdefault(Lane.BULK, []).extend(untried)
    result.sent += len(accepted)
    result.failed += len(failed)
    return {(d.customer_id, d.trip_id) for d, *_ in accepted + failed if d.event_id}


def _merge(a: dict[str, list], b: dict[str, list]) -> dict[str, list]:
    for lane, ids in b.items():
        a.setdefault(lane, []).extend(i for i in ids if i not in a.get(lane, []))
    return a


def _send_all(adapter, ready: list, *, watch: bool) -> Iterator[list]:
    """Yield answers as they come, in small groups: (delivery, provider id | DeliveryError | None).

    None means not tried (the batch stepped aside). Answers are handed back within
    RECORD_EVERY_SECONDS of arriving, so a worker that dies takes few unrecorded answers with
    it (each of those may be sent again: the provider has no idempotency key).
    """
    if not (adapter.concurrent and len(ready) > 1):
        for delivery, message in ready:
            yield [(delivery, _send_one_sync(adapter, delivery, message))]
        return
    answers: queue.SimpleQueue = queue.SimpleQueue()
    waiting = threading.Event()  # set from the sending loop: interactive work was queued
    loop = messaging_loop()
    stop = asyncio.Event()
    future = asyncio.run_coroutine_threadsafe(
        _send_concurrently(adapter, ready, answers.put, stop, waiting if watch else None), loop
    )
    pending = len(ready)
    while pending:
        if waiting.is_set():
            waiting.clear()
            if not interactive_send_now():
                loop.call_soon_threadsafe(stop.set)  # something else waits: step aside
        group = _drain(answers, timeout=RECORD_EVERY_SECONDS)
        if not group and future.done():
            future.result()  # raises what went wrong in the loop
            break
        pending -= len(group)
        if group:
            yield group


def _drain(answers: queue.SimpleQueue, timeout: float) -> list:
    try:
        group = [answers.get(timeout=timeout)]
    except queue.Empty:
        return []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            group.append(answers.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            break
    return group


def _limiter_error(exc: Exception) -> DeliveryError:
    return DeliveryError(
        f"the shared rate limit could not be read ({exc.__class__.__name__})", code="rate_limiter"
    )


def _send_one_sync(adapter, delivery: Delivery, message):
    interactive = delivery.lane == Lane.INTERACTIVE
    try:
        while True:
            slot = ratelimit.slot_reserve(
                channel=adapter.channel, sender=adapter.sender, interactive=interactive
            )
            time.sleep(slot.wait)
            if slot.granted:
                break
    except Exception as exc:  # Redis away: try again later rather than exceed the provider's limit
        return _limiter_error(exc)
    try:
        return adapter.send(message)
    except DeliveryError as error:
        return error


async def _send_concurrently(adapter, ready: list, emit, stop: asyncio.Event, waiting) -> None:
    gate = asyncio.Semaphore(settings.DELIVERY_SEND_CONCURRENCY)
    watcher = (
        asyncio.ensure_future(_watch_interactive(stop, waiting)) if waiting is not None else None
    )

    async def one(delivery, message) -> None:
        emit((delivery, await _send_one(adapter, delivery, message, gate, stop)))

    try:
        await asyncio.gather(*(one(d, m) for d, m in ready))
    finally:
        # Ended by the flag, not by cancelling: redis-py may swallow a cancellation mid-command.
        stop.set()
        if watcher is not None:
            await asyncio.gather(watcher, return_exceptions=True)


async def _send_one(
    adapter, delivery: Delivery, message, gate: asyncio.Semaphore, stop: asyncio.Event
):
    async with gate:
        if stop.is_set():
            return None
        try:
            if not await _take_slot(adapter, delivery, stop):
                return None
        except Exception as exc:
            return _limiter_error(exc)
        try:
            return await adapter.send_async(message)
        except DeliveryError as error:
            return error
        except Exception as exc:  # never lose the answer slot: an unknown fault is tried again
            log.exception("delivery %s: unexpected error while sending", delivery.pk)
            return DeliveryError(
                f"unexpected error while sending: {exc.__class__.__name__}", code="error"
            )


async def _take_slot(adapter, delivery: Delivery, stop: asyncio.Event) -> bool:
    """Wait for this message's slot in the sender's rate; False when the batch must step aside."""
    interactive = delivery.lane == Lane.INTERACTIVE
    while True:
        slot = await ratelimit.slot_reserve_async(
            channel=adapter.channel, sender=adapter.sender, interactive=interactive
        )
        if slot.wait > 0 and await _stopped_within(stop, slot.wait):
            return False
        if slot.granted:
            return True


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True


async def _watch_interactive(stop: asyncio.Event, waiting: threading.Event) -> None:
    """Raise `waiting` whenever more interactive tasks wait in the broker than before."""
    try:
        client = ratelimit.redis_async()
        seen = 0
        while not stop.is_set():
            queued = await client.llen(Lane.INTERACTIVE)
            if queued > seen:
                waiting.set()
            seen = queued
            await asyncio.sleep(INTERACTIVE_POLL_SECONDS)
    except Exception as exc:  # no broker to look at: keep sending
        log.debug("interactive lane not watched: %s", exc)


def interactive_send_now() -> bool:
    """Send interactive deliveries that are due, from inside a running bulk batch.

    An agent's reply then goes out at once instead of waiting for a worker to finish its bulk
    batch; its own task, when it runs, finds it claimed and does nothing. False when there was
    nothing to send (the waiting work is something else: the bulk batch then steps aside).
    """
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, lane=Lane.INTERACTIVE)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("created_at")
        .values_list("id", flat=True)[:INTERACTIVE_STEAL]
    )
    if not ids:
        return False
    batch_send(ids=ids, lane=Lane.INTERACTIVE)
    return True


def follow_up(result: BatchResult) -> None:
    """Queue what a batch left for later: retries after their backoff, the next in line now."""
    for lane, ids in result.requeue.items():
        enqueue.send_later(ids=ids, lane=lane)
    for lane, ids in result.retry.items():
        enqueue.send_later(ids=ids, lane=lane, countdown=result.retry_in)


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, never sooner than the provider asked."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS
    ceiling = min(900.0, base * (2 ** max(0, attempt - 1)))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)
