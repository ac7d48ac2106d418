"""The sweep: nothing committed is ever left behind.

The database is the source of truth; the broker only carries hints. Whatever a lost task
(Redis restarted, a worker killed) or a dead worker left behind is queued again here:
- trip events accepted but never fanned out;
- pending deliveries that are due but have not been picked up within the grace period;
- deliveries stuck in SENDING (their worker died mid-batch) with no sign from the provider.
  A callback carrying our id moves such a row on by itself; only rows without any sign are
  tried again, so a crash doubles at most the messages whose answer was lost with the worker.

The last is also done on its own, every DELIVERY_LEASE_SWEEP_SECONDS (leases_sweep): a claim
whose lease ran out (its worker stopped renewing it) is taken over at once, so a killed
worker's recipients hear within seconds, not after the grace period.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from notifications import enqueue
from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, StatusReport, TripEvent

# At most this many deliveries are queued again per sweep (the next sweep takes the rest).
SWEEP_LIMIT = 20000


def _unclaimed_without_word():
    """Claims (SENDING) that no answer and no waiting status callback says went out.

    A callback carrying our id may wait in StatusReport for its status run (one a worker killed
    mid-run, say): that send went out, and the run will move the row on; taking it over would
    send it twice.
    """
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, provider_message_id="").exclude(
        Exists(StatusReport.objects.filter(delivery_id=OuterRef("pk")))
    )


def stuck_sending_after() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_STUCK_AFTER_SECONDS)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queue work that was committed but never picked up, or abandoned by a dead worker."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.DELIVERY_SWEEP_GRACE_SECONDS)
    events = list(
        TripEvent.objects.filter(fanned_out_at__isnull=True, created_at__lt=grace).values_list(
            "id", flat=True
        )
    )
    for event_id in events:
        enqueue.fan_out_later(event_id)
    stuck = _unclaimed_without_word().filter(
        Q(lease_until__lt=now)
        | Q(lease_until__isnull=True, claimed_at__lt=now - stuck_sending_after())
    )
    stuck_ids = list(stuck.values_list("id", flat=True)[:SWEEP_LIMIT])
    unstuck = _unclaim(stuck_ids)
    waiting = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(not_before__isnull=True, created_at__lt=grace)
            | Q(not_before__lt=grace)
            | Q(pk__in=stuck_ids)
        )
        .order_by("created_at")
    )
    by_lane: dict[str, list] = {}
    for pk, lane in waiting.values_list("id", "lane")[:SWEEP_LIMIT]:
        by_lane.setdefault(lane, []).append(pk)
    for lane in sorted(by_lane, key=lambda name: name != "interactive"):
        enqueue.send_later(ids=by_lane[lane], lane=lane)
    return {"events": len(events), "unstuck": unstuck, "requeued": sum(map(len, by_lane.values()))}


def leases_sweep(now: datetime | None = None) -> dict[str, int]:
    """Take over the claims whose lease ran out (a dead worker's) and queue them at once."""
    now = now or timezone.now()
    expired = list(
        _unclaimed_without_word()
        .filter(lease_until__lt=now)
        .values_list("id", "lane")[:SWEEP_LIMIT]
    )
    taken = _unclaim([pk for pk, _ in expired], expired_before=now)
    by_lane: dict[str, list] = {}
    for pk, lane in expired:
        by_lane.setdefault(lane, []).append(pk)
    for lane in sorted(by_lane, key=lambda name: name != "interactive"):
        enqueue.send_later(ids=by_lane[lane], lane=lane)
    return {"taken_over": taken}


def _unclaim(ids: list, expired_before: datetime | None = None) -> int:
    """SENDING → PENDING for claims nobody holds any more (checked again in the UPDATE)."""
    if not ids:
        return 0
    rows = _unclaimed_without_word().filter(pk__in=ids)
    if expired_before is not None:
        rows = rows.filter(lease_until__lt=expired_before)
    return rows.update(
        status=DeliveryStatus.PENDING,
        status_rank=STATUS_RANK[DeliveryStatus.PENDING],
        not_before=None,
        lease_until=None,
    )
