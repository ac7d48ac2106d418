"""Provider status reports: stored once, applied only when they move a delivery forward.

read > delivered > failed/undelivered > sent > queued; a report that arrives before our send
was recorded is kept and applied by delivery_accepted.

A status callback's webhook only stores what it was told (status_report_store: one INSERT
into StatusReport) and answers; a worker on the status lane applies the waiting reports in
batches (status_reports_apply), by the same rules as delivery_status_record.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.handoff import GroupInsert
from core.messaging import DeliveryError
from core.models import ContactPoint
from core.services import contact_point_opt_out
from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, StatusEvent, StatusReport
from notifications.services.bulk import deliveries_set
from notifications.signals import delivery_updated, event_deliveries_updated

_TIMESTAMP_FIELD = {
    DeliveryStatus.QUEUED: "queued_at",
    DeliveryStatus.SENT: "sent_at",
    DeliveryStatus.DELIVERED: "delivered_at",
    DeliveryStatus.READ: "read_at",
    DeliveryStatus.FAILED: "failed_at",
    DeliveryStatus.UNDELIVERED: "failed_at",
}


def contact_point_mark_unreachable(*, contact_point: ContactPoint, code: str, reason: str) -> None:
    ContactPoint.objects.filter(pk=contact_point.pk, unreachable_at__isnull=True).update(
        unreachable_at=timezone.now(),
        unreachable_code=str(code)[:20],
        unreachable_reason=reason[:300],
    )


def contact_point_provider_opted_out(
    *, contact_point: ContactPoint, code: str, reason: str
) -> None:
    """The provider says the person unsubscribed: their opt-out, as if they sent STOP (they opt
    in again the same ways), recorded with the provider's code as its source."""
    contact_point.refresh_from_db(fields=["opted_in"])
    if contact_point.opted_in:
        contact_point_opt_out(
            contact_point=contact_point, source=f"provider opt-out: {reason or code}"[:200]
        )


def _apply_status(
    delivery: Delivery, status: str, *, at: datetime, error_code: str = "", error_message: str = ""
) -> bool:
    rank = STATUS_RANK[status]
    fields = {"status": status, "status_rank": rank}
    if status in (DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED):
        fields.update(error_code=str(error_code)[:20], error_message=error_message[:500])
    moved = Delivery.objects.filter(pk=delivery.pk, status_rank__lt=rank).update(**fields)
    stamp = _TIMESTAMP_FIELD.get(status)
    if stamp:  # every transition keeps its time, even one that arrives after a later one
        Delivery.objects.filter(pk=delivery.pk, **{f"{stamp}__isnull": True}).update(**{stamp: at})
    if moved:
        pk = delivery.pk
        transaction.on_commit(lambda: _notify_updated(pk))
    return bool(moved)


def _notify_updated(pk) -> None:
    delivery = Delivery.objects.filter(pk=pk).first()
    if delivery is not None:
        delivery_updated.send(sender=Delivery, delivery=delivery)


@transaction.atomic
def delivery_accepted(
    *, delivery: Delivery, provider_message_id: str, status: str = DeliveryStatus.QUEUED
) -> None:
    """The provider took the message: keep its id, then apply any status that came before."""
    Delivery.objects.filter(pk=delivery.pk).update(
        provider_message_id=provider_message_id, error_code="", error_message=""
    )
    delivery.provider_message_id = provider_message_id
    _apply_status(delivery, status, at=timezone.now())
    early = StatusEvent.objects.select_for_update().filter(
        channel=delivery.channel, provider_message_id=provider_message_id, applied=False
    )
    for event in early:
        _apply_event(delivery, event)


def _apply_event(delivery: Delivery, event: StatusEvent) -> None:
    _apply_status(
        delivery,
        event.status,
        at=event.received_at,
        error_code=event.error_code,
        error_message=event.raw.get("error_message", "") if isinstance(event.raw, dict) else "",
    )
    StatusEvent.objects.filter(pk=event.pk).update(applied=True, delivery=delivery)
    raw = event.raw if isinstance(event.raw, dict) else {}
    if raw.get("unreachable"):
        contact_point_mark_unreachable(
            contact_point=delivery.contact_point,
            code=event.error_code,
            reason=raw.get("error_message", ""),
        )
    if raw.get("opted_out"):
        contact_point_provider_opted_out(
            contact_point=delivery.contact_point,
            code=event.error_code,
            reason=raw.get("error_message", ""),
        )


