"""Trip events → deliveries → provider sends → statuses.

The database is the source of truth: a delivery row is saved before the provider is called,
tasks are queued after commit, a worker claims a delivery by conditional update, and a status
only ever moves to a higher rank.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.messaging import DeliveryError, OutboundMessage, Template, get_adapter
from core.models import Booking, Channel, ContactPoint, Trip
from core.services import trip_apply_event
from notifications import rendering
from notifications.models import (
    STATUS_RANK,
    Delivery,
    DeliveryStatus,
    Lane,
    MessageKind,
    MessageTemplate,
    StatusEvent,
    TripEvent,
)
from notifications.selectors import trip_recipient_contact_points
from notifications.signals import delivery_updated

log = logging.getLogger(__name__)

FREE_TEXT_KINDS = {MessageKind.AGENT_REPLY, MessageKind.AUTOMATED_REPLY}
# Messenger lets a human answer up to 7 days after the person's last message (HUMAN_AGENT tag).
HUMAN_AGENT_WINDOW = timedelta(days=7)
MAX_ATTEMPTS = 10
STUCK_SENDING_AFTER = timedelta(minutes=5)

_TIMESTAMP_FIELD = {
    DeliveryStatus.QUEUED: "queued_at",
    DeliveryStatus.SENT: "sent_at",
    DeliveryStatus.DELIVERED: "delivered_at",
    DeliveryStatus.READ: "read_at",
    DeliveryStatus.FAILED: "failed_at",
    DeliveryStatus.UNDELIVERED: "failed_at",
}


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used before with a different request body."""


# --- Trip events and fan-out ------------------------------------------------------------------


