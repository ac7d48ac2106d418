"""The sweep: nothing committed is ever left behind."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, TripEvent
from notifications.services.events import _enqueue_fan_out, deliveries_enqueue

STUCK_SENDING_AFTER = timedelta(minutes=5)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queue work that was committed but never picked up, or abandoned by a dead worker."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=60)
    events = list(TripEvent.objects.filter(fanned_out_at__isnull=True, created_at__lt=now - timedelta(seconds=30)).values_list("id", flat=True))
    for event_id in events:
        _enqueue_fan_out(event_id)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_SENDING_AFTER)
    unstuck = stuck.update(status=DeliveryStatus.PENDING, status_rank=STATUS_RANK[DeliveryStatus.PENDING])
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(not_before__isnull=True, created_at__lt=grace) | Q(not_before__lt=grace)
    )
    by_lane: dict[str, list] = {}
    for pk, lane in waiting.values_list("id", "lane")[:10000]:
        by_lane.setdefault(lane, []).append(pk)
    for lane, ids in by_lane.items():
        deliveries_enqueue(ids=ids, lane=lane)
    return {"events": len(events), "unstuck": unstuck, "requeued": sum(map(len, by_lane.values()))}
