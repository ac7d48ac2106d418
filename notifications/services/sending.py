"""Sending one delivery: claim it, decide template or free text, call the adapter, record.

A delivery row is saved before the provider is called; a worker claims it by conditional
update, so a task delivered twice sends once.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from core.messaging import DeliveryError, OutboundMessage, Template, get_adapter
from core.models import Channel
from notifications import rendering
from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, MessageKind, MessageTemplate
from notifications.services.status import _apply_status, contact_point_mark_unreachable, delivery_accepted

log = logging.getLogger(__name__)

FREE_TEXT_KINDS = {MessageKind.AGENT_REPLY, MessageKind.AUTOMATED_REPLY}
# Messenger lets a human answer up to 7 days after the person's last message (HUMAN_AGENT tag).
HUMAN_AGENT_WINDOW = timedelta(days=7)
MAX_ATTEMPTS = 10


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