def trip_event_publish(
    *, trip: Trip, type: str, data: dict, payload: dict, idempotency_key: str, request_hash: str
) -> tuple[TripEvent, bool]:
    """Accept a trip event once per Idempotency-Key; returns (event, created).

    `data` holds parsed values (datetimes) for the trip's live status, `payload` the same as JSON.
    """
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)  # serialises events of one trip
        existing = TripEvent.objects.filter(trip=trip, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.request_hash != request_hash:
                raise IdempotencyConflict(idempotency_key)
            return existing, False
        trip_apply_event(trip=trip, type=type, data=data)
        event = TripEvent.objects.create(
            trip=trip,
            type=type,
            payload=payload,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            recipients=len(trip_recipient_contact_points(trip=trip)),
        )
        transaction.on_commit(lambda: _enqueue_fan_out(event.pk))
    return event, True


def _enqueue_fan_out(event_id) -> None:
    from notifications.tasks import event_fan_out

    event_fan_out.apply_async(args=[str(event_id)], queue=Lane.BULK)


def event_fan_out(*, event: TripEvent) -> int:
    """Create one delivery per person for the event (in bulk) and queue the sends.

    Running it twice is harmless: the dedupe key makes the second insert a no-op, and only
    deliveries still pending are queued.
    """
    rows = trip_recipient_contact_points(trip=event.trip)
    Delivery.objects.bulk_create(
        [
            Delivery(
                dedupe_key=f"event:{event.pk}:customer:{row['customer_id']}",
                kind=event.type,
                lane=Lane.BULK,
                event=event,
                trip_id=event.trip_id,
                customer_id=row["customer_id"],
                contact_point_id=row["id"],
                channel=row["channel"],
            )
            for row in rows
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    TripEvent.objects.filter(pk=event.pk, fanned_out_at__isnull=True).update(fanned_out_at=timezone.now())
    ids = list(
        Delivery.objects.filter(event=event, status=DeliveryStatus.PENDING).values_list("id", flat=True)
    )
    deliveries_enqueue(ids=ids, lane=Lane.BULK)
    return len(rows)


SEND_BATCH = 50


def deliveries_enqueue(*, ids: list, lane: str, countdown: float | None = None) -> None:
    from notifications.tasks import deliveries_send

    for start in range(0, len(ids), SEND_BATCH):
        batch = [str(i) for i in ids[start : start + SEND_BATCH]]
        deliveries_send.apply_async(args=[batch], queue=lane, countdown=countdown)


def message_create(
    *,
    contact_point: ContactPoint,
    kind: str,
    lane: str = Lane.INTERACTIVE,
    text: str = "",
    context: dict | None = None,
    dedupe_key: str | None = None,
    booking: Booking | None = None,
    trip: Trip | None = None,
    template_sid: str = "",
    template_variables: dict | None = None,
) -> Delivery:
    """Save one message to one person and queue it after commit (agent replies, confirmations…)."""
    ctx = dict(context or {})
    if text:
        ctx["text"] = text
    delivery = Delivery(
        dedupe_key=dedupe_key or f"{kind}:{contact_point.pk}:{timezone.now().timestamp()}:{random.random()}",
        kind=kind,
        lane=lane,
        booking=booking,
        trip=trip,
        customer_id=contact_point.customer_id,
        contact_point=contact_point,
        channel=contact_point.channel,
        text=text,
        context=ctx,
        template_sid=template_sid,
        template_variables=template_variables or {},
    )
    try:
        with transaction.atomic():
            delivery.save(force_insert=True)
    except IntegrityError:
        return Delivery.objects.get(dedupe_key=delivery.dedupe_key)
    transaction.on_commit(lambda: deliveries_enqueue(ids=[delivery.pk], lane=lane))
    return delivery


def booking_confirmation_send(*, booking: Booking) -> list[Delivery]:
    """One confirmation per opted-in person on a newly created booking."""
    trips = [s.trip for s in booking.segments.select_related("trip").order_by("position")]
    sent = []
    for passenger in booking.passengers.select_related("customer"):
        cp = (
            passenger.customer.contact_points.filter(opted_in=True, unreachable_at__isnull=True)
            .order_by("-last_inbound_at", "-channel")  # open window first, then WhatsApp
            .first()
        )
        if cp is None:
            continue
        mine = [s.trip for s in booking.segments.filter(passengers=passenger).select_related("trip")] or trips
        sent.append(
            message_create(
                contact_point=cp,
                kind=MessageKind.BOOKING_CONFIRMATION,
                lane=Lane.INTERACTIVE,
                booking=booking,
                trip=mine[0] if mine else None,
                dedupe_key=f"booking:{booking.reference}:confirmation:{passenger.customer_id}",
                context={
                    "reference": booking.reference,
                    "itinerary": rendering.itinerary(trips=mine, customer=passenger.customer),
                },
            )
        )
    return sent


# --- Sending ----------------------------------------------------------------------------------


@dataclass
class SendOutcome:
    status: str
    retry_in: float | None = None


def _find_template(delivery: Delivery) -> MessageTemplate | None:
    customer = delivery.customer
    candidates = MessageTemplate.objects.filter(channel=delivery.channel, kind=delivery.kind, active=True)
    for language, formality in (
        (customer.language, customer.formality),
        (customer.language, "formal"),
        ("en", customer.formality),
        ("en", "formal"),
    ):
        found = next((t for t in candidates if t.language == language and t.formality == formality), None)
        if found:
            return found
    return None


def _context(delivery: Delivery) -> dict[str, str]:
    customer = delivery.customer
    ctx = {"name": rendering.greeting_name(customer)}
    if delivery.event_id:
        ctx.update(rendering.trip_context(trip=delivery.event.trip, customer=customer, data=delivery.event.payload))
    ctx.update({k: str(v) for k, v in delivery.context.items() if isinstance(v, (str, int))})
    return ctx


def outbound_build(delivery: Delivery, now: datetime | None = None) -> OutboundMessage:
    """Decide what goes out: free text inside the 24-hour window, an approved template outside.

    Raises DeliveryError(permanent=True) when nothing may be sent (window closed, no template).
    """
    now = now or timezone.now()
    cp = delivery.contact_point
    window_open = cp.window_open(now)
    common = {
        "delivery_id": str(delivery.pk),
        "channel": delivery.channel,
        "to": cp.address,
        "media_url": delivery.media_url,
        "media_content_type": delivery.media_content_type,
    }
    answer = "RESPONSE" if delivery.kind in FREE_TEXT_KINDS or delivery.kind == MessageKind.OPT_OUT_CONFIRMATION else "UPDATE"

    if delivery.template_sid:  # an agent picked a template
        tpl = MessageTemplate.objects.filter(channel=delivery.channel, content_sid=delivery.template_sid).first()
        values = {str(k): str(v) for k, v in delivery.template_variables.items()}
        text = delivery.text or (rendering._PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), tpl.body) if tpl else "")
        return OutboundMessage(
            **common, text=text,
            template=Template(delivery.template_sid, tpl.language if tpl else delivery.customer.language, values),
        )

    if delivery.kind in FREE_TEXT_KINDS:
        text = delivery.context.get("text", delivery.text)
        if window_open:
            return OutboundMessage(**common, text=text, messaging_type="RESPONSE")
        last = cp.last_inbound_at
        if (
            delivery.channel == Channel.MESSENGER
            and delivery.kind == MessageKind.AGENT_REPLY
            and last
            and now - last < HUMAN_AGENT_WINDOW
        ):
            return OutboundMessage(**common, text=text, messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
        raise DeliveryError(
            "the 24-hour window is closed: only an approved template may be sent",
            code="window_closed",
            permanent=True,
        )

    tpl = _find_template(delivery)
    if tpl is None:
        raise DeliveryError(f"no active template for {delivery.kind} on {delivery.channel}", code="no_template", permanent=True)
    text, values = rendering.fill(tpl.body, tpl.variables, _context(delivery))
    if window_open:
        return OutboundMessage(**common, text=text, messaging_type=answer)
    return OutboundMessage(**common, text=text, template=Template(tpl.content_sid, tpl.language, values))


def status_callback_url(delivery: Delivery) -> str:
    from django.conf import settings

    paths = {
        Channel.WHATSAPP: "/webhooks/whatsapp/twilio/status/",
    }
    path = paths.get(delivery.channel)
    return f"{settings.PUBLIC_BASE_URL}{path}?d={delivery.pk}" if path else ""


def backoff_seconds(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, never sooner than the provider asked."""
    ceiling = min(900.0, 2.0 * (2 ** max(0, attempt - 1)))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def delivery_send(*, delivery_id) -> SendOutcome:
    """Send one delivery if it is still pending; safe to call twice for the same id."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now), pk=delivery_id, status=DeliveryStatus.PENDING
    ).update(status=DeliveryStatus.SENDING, status_rank=STATUS_RANK[DeliveryStatus.SENDING], claimed_at=now)
    if claimed != 1:
        return SendOutcome("skipped")
    delivery = Delivery.objects.select_related("contact_point", "customer", "event__trip").get(pk=delivery_id)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
    delivery.attempts += 1
    try:
        if not delivery.contact_point.opted_in and delivery.kind not in FREE_TEXT_KINDS | {MessageKind.OPT_OUT_CONFIRMATION}:
            raise DeliveryError("the recipient withdrew consent before this was sent", code="opted_out", permanent=True)
        message = outbound_build(delivery, now)
        message = OutboundMessage(**{**message.__dict__, "status_callback": status_callback_url(delivery)})
        Delivery.objects.filter(pk=delivery.pk).update(
            text=message.text,
            template_sid=message.template.content_sid if message.template else "",
            template_variables=message.template.variables if message.template else {},
            messaging_type=message.messaging_type if delivery.channel == Channel.MESSENGER else "",
            tag=message.tag,
        )
        adapter = get_adapter(delivery.channel)
        provider_id = adapter.send(message)
    except DeliveryError as error:
        return _send_failed(delivery, error)
    delivery_accepted(delivery=delivery, provider_message_id=provider_id, status=getattr(adapter, "accepted_status", DeliveryStatus.QUEUED))
    return SendOutcome("sent")


def _send_failed(delivery: Delivery, error: DeliveryError) -> SendOutcome:
    if not error.permanent and delivery.attempts < MAX_ATTEMPTS:
        delay = backoff_seconds(delivery.attempts, error.retry_after)
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING,
            status_rank=STATUS_RANK[DeliveryStatus.PENDING],
            not_before=timezone.now() + timedelta(seconds=delay),
            error_code=error.code[:20],
            error_message=error.message[:500],
        )
        log.info("delivery %s: transient error %s, retry in %.1fs", delivery.pk, error.code, delay)
        return SendOutcome("retry", retry_in=delay)
    message = error.message if error.permanent else f"gave up after {delivery.attempts} attempts: {error.message}"
    _apply_status(delivery, DeliveryStatus.FAILED, error_code=error.code, error_message=message, at=timezone.now())
    if error.unreachable:
        contact_point_mark_unreachable(contact_point=delivery.contact_point, code=error.code, reason=error.message)
    return SendOutcome("failed")


def contact_point_mark_unreachable(*, contact_point: ContactPoint, code: str, reason: str) -> None:
    ContactPoint.objects.filter(pk=contact_point.pk, unreachable_at__isnull=True).update(
        unreachable_at=timezone.now(), unreachable_code=str(code)[:20], unreachable_reason=reason[:300]
    )


# --- Status -----------------------------------------------------------------------------------


def _apply_status(delivery: Delivery, status: str, *, at: datetime, error_code: str = "", error_message: str = "") -> bool:
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
def delivery_accepted(*, delivery: Delivery, provider_message_id: str, status: str = DeliveryStatus.QUEUED) -> None:
    """The provider took the message: keep its id, then apply any status that came before."""
    Delivery.objects.filter(pk=delivery.pk).update(provider_message_id=provider_message_id, error_code="", error_message="")
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
    if event.raw.get("unreachable") if isinstance(event.raw, dict) else False:
        contact_point_mark_unreachable(
            contact_point=delivery.contact_point, code=event.error_code, reason=event.raw.get("error_message", "")
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
        delivery = Delivery.objects.filter(pk=delivery_id, channel=channel).select_related("contact_point").first()
        if delivery and not delivery.provider_message_id:
            Delivery.objects.filter(pk=delivery.pk, provider_message_id="").update(provider_message_id=provider_message_id)
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
            channel=channel, provider_message_id=provider_message_id, status=status, delivery_id=pk, at=watermark
        )
    return len(ids)


# --- The sweep: nothing committed is ever left behind -----------------------------------------


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