@transaction.atomic
def delivery_status_record(
    *,
    channel: str,
    provider_message_id: str,
    status: str,
    error_code: str = "",
    error_message: str = "",
    unreachable: bool = False,
    opted_out: bool = False,
    delivery_id=None,
    raw: dict | None = None,
    at: datetime | None = None,
) -> Delivery | None:
    """Record a provider status report once; apply it if it moves the delivery forward.

    A report for a message whose send is not recorded yet is kept and applied by
    delivery_accepted. Returns the delivery it applied to, if any.
    """
    at = at or timezone.now()
    details = dict(raw or {})
    if error_message:
        details["error_message"] = error_message
    if unreachable:
        details["unreachable"] = True
    if opted_out:
        details["opted_out"] = True
    event, created = StatusEvent.objects.get_or_create(
        channel=channel,
        provider_message_id=provider_message_id,
        status=status,
        defaults={"error_code": str(error_code or "")[:20], "raw": details, "received_at": at},
    )
    if not created and event.applied:
        return None  # the same report again
    delivery = None
    if delivery_id:
        delivery = (
            Delivery.objects.filter(pk=delivery_id, channel=channel)
            .select_related("contact_point")
            .first()
        )
        if delivery and not delivery.provider_message_id:
            Delivery.objects.filter(pk=delivery.pk, provider_message_id="").update(
                provider_message_id=provider_message_id
            )
    if delivery is None:
        delivery = (
            Delivery.objects.filter(channel=channel, provider_message_id=provider_message_id)
            .select_related("contact_point")
            .first()
        )
    if delivery is None:
        return None
    _apply_event(delivery, event)
    return delivery


def deliveries_mark_up_to(*, channel: str, address: str, status: str, watermark: datetime) -> int:
    """Messenger delivery/read watermarks: everything sent to that person before it moved on."""
    rank = STATUS_RANK[status]
    ids = list(
        Delivery.objects.filter(
            channel=channel,
            contact_point__address=address,
            sent_at__lte=watermark,
            status_rank__lt=rank,
        )
        .exclude(provider_message_id="")
        .values_list("id", "provider_message_id")
    )
    for pk, provider_message_id in ids:
        delivery_status_record(
            channel=channel,
            provider_message_id=provider_message_id,
            status=status,
            delivery_id=pk,
            at=watermark,
        )
    return len(ids)


# -- Many at once: what a batch of sends came back with, recorded in a few statements. --------


def _notify_on_commit(deliveries) -> None:
    # Replies and confirmations are announced one by one (the inbox ticks); event fan-out
    # messages in one signal per batch (the inbox shows those of people in an open conversation).
    pks = [d.pk for d in deliveries if d.event_id is None]
    for pk in pks:
        transaction.on_commit(lambda pk=pk: _notify_updated(pk))
    event_pks = [d.pk for d in deliveries if d.event_id is not None]
    if event_pks:
        addresses = list({d.contact_point_id for d in deliveries if d.event_id is not None})
        transaction.on_commit(
            lambda: event_deliveries_updated.send(
                sender=Delivery, delivery_ids=event_pks, contact_point_ids=addresses
            )
        )


@transaction.atomic
def deliveries_accepted(
    *, accepted: list[tuple[Delivery, str]], status: str, at: datetime | None = None
) -> None:
    """The provider took these: one UPDATE for the usual case (still SENDING, nothing reported).

    A row a status callback reached first (the callback URL carries our id) goes the careful
    way, as does any report that came in before we knew the provider's id.
    """
    if not accepted:
        return
    at = at or timezone.now()
    stamp, rank = _TIMESTAMP_FIELD[status], STATUS_RANK[status]
    done = deliveries_set(
        rows=[(d.pk, provider_id) for d, provider_id in accepted],
        columns=[("provider_message_id", "text")],
        shared={
            "status": status,
            "status_rank": rank,
            stamp: at,
            "error_code": "",
            "error_message": "",
        },
        only_status=DeliveryStatus.SENDING,
    )
    by_id = {}
    for delivery, provider_id in accepted:
        if delivery.pk not in done:
            delivery_accepted(delivery=delivery, provider_message_id=provider_id, status=status)
        delivery.provider_message_id, delivery.status, delivery.status_rank = (
            provider_id,
            status,
            rank,
        )
        by_id[provider_id] = delivery
    early = StatusEvent.objects.select_for_update().filter(
        channel=accepted[0][0].channel, provider_message_id__in=list(by_id), applied=False
    )
    for event in early:
        _apply_event(by_id[event.provider_message_id], event)
    _notify_on_commit([d for d, _ in accepted])


@transaction.atomic
def deliveries_failed(
    *, failed: list[tuple[Delivery, DeliveryError, str]], at: datetime | None = None
) -> None:
    """Final failures, each with its code and a reason a person can read; never retried."""
    if not failed:
        return
    at = at or timezone.now()
    rank = STATUS_RANK[DeliveryStatus.FAILED]
    deliveries_set(
        rows=[(d.pk, error.code[:20], reason[:500]) for d, error, reason in failed],
        columns=[("error_code", "text"), ("error_message", "text")],
        shared={"status": DeliveryStatus.FAILED, "status_rank": rank, "failed_at": at},
        below_rank=rank,
    )
    for delivery, error, _ in failed:
        delivery.status, delivery.status_rank = DeliveryStatus.FAILED, rank
        if error.unreachable:
            contact_point_mark_unreachable(
                contact_point=delivery.contact_point, code=error.code, reason=error.message
            )
        if error.opted_out:
            contact_point_provider_opted_out(
                contact_point=delivery.contact_point, code=error.code, reason=error.message
            )
    _notify_on_commit([d for d, _, _ in failed])


