"""One batch of deliveries: claim, build, send at the provider's pace, record — in bulk.

The database work is a handful of statements per batch whatever its size. The sends run
concurrently on the sending loop over the adapter's kept-alive connections (one send path:
the adapter's coroutine `send`), taking their slots of the sender's shared rate limit a few
at a time. The batch holds its claims under a short lease (DELIVERY_LEASE_SECONDS) that it
renews while it sends: a worker that dies leaves claims that expire within seconds and are
taken over by the lease sweep, while a slow but living worker keeps its own.

A bulk batch steps aside as soon as interactive work is waiting in the broker: it sends due
interactive deliveries (an agent's reply) itself, at once, or, when the waiting work is
something else, stops starting sends, gives its untried deliveries back and has them queued
again, so the worker takes that work first. A worker told to stop (SIGTERM, a deploy) does the
same: what it has not started goes back to the queue for another worker, nothing waits for a
sweep.
"""

import asyncio
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.messaging import DeliveryError, get_adapter, on_caller, run
from notifications import enqueue, ratelimit
from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, Lane, TripEvent
from notifications.services.claims import (
    batch_events,
    deliveries_claim,
    deliveries_lease_renew,
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
INTERACTIVE_POLL_SECONDS = 0.01
# Interactive deliveries a bulk batch sends itself when it sees them waiting.
INTERACTIVE_STEAL = 10
# Answers are written to the database at least this often while a batch is being sent (and
# while one group is written the next gathers, so a slow database means larger groups).
RECORD_EVERY_SECONDS = 0.025
# A delivery that failed transiently this often is given up.
MAX_ATTEMPTS = 10
# Bulk rate-limit slots taken from Redis in one round trip.
SLOTS_PER_TRIP = 16

# Set when the worker is told to stop (notifications/shutdown.py): batches start no new sends.
stopping = threading.Event()


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
    """Send what of `ids` is due and ours to send; safe to run twice with the same ids.

    The due ones are loaded and their messages built first, so that the claim writes what goes
    out onto the rows in the same statement; what another worker claimed meanwhile is dropped.
    """
    result = BatchResult()
    events = batch_events(ids)
    superseded = deliveries_supersede(ids=ids, events=events)
    now = timezone.now()
    due = _load(ids, now)
    built = _build(due, now)
    claimed = set(
        deliveries_claim(
            ids=[d.pk for d in due],
            now=now,
            events=events,
            shown=[(d.pk, *(getattr(d, f) for f, _ in SHOWN_COLUMNS)) for d, _ in built],
            shown_columns=SHOWN_COLUMNS,
        )
    )
    result.superseded = len(superseded)
    result.skipped = len(ids) - len(claimed) - len(superseded)
    finished: set[tuple[int, int]] = set(superseded)
    if claimed:
        lease = Lease(claimed)
        mine = [(d, m) for d, m in built if d.pk in claimed]
        for delivery, _ in mine:
            _claimed(delivery, now)
        for channel, group in groupby(mine, key=lambda pair: pair[0].channel):
            group = list(group)
            adapter = get_adapter(channel)
            if stopping.is_set():  # a warm shutdown: what has not started goes back
                finished |= _record(adapter, [(d, None) for d, _ in group], result, lease)
                continue
            lease.renew_if_due()
            finished |= _send_channel(adapter, group, lane, result, lease)
    result.requeue = _merge(result.requeue, deliveries_waiting_behind(pairs=finished))
    return result


def _load(ids: list, now) -> list[Delivery]:
    """The due deliveries among ids with their people; the batch's few events (and trips) once
    each."""
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .select_related("contact_point", "customer")
        .order_by("channel", "created_at")
    )
    events = TripEvent.objects.select_related("trip").in_bulk(
        {d.event_id for d in deliveries if d.event_id}
    )
    for delivery in deliveries:
        if delivery.event_id:
            delivery.event = events[delivery.event_id]
    return deliveries


