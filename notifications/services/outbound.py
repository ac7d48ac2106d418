"""What goes out for a delivery: free text or an approved template, with its status callback.

batch.py sends what this builds; a delivery that may not go raises DeliveryError here.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.messaging import DeliveryError, OutboundMessage, Template, status_callback_view
from core.models import Channel, ContactPoint
from notifications import rendering
from notifications.models import Delivery, MessageKind, MessageTemplate

FREE_TEXT_KINDS = {MessageKind.AGENT_REPLY, MessageKind.AUTOMATED_REPLY}
# Answers to a chat keyword the person just sent (Messenger messaging_type RESPONSE).
KEYWORD_ANSWERS = {
    MessageKind.OPT_OUT_CONFIRMATION,
    MessageKind.OPT_IN_AGAIN_CONFIRMATION,
    MessageKind.OPT_IN_ALREADY,
}
# Messenger lets a human answer up to 7 days after the person's last message (HUMAN_AGENT tag).
HUMAN_AGENT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ReplyWindow:
    """What free text may reach a person now: "open" (inside the 24-hour window), "human_agent"
    (Messenger: a person's reply with the HUMAN_AGENT tag, up to 7 days on), or "closed"."""

    state: str  # "open" | "human_agent" | "closed"
    until: datetime | None = None  # when the current state ends
    closed_at: datetime | None = None  # when the 24-hour window closed ("closed"/"human_agent")


def reply_window(*, contact_point: ContactPoint, now: datetime | None = None) -> ReplyWindow:
    """The window rule, for sending (outbound_build) and for the inbox's composer alike."""
    now = now or timezone.now()
    closes = contact_point.window_closes_at()
    if closes is None:
        return ReplyWindow("closed")
    if closes > now:
        return ReplyWindow("open", until=closes)
    tag_until = contact_point.last_inbound_at + HUMAN_AGENT_WINDOW
    if contact_point.channel == Channel.MESSENGER and tag_until > now:
        return ReplyWindow("human_agent", until=tag_until, closed_at=closes)
    return ReplyWindow("closed", closed_at=closes)


def _find_template(delivery: Delivery, catalogue: dict | None = None) -> MessageTemplate | None:
    key = (delivery.channel, delivery.kind)
    candidates = None if catalogue is None else catalogue.get(key)
    if candidates is None:
        candidates = list(
            MessageTemplate.objects.filter(
                channel=delivery.channel, kind=delivery.kind, active=True
            )
        )
        if catalogue is not None:
            catalogue[key] = candidates
    for language, formality in rendering.template_variants(delivery.customer):
        found = next(
            (t for t in candidates if t.language == language and t.formality == formality), None
        )
        if found:
            return found
    return None


# Template variables that carry a delivery's file: a WhatsApp media template's URL is
# "<PUBLIC_BASE_URL>/{{n}}" with media_path in it (Twilio lets only the path vary); a Messenger
# utility template links to media_url. A template naming one carries the file itself.
MEDIA_VARIABLES = {"media_path", "media_url"}


def media_path(url: str) -> str:
    """The part of a file's URL after our origin, as a media template's variable holds it."""
    origin = settings.PUBLIC_BASE_URL + "/"
    return url[len(origin) :] if url.startswith(origin) else url


def _context(delivery: Delivery, cache: dict | None = None) -> dict[str, str]:
    customer = delivery.customer
    ctx = {"name": rendering.greeting_name(customer)}
    if delivery.media_url:
        ctx.update(media_url=delivery.media_url, media_path=media_path(delivery.media_url))
    if delivery.event_id:
        # The same for everyone on the event who reads the same language and form of address.
        key = ("trip", delivery.event_id, *rendering.template_variants(customer)[0])
        trip = cache.get(key) if cache is not None else None
        if trip is None:
            trip = rendering.trip_context(
                trip=delivery.event.trip, customer=customer, data=delivery.event.payload
            )
            if cache is not None:
                cache[key] = trip
        ctx.update({**trip, "name": ctx["name"]})
    ctx.update({k: str(v) for k, v in delivery.context.items() if isinstance(v, (str, int))})
    return ctx


def outbound_build(
    delivery: Delivery, now: datetime | None = None, *, catalogue: dict | None = None
) -> OutboundMessage:
    """Decide what goes out: free text inside the 24-hour window, an approved template outside.

    Raises DeliveryError(permanent=True) when nothing may be sent (window closed, no template).
    `catalogue` caches templates across a batch.
    """
    window = reply_window(contact_point=delivery.contact_point, now=now)
    common = {
        "delivery_id": str(delivery.pk),
        "channel": delivery.channel,
        "to": delivery.contact_point.address,
        "media_url": delivery.media_url,
        "media_content_type": delivery.media_content_type,
    }
    if delivery.template_sid:  # an agent picked a template
        return _picked_template(delivery, common)
    if delivery.kind in FREE_TEXT_KINDS:
        return _free_text(delivery, window, common)
    return _message_of_its_kind(delivery, window, common, catalogue)


def _picked_template(delivery: Delivery, common: dict) -> OutboundMessage:
    tpl = MessageTemplate.objects.filter(
        channel=delivery.channel, content_sid=delivery.template_sid
    ).first()
    values = {str(k): str(v) for k, v in delivery.template_variables.items()}
    filled = ""
    if tpl:
        filled = rendering._PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), tpl.body)
    language = tpl.language if tpl else delivery.customer.language
    return OutboundMessage(
        **common,
        text=delivery.text or filled,
        template=Template(delivery.template_sid, language, values),
    )