def deliveries_retry_later(
    *, retries: list[tuple[Delivery, DeliveryError, float]], at: datetime | None = None
) -> None:
    """Transient failures: back to pending, due after their backoff, keeping their place in line."""
    if not retries:
        return
    at = at or timezone.now()
    deliveries_set(
        rows=[
            (d.pk, at + timedelta(seconds=delay), error.code[:20], error.message[:500])
            for d, error, delay in retries
        ],
        columns=[("not_before", "timestamptz"), ("error_code", "text"), ("error_message", "text")],
        shared={
            "status": DeliveryStatus.PENDING,
            "status_rank": STATUS_RANK[DeliveryStatus.PENDING],
        },
        only_status=DeliveryStatus.SENDING,
    )


# -- Status callbacks, stored by the webhook and applied by a worker in batches. -------------

# Reports applied per transaction: a few statements each batch, whatever its size.
STATUS_APPLY_BATCH = 500
_FAILED = (DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED)
_STAMPS = ("queued_at", "sent_at", "delivered_at", "read_at", "failed_at")


def _report(
    *,
    channel: str,
    provider_message_id: str,
    status: str,
    error_code: str = "",
    error_message: str = "",
    unreachable: bool = False,
    opted_out: bool = False,
    delivery_id=None,
    address: str = "",
    raw: dict | None = None,
    at: datetime | None = None,
) -> StatusReport:
    return StatusReport(
        channel=channel,
        provider_message_id=provider_message_id[:200],
        status=status,
        error_code=str(error_code or "")[:20],
        error_message=error_message[:500],
        unreachable=unreachable,
        opted_out=opted_out,
        delivery_id=delivery_id,
        address=address[:64],
        raw=raw or {},
        received_at=at or timezone.now(),
    )


def status_report_store(**fields) -> StatusReport:
    """Keep a provider's status report for the status lane: one INSERT (fields as
    delivery_status_record takes them, plus the recipient's `address`)."""
    report = _report(**fields)
    report.save(force_insert=True)
    return report


_REPORTS = GroupInsert(StatusReport.objects.bulk_create)


async def status_report_astore(**fields) -> StatusReport:
    """status_report_store for an async webhook view: stored with the reports of the requests
    waiting at the same time, one INSERT for all (core.handoff.GroupInsert); returns once it
    is committed."""
    report = _report(**fields)
    await _REPORTS.store(report)
    return report


@transaction.atomic
def status_reports_apply(*, limit: int = STATUS_APPLY_BATCH) -> int:
    """Apply up to `limit` waiting status reports, oldest first; returns how many were taken.

    Several workers may run this at once: each takes reports no other holds (SKIP LOCKED). A
    batch that fails is rolled back whole and its reports wait for the next run.
    """
    reports = list(StatusReport.objects.select_for_update(skip_locked=True).order_by("id")[:limit])
    if not reports:
        return 0
    StatusReport.objects.filter(pk__in=[r.pk for r in reports]).delete()
    for channel in sorted({r.channel for r in reports}):
        _reports_record(channel, [r for r in reports if r.channel == channel])
    return len(reports)


def status_reports_waiting() -> bool:
    return StatusReport.objects.exists()


def _details(report: StatusReport) -> dict:
    details = dict(report.raw or {})
    if report.error_message:
        details["error_message"] = report.error_message
    if report.unreachable:
        details["unreachable"] = True
    if report.opted_out:
        details["opted_out"] = True
    return details


def _reports_record(channel: str, reports: list[StatusReport]) -> None:
    """delivery_status_record for many reports of one channel, in a few statements."""
    firsts, pointed = _reports_distinct(reports)
    _status_events_store(channel, firsts)
    per_delivery = _status_events_match(channel, sorted({pmid for pmid, _ in firsts}), pointed)
    moved = _statuses_fold(per_delivery)
    applied = []
    for delivery, mine in per_delivery.values():
        for event in mine:
            event.applied, event.delivery = True, delivery
            applied.append(event)
    StatusEvent.objects.bulk_update(applied, ["applied", "delivery"], batch_size=STATUS_APPLY_BATCH)
    _contact_points_flag(applied)
    _notify_on_commit(moved)