def _build(deliveries: list[Delivery], now) -> list[tuple[Delivery, object]]:
    """(delivery, its message, or the DeliveryError saying why none may go), with what goes out
    copied onto the delivery; templates and wording looked up once for the batch."""
    batch_cache: dict = {}
    built = []
    for delivery in deliveries:
        try:
            message = delivery_prepare(delivery, now, batch_cache)
        except DeliveryError as error:
            built.append((delivery, error))
        else:
            built.append((delivery_show_what_was_sent(delivery, message), message))
    return built


def _claimed(delivery: Delivery, now) -> None:
    """The row as the claim left it (one UPDATE for the batch, mirrored here)."""
    delivery.status = DeliveryStatus.SENDING
    delivery.status_rank = STATUS_RANK[DeliveryStatus.SENDING]
    delivery.attempts += 1
    delivery.claimed_at = now
    delivery.lease_until = now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


class Lease:
    """The batch's claims it has not recorded yet, kept under a lease it renews while it works."""

    def __init__(self, ids: list) -> None:
        self.ids = set(ids)
        self.renewed = time.monotonic()

    def due(self) -> bool:
        return time.monotonic() - self.renewed >= settings.DELIVERY_LEASE_SECONDS / 3

    def renew(self) -> None:
        self.renewed = time.monotonic()
        until = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
        deliveries_lease_renew(ids=list(self.ids), until=until)

    def renew_if_due(self) -> None:
        if self.ids and self.due():
            self.renew()


def _send_channel(adapter, built: list, lane: str, result: BatchResult, lease: Lease) -> set:
    ready = [(d, m) for d, m in built if not isinstance(m, DeliveryError)]
    refused = [(d, m) for d, m in built if isinstance(m, DeliveryError)]
    finished = _record(adapter, refused, result, lease)
    if ready:
        # A bulk batch steps aside for interactive tasks waiting in the broker; run eagerly,
        # stepping aside would only run this batch again at once, and again.
        watch = lane == Lane.BULK and enqueue.lanes_wait_in_broker()
        finished |= run(_send_all(adapter, ready, result, lease, watch=watch))
    return finished


def _record(adapter, outcomes: list, result: BatchResult, lease: Lease) -> set:
    """Store what came back, a few statements for any number of answers."""
    accepted, failed, retries, untried = [], [], [], []
    for delivery, answer in outcomes:
        lease.ids.discard(delivery.pk)
        if answer is None:
            untried.append(delivery)
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
    deliveries_release(ids=[d.pk for d in untried])
    for delivery, error, delay in retries:
        log.info("delivery %s: transient error %s, retry in %.1fs", delivery.pk, error.code, delay)
        result.retry.setdefault(delivery.lane, []).append(delivery.pk)
        result.retry_in = max(result.retry_in, delay)
    for delivery in untried:
        result.requeue.setdefault(delivery.lane, []).append(delivery.pk)
    result.sent += len(accepted)
    result.failed += len(failed)
    return {(d.customer_id, d.trip_id) for d, *_ in accepted + failed if d.event_id}


def _merge(a: dict[str, list], b: dict[str, list]) -> dict[str, list]:
    for lane, ids in b.items():
        a.setdefault(lane, []).extend(i for i in ids if i not in a.get(lane, []))
    return a


