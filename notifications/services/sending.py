"""Sending: decide template or free text, then send a batch at the provider's pace, and record.

A delivery row is saved before the provider is called; a worker claims a batch by conditional
update (claims.py), so a task delivered twice sends once. What the provider answered is
recorded in a few statements per batch, not per message.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core.messaging import DeliveryError, OutboundMessage, Template
from core.models import Channel
from notifications import rendering
from notifications.models import Delivery, Lane, MessageKind, MessageTemplate

log = logging.getLogger(__name__)

FREE_TEXT_KINDS = {MessageKind.AGENT_REPLY, MessageKind.AUTOMATED_REPLY}
# Answers to a chat keyword the person just sent (Messenger messaging_type RESPONSE).
KEYWORD_ANSWERS = {
    MessageKind.OPT_OUT_CONFIRMATION,
    MessageKind.OPT_IN_AGAIN_CONFIRMATION,
    MessageKind.OPT_IN_ALREADY,
}
# Messenger lets a human answer up to 7 days after the person's last message (HUMAN_AGENT tag).
HUMAN_AGENT_WINDOW = timedelta(days=7)
MAX_ATTEMPTS = 10


@dataclass
class SendOutcome:
    status: str
    retry_in: float | None = None


def _find_template(delivery: Delivery, catalogue: dict | None = None) -> MessageTemplate | None:
    customer = delivery.customer
    key = (delivery.channel, delivery.kind)
    candidates = None if catalogue is None else catalogue.get(key)
    if candidates is None:
        candidates = list(MessageTemplate.objects.filter(channel=delivery.channel, kind=delivery.kind, active=True))
        if catalogue is not None:
            catalogue[key] = candidates
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


def outbound_build(delivery: Delivery, now: datetime | None = None, *, catalogue: dict | None = None) -> OutboundMessage:
    """Decide what goes out: free text inside the 24-hour window, an approved template outside.

    Raises DeliveryError(permanent=True) when nothing may be sent (window closed, no template).
    `catalogue` caches templates across a batch.
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
    answer = "RESPONSE" if delivery.kind in FREE_TEXT_KINDS | KEYWORD_ANSWERS else "UPDATE"

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
            buttons = tuple((str(p), str(t)) for p, t in delivery.context.get("quick_replies") or [])
            return OutboundMessage(**common, text=text, messaging_type="RESPONSE", quick_replies=buttons)
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

    tpl = _find_template(delivery, catalogue)
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
    """Exponential backoff with jitter, never sooner than the provider asked."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS
    ceiling = min(900.0, base * (2 ** max(0, attempt - 1)))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def delivery_prepare(delivery: Delivery, now: datetime, catalogue: dict | None = None) -> OutboundMessage:
    """The message for a claimed delivery, with its status callback; DeliveryError if none may go."""
    if not delivery.contact_point.opted_in and delivery.kind not in FREE_TEXT_KINDS | {MessageKind.OPT_OUT_CONFIRMATION}:
        raise DeliveryError("the recipient withdrew consent before this was sent", code="opted_out", permanent=True)
    message = outbound_build(delivery, now, catalogue=catalogue)
    return OutboundMessage(**{**message.__dict__, "status_callback": status_callback_url(delivery)})


def delivery_show_what_was_sent(delivery: Delivery, message: OutboundMessage) -> Delivery:
    """Copy what goes out onto the row (the inbox and admin show it), before the provider call."""
    delivery.text = message.text
    delivery.template_sid = message.template.content_sid if message.template else ""
    delivery.template_variables = message.template.variables if message.template else {}
    delivery.messaging_type = message.messaging_type if delivery.channel == Channel.MESSENGER else ""
    delivery.tag = message.tag
    return delivery


SHOWN_COLUMNS = [("text", "text"), ("template_sid", "text"), ("template_variables", "jsonb"),
                 ("messaging_type", "text"), ("tag", "text")]


@dataclass
class BatchResult:
    """What one batch did, and what must be queued next (the task queues it)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    superseded: int = 0
    retry: dict[str, list] = field(default_factory=dict)  # lane → ids due after retry_in
    retry_in: float = 0.0
    requeue: dict[str, list] = field(default_factory=dict)  # lane → ids to queue now

    def counts(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "skipped": self.skipped, "superseded": self.superseded,
                "retry": sum(map(len, self.retry.values()))}


def delivery_send(*, delivery_id) -> SendOutcome:
    """Send one delivery if it is still pending; safe to call twice for the same id."""
    from notifications.services.batch import deliveries_send

    result = deliveries_send(ids=[delivery_id])
    if result.sent:
        return SendOutcome("sent")
    if result.failed:
        return SendOutcome("failed")
    if result.retry:
        return SendOutcome("retry", retry_in=result.retry_in)
    return SendOutcome("superseded" if result.superseded else "skipped")


def lane_of(delivery: Delivery) -> str:
    return delivery.lane or Lane.BULK