def _reports_distinct(reports: list[StatusReport]) -> tuple[dict, dict[str, str]]:
    """The first report of each (provider id, status), and our delivery id per provider id
    where the callback URL carried it."""
    firsts: dict[tuple[str, str], StatusReport] = {}
    pointed: dict[str, str] = {}
    for report in reports:
        firsts.setdefault((report.provider_message_id, report.status), report)
        if report.delivery_id:
            pointed.setdefault(report.provider_message_id, str(report.delivery_id))
    return firsts, pointed


def _status_events_store(channel: str, firsts: dict) -> None:
    # Each report once (the same one again changes nothing); keys in order, so two batches
    # inserting the same reports wait for each other instead of deadlocking.
    StatusEvent.objects.bulk_create(
        [
            StatusEvent(
                channel=channel,
                provider_message_id=pmid,
                status=status,
                error_code=report.error_code,
                raw=_details(report),
                received_at=report.received_at,
            )
            for (pmid, status), report in sorted(firsts.items())
        ],
        ignore_conflicts=True,
    )


def _status_events_match(channel: str, provider_ids: list[str], pointed: dict[str, str]) -> dict:
    """The unapplied events of these provider ids, by the delivery they belong to (locked):
    {delivery pk: (delivery, [events in the order received])}. An event whose send is not
    recorded yet stays for delivery_accepted."""
    # The deliveries first, then their reports: the order delivery_accepted locks them in.
    deliveries = list(
        Delivery.objects.select_for_update()
        .filter(Q(pk__in=set(pointed.values())) | Q(provider_message_id__in=provider_ids))
        .filter(channel=channel)
        .order_by("pk")
    )
    by_pk = {str(d.pk): d for d in deliveries}
    by_provider_id = {d.provider_message_id: d for d in deliveries if d.provider_message_id}
    events = (
        StatusEvent.objects.select_for_update()
        .filter(channel=channel, provider_message_id__in=provider_ids, applied=False)
        .order_by("received_at", "pk")
    )
    per_delivery: dict = {}
    for event in events:
        pmid = event.provider_message_id
        delivery = by_pk.get(pointed.get(pmid, "")) or by_provider_id.get(pmid)
        if delivery is None:
            continue
        if not delivery.provider_message_id:
            Delivery.objects.filter(pk=delivery.pk, provider_message_id="").update(
                provider_message_id=pmid
            )
            delivery.provider_message_id = pmid
        per_delivery.setdefault(delivery.pk, (delivery, []))[1].append(event)
    return per_delivery


def _statuses_fold(per_delivery: dict) -> list[Delivery]:
    """Each delivery at the highest status its events reach, every transition's first time
    kept; written in one statement. Returns the deliveries whose status moved up."""
    changed, moved = [], []
    for delivery, mine in per_delivery.values():
        before = (delivery.status_rank, *(getattr(delivery, f) for f in _STAMPS))
        rank_before = delivery.status_rank
        for event in mine:
            _status_fold(delivery, event)
        if (delivery.status_rank, *(getattr(delivery, f) for f in _STAMPS)) != before:
            changed.append(delivery)
        if delivery.status_rank > rank_before:
            moved.append(delivery)
    deliveries_set(
        rows=[
            (
                d.pk,
                d.status,
                d.status_rank,
                d.error_code,
                d.error_message,
                *(getattr(d, f) for f in _STAMPS),
            )
            for d in changed
        ],
        columns=[
            ("status", "text"),
            ("status_rank", "integer"),
            ("error_code", "text"),
            ("error_message", "text"),
            *((f, "timestamptz") for f in _STAMPS),
        ],
    )
    return moved


def _status_fold(delivery: Delivery, event: StatusEvent) -> None:
    rank = STATUS_RANK[event.status]
    if rank > delivery.status_rank:
        delivery.status, delivery.status_rank = event.status, rank
        if event.status in _FAILED:
            raw = event.raw if isinstance(event.raw, dict) else {}
            delivery.error_code = str(event.error_code)[:20]
            delivery.error_message = str(raw.get("error_message", ""))[:500]
    stamp = _TIMESTAMP_FIELD.get(event.status)
    if stamp and getattr(delivery, stamp) is None:
        setattr(delivery, stamp, event.received_at)


def _contact_points_flag(applied: list[StatusEvent]) -> None:
    """An unreachable number is marked; a provider's opt-out code opts the person out."""
    for event in applied:
        raw = event.raw if isinstance(event.raw, dict) else {}
        if not (raw.get("unreachable") or raw.get("opted_out")):
            continue
        contact_point = ContactPoint.objects.get(pk=event.delivery.contact_point_id)
        reason = raw.get("error_message", "")
        if raw.get("unreachable"):
            contact_point_mark_unreachable(
                contact_point=contact_point, code=event.error_code, reason=reason
            )
        if raw.get("opted_out"):
            contact_point_provider_opted_out(
                contact_point=contact_point, code=event.error_code, reason=reason
            )