async def _send_all(adapter, ready: list, result: BatchResult, lease: Lease, *, watch: bool):
    """Send every (delivery, message) at once under the concurrency gate; record as they come.

    Answers go to the database in small groups, within RECORD_EVERY_SECONDS of arriving, so a
    worker that dies takes few unrecorded answers with it (each of those may be sent again: the
    provider has no idempotency key). An untried delivery (the batch stepped aside) is None.
    """
    stop = asyncio.Event()
    waiting = asyncio.Event()  # interactive work was queued
    answers: list = []
    slots = SlotBook(adapter, len(ready))
    gate = asyncio.Semaphore(settings.DELIVERY_SEND_CONCURRENCY)

    async def one(delivery, message) -> None:
        answers.append((delivery, await _send_one(adapter, delivery, message, gate, stop, slots)))

    sends = asyncio.gather(*(one(d, m) for d, m in ready))
    watcher = asyncio.ensure_future(_watch_interactive(stop, waiting)) if watch else None
    finished: set = set()
    try:
        while True:
            done = sends.done()
            if answers:
                group, answers[:] = answers[:], []
                finished |= await on_caller(_record, adapter, group, result, lease)
            if done:
                break
            if lease.due():
                await on_caller(lease.renew)
            if stopping.is_set():
                stop.set()
            if waiting.is_set():
                waiting.clear()
                if not await on_caller(interactive_send_now):
                    stop.set()  # something else waits: step aside
            await asyncio.wait({sends}, timeout=RECORD_EVERY_SECONDS)
        sends.result()  # raises what went wrong
    finally:
        # Ended by the flag, not by cancelling: redis-py may swallow a cancellation mid-command.
        stop.set()
        if watcher is not None:
            await asyncio.gather(watcher, return_exceptions=True)
    return finished


def _limiter_error(exc: Exception) -> DeliveryError:
    return DeliveryError(
        f"the shared rate limit could not be read ({exc.__class__.__name__})", code="rate_limiter"
    )


async def _send_one(adapter, delivery: Delivery, message, gate, stop: asyncio.Event, slots):
    async with gate:
        if stop.is_set():
            return None
        try:
            if not await slots.take(delivery, stop):
                return None
        except Exception as exc:  # Redis away: try again later rather than exceed the limit
            return _limiter_error(exc)
        try:
            return await adapter.send(message)
        except DeliveryError as error:
            return error
        except Exception as exc:  # never lose the answer slot: an unknown fault is tried again
            log.exception("delivery %s: unexpected error while sending", delivery.pk)
            return DeliveryError(
                f"unexpected error while sending: {exc.__class__.__name__}", code="error"
            )


class SlotBook:
    """A batch's slots of its sender's rate, fetched SLOTS_PER_TRIP at a time for bulk sends.

    One Redis round trip books several consecutive slots (ratelimit.slots_reserve_async); each
    send then waits for the next booked slot's time. An interactive send books its own slot,
    which may run ahead of bulk (ratelimit.py).
    """

    def __init__(self, adapter, sends: int) -> None:
        self.adapter = adapter
        self.limited = ratelimit.rate_for(adapter.channel, adapter.sender) > 0
        self.left = sends  # sends that may still want a slot
        self.booked: list[float] = []  # loop times of booked slots, soonest first
        self.lock = asyncio.Lock()

    async def take(self, delivery: Delivery, stop: asyncio.Event) -> bool:
        """Wait for this send's slot; False when the batch must step aside."""
        self.left -= 1
        if not self.limited:
            return True
        if delivery.lane == Lane.INTERACTIVE:
            return await self._take_one(stop)
        loop = asyncio.get_running_loop()
        while True:
            async with self.lock:
                if not self.booked:
                    wait = await self._book(loop)
                    if wait is not None:
                        if await _stopped_within(stop, wait):
                            return False
                        continue
                at = self.booked.pop(0)
            delay = at - loop.time()
            return not (delay > 0 and await _stopped_within(stop, delay))

    async def _book(self, loop) -> float | None:
        """Book the next few slots; the seconds to wait before asking again when refused."""
        count = min(SLOTS_PER_TRIP, self.left + 1)
        interval = 1.0 / ratelimit.rate_for(self.adapter.channel, self.adapter.sender)
        granted, ahead = await ratelimit.slots_reserve_async(
            channel=self.adapter.channel, sender=self.adapter.sender, count=count
        )
        if not granted:
            return ahead
        start = loop.time() + ahead
        self.booked.extend(start + i * interval for i in range(granted))
        return None

    async def _take_one(self, stop: asyncio.Event) -> bool:
        while True:
            slot = await ratelimit.slot_reserve_async(
                channel=self.adapter.channel, sender=self.adapter.sender, interactive=True
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


async def _watch_interactive(stop: asyncio.Event, waiting: asyncio.Event) -> None:
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