def _free_text(delivery: Delivery, window: ReplyWindow, common: dict) -> OutboundMessage:
    text = delivery.context.get("text", delivery.text)
    if window.state == "open":
        buttons = tuple((str(p), str(t)) for p, t in delivery.context.get("quick_replies") or [])
        return OutboundMessage(
            **common, text=text, messaging_type="RESPONSE", quick_replies=buttons
        )
    if window.state == "human_agent" and delivery.kind == MessageKind.AGENT_REPLY:
        return OutboundMessage(**common, text=text, messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
    raise DeliveryError(
        "the 24-hour window is closed: only an approved template may be sent",
        code="window_closed",
        permanent=True,
    )


def _message_of_its_kind(
    delivery: Delivery, window: ReplyWindow, common: dict, catalogue: dict | None
) -> OutboundMessage:
    """A trip update, confirmation or keyword answer: its template's wording, as free text
    inside the window, as the approved template outside it."""
    tpl = _find_template(delivery, catalogue)
    if tpl is None:
        raise DeliveryError(
            f"no active template for {delivery.kind} on {delivery.channel}",
            code="no_template",
            permanent=True,
        )
    text, values = rendering.fill(tpl.body, tpl.variables, _context(delivery, catalogue))
    if window.state == "open":
        answer = "RESPONSE" if delivery.kind in KEYWORD_ANSWERS else "UPDATE"
        return OutboundMessage(**common, text=text, messaging_type=answer)
    if delivery.media_url:
        # Outside the window a file may only travel inside the approved template.
        if not MEDIA_VARIABLES & set(tpl.variables):
            raise DeliveryError(
                f"the {delivery.kind} template on {delivery.channel} cannot carry the file, and "
                "outside the 24-hour window nothing else may be sent",
                code="no_media_template",
                permanent=True,
            )
        common = {**common, "media_url": "", "media_content_type": ""}
    return OutboundMessage(
        **common, text=text, template=Template(tpl.content_sid, tpl.language, values)
    )


def status_callback_url(delivery: Delivery, cache: dict | None = None) -> str:
    """Where the provider reports this delivery's status: the view its channel app registered."""
    key = ("status_callback", delivery.channel)
    base = cache.get(key) if cache is not None else None
    if base is None:
        view = status_callback_view(delivery.channel)
        base = f"{settings.PUBLIC_BASE_URL}{reverse(view)}" if view else ""
        if cache is not None:
            cache[key] = base
    return f"{base}?d={delivery.pk}" if base else ""


def delivery_prepare(
    delivery: Delivery, now: datetime, catalogue: dict | None = None
) -> OutboundMessage:
    """The message for a claimed delivery, with its status callback;
    DeliveryError if none may go."""
    if not delivery.contact_point.opted_in and delivery.kind not in FREE_TEXT_KINDS | {
        MessageKind.OPT_OUT_CONFIRMATION
    }:
        raise DeliveryError(
            "the recipient withdrew consent before this was sent", code="opted_out", permanent=True
        )
    message = outbound_build(delivery, now, catalogue=catalogue)
    return replace(message, status_callback=status_callback_url(delivery, catalogue))


def delivery_show_what_was_sent(delivery: Delivery, message: OutboundMessage) -> Delivery:
    """Copy what goes out onto the row (the inbox and admin show it), before the provider call."""
    delivery.text = message.text
    delivery.template_sid = message.template.content_sid if message.template else ""
    delivery.template_variables = message.template.variables if message.template else {}
    delivery.messaging_type = (
        message.messaging_type if delivery.channel == Channel.MESSENGER else ""
    )
    delivery.tag = message.tag
    return delivery


SHOWN_COLUMNS = [
    ("text", "text"),
    ("template_sid", "text"),
    ("template_variables", "jsonb"),
    ("messaging_type", "text"),
    ("tag", "text"),
]
