"""Call-backs: "bel mij", "can you call me", the call-back button, or an agent's offer.

The person is asked when (within opening hours, on their own clock) and, when we know no number
for them, on which number; their answer schedules the call and they are told when to expect it.
An agent who moves the call has the person told again; each call is recorded as done or not
reached, and someone not reached is asked for a new time. Answers that name no time fall through
to the conversation, where an agent reads them.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.models import Channel, ContactPoint, InboundMessage
from notifications.models import Lane, MessageKind
from notifications.selectors import catalogue_text
from notifications.services import message_create
from webcare_inbox import callback_times, realtime
from webcare_inbox.assignment import conversation_auto_assign
from webcare_inbox.audit import audit_record
from webcare_inbox.automated import automated_message_add
from webcare_inbox.hours import opening_hours
from webcare_inbox.models import CallbackRequest, Conversation, Message
from webcare_inbox.services import conversation_observers_notify, inbound_append

# The payload of the call-back button (Messenger quick reply, WhatsApp quick-reply template).
CALLBACK_PAYLOAD = "CALLBACK"
_ASKS = re.compile(
    r"\b(bel (mij|me|ons)|(kunt|kan|kun|wil) (u|je|jij|jullie) (mij|me|ons) (terug )?"
    r"(bellen|opbellen)|"
    r"terug ?bellen|terugbelverzoek|teruggebeld|opbellen|call me|(can|could|would) (you|someone) "
    r"(please )?(call|ring|phone)|call ?back|ring me|phone me|give me a (call|ring))\b"
)
OPEN = (CallbackRequest.Status.ASKING, CallbackRequest.Status.SCHEDULED)


def asks_for_callback(inbound: InboundMessage) -> bool:
    if (inbound.payload or "").upper() == CALLBACK_PAYLOAD:
        return True
    return bool(_ASKS.search(" ".join((inbound.text or "").lower().split())))


def callback_open_for(*, contact_point: ContactPoint) -> CallbackRequest | None:
    return (
        CallbackRequest.objects.filter(contact_point=contact_point, status__in=OPEN)
        .order_by("-requested_at")
        .first()
    )


def inbound_callback(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """The inbox's handler: a request for a call, or the answer to our question when."""
    if inbound.kind == InboundMessage.Kind.REFERRAL:
        return False
    current = callback_open_for(contact_point=contact_point)
    if asks_for_callback(inbound):
        conversation = _append(inbound, contact_point)
        if current is None:
            callback_request(conversation=conversation, actor=None, text=inbound.text)
        elif current.status == CallbackRequest.Status.SCHEDULED:
            _tell_scheduled(current, kind=MessageKind.CALLBACK_SCHEDULED)
        else:
            _ask(current)
        return True
    if current is not None and current.status == CallbackRequest.Status.ASKING:
        return _answer(current, inbound, contact_point)
    return False


def _append(inbound: InboundMessage, contact_point: ContactPoint) -> Conversation:
    """Into the person's conversation, for the team (no hand-over note: the question follows)."""
    conversation, _created = inbound_append(inbound, contact_point)
    if conversation.handled_by != Conversation.HandledBy.HUMAN:
        conversation.handled_by = Conversation.HandledBy.HUMAN
        conversation.handover_reason = "asked to be called"
        conversation.save(update_fields=["handled_by", "handover_reason"])
    if conversation.assignee_id is None:
        conversation_auto_assign(conversation=conversation)
    realtime.conversation_changed(conversation=conversation)
    conversation_observers_notify(conversation.pk)
    return conversation


def _known_phone(contact_point: ContactPoint) -> str:
    if contact_point.channel == Channel.WHATSAPP:
        return contact_point.address
    other = (
        ContactPoint.objects.filter(customer_id=contact_point.customer_id, channel=Channel.WHATSAPP)
        .order_by("-last_inbound_at")
        .values_list("address", flat=True)
        .first()
    )
    return other or ""


@transaction.atomic
def callback_request(*, conversation: Conversation, actor, text: str = "") -> CallbackRequest:
    """A new request (the person's words or button, or an agent's offer), and the question when;
    "bel me morgen om 10 uur" on a known number is scheduled at once."""
    contact_point = ContactPoint.objects.select_related("customer").get(
        pk=conversation.contact_point_id
    )
    current = callback_open_for(contact_point=contact_point)
    if current is not None:
        return current
    phone = _known_phone(contact_point)
    callback = CallbackRequest.objects.create(
        conversation=conversation,
        contact_point=contact_point,
        phone=phone,
        tz_name=callback_times.person_timezone(phone, opening_hours().tz).key,
    )
    audit_record(conversation=conversation, actor=actor, action="callback_requested")
    wanted = callback_times.preferred_parse(
        _without_phone(text), now=timezone.now(), tz=ZoneInfo(callback.tz_name)
    )
    if wanted not in (None, callback_times.ASAP) and phone:
        return callback_schedule(callback=callback, wanted=wanted, actor=actor)
    _ask(callback)
    return callback


def _answer(callback: CallbackRequest, inbound: InboundMessage, contact_point) -> bool:
    now = timezone.now()
    tz = ZoneInfo(callback.tz_name)
    phone = callback.phone or callback_times.phone_find(inbound.text)
    wanted = callback_times.preferred_parse(_without_phone(inbound.text), now=now, tz=tz)
    if wanted is None and phone == callback.phone:
        return False  # not an answer to our question: the agent reads it
    _append(inbound, contact_point)
    if phone != callback.phone:
        callback.phone = phone
        callback.tz_name = callback_times.person_timezone(phone, tz).key
        callback.save(update_fields=["phone", "tz_name"])
    if wanted is None or not callback.phone:
        _ask(callback)
        return True
    callback_schedule(callback=callback, wanted=wanted, actor=None)
    return True


def _without_phone(text: str) -> str:
    """The text without numbers that are a phone number (so "06 12345678" is not 12:34)."""
    found = callback_times.phone_find(text)
    if not found:
        return text
    return re.sub(r"[+\d][\d\s\-().]{7,}\d", " ", text)


def callback_schedule(
    *, callback: CallbackRequest, wanted: datetime | str, actor
) -> CallbackRequest:
    """Due at the asked moment, or the first opening after it; the person is told when."""
    now = timezone.now()
    due = callback_times.slot_within_hours(wanted, now=now, hours=opening_hours())
    moving = callback.status == CallbackRequest.Status.SCHEDULED
    callback.due_at = due
    callback.status = CallbackRequest.Status.SCHEDULED
    callback.moved += moving
    callback.save(update_fields=["due_at", "status", "moved"])
    audit_record(
        conversation=callback.conversation,
        actor=actor,
        action="callback_moved" if moving else "callback_scheduled",
        detail=f"{due.astimezone(opening_hours().tz):%Y-%m-%d %H:%M}",
    )
    kind = MessageKind.CALLBACK_MOVED if moving else MessageKind.CALLBACK_SCHEDULED
    _tell_scheduled(callback, kind=kind)
    return callback


def callback_done(*, callback: CallbackRequest, agent) -> CallbackRequest:
    callback.status = CallbackRequest.Status.DONE
    callback.attempts += 1
    callback.done_at = timezone.now()
    callback.done_by = agent
    callback.save(update_fields=["status", "attempts", "done_at", "done_by"])
    audit_record(conversation=callback.conversation, actor=agent, action="callback_done")
    return callback


def callback_not_reached(*, callback: CallbackRequest, agent) -> CallbackRequest:
    """Counted; the person is told and asked for a new time (their answer schedules again)."""
    callback.status = CallbackRequest.Status.ASKING
    callback.attempts += 1
    callback.not_reached += 1
    callback.due_at = None
    callback.save(update_fields=["status", "attempts", "not_reached", "due_at"])
    audit_record(conversation=callback.conversation, actor=agent, action="callback_not_reached")
    _tell(callback, MessageKind.CALLBACK_MISSED, {"phone": callback.phone}, key=callback.attempts)
    return callback


def callback_cancel(*, callback: CallbackRequest, agent) -> CallbackRequest:
    callback.status = CallbackRequest.Status.CANCELLED
    callback.save(update_fields=["status"])
    audit_record(conversation=callback.conversation, actor=agent, action="callback_cancelled")
    return callback


def _ask(callback: CallbackRequest) -> None:
    now = timezone.now()
    tz = ZoneInfo(callback.tz_name)
    language = "nl" if callback.contact_point.customer.language == "nl" else "en"
    hours = callback_times.hours_phrase(
        opening_hours(), tz=tz, language=language, today=now.astimezone(tz).date()
    )
    if callback.phone:
        kind, context = MessageKind.CALLBACK_TIME_QUESTION, {"phone": callback.phone}
    else:
        kind, context = MessageKind.CALLBACK_NUMBER_QUESTION, {}
    _tell(callback, kind, {**context, "hours": hours}, key=f"{now.timestamp()}")


def _tell_scheduled(callback: CallbackRequest, *, kind: str) -> None:
    tz = ZoneInfo(callback.tz_name)
    language = "nl" if callback.contact_point.customer.language == "nl" else "en"
    when = callback_times.when_phrase(callback.due_at, now=timezone.now(), tz=tz, language=language)
    context = {"when": when, "phone": callback.phone}
    _tell(
        callback, kind, context, key=f"{callback.due_at.timestamp()}:{timezone.now().timestamp()}"
    )


def _tell(callback: CallbackRequest, kind: str, context: dict, *, key) -> Message | None:
    """In the chat as its kind's wording: free text inside the window (to anyone: they are
    talking to us), the kind's approved template outside it (only to someone who opted in)."""
    contact_point = ContactPoint.objects.select_related("customer").get(
        pk=callback.contact_point_id
    )
    if contact_point.unreachable_at:
        return None
    if not contact_point.window_open() and not contact_point.opted_in:
        return None  # outside the window only someone who opted in may get a template
    text = catalogue_text(kind=kind, contact_point=contact_point, context=context)
    if contact_point.window_open():
        # An answer to what they wrote (or just said): free text, as the hand-over note is.
        sent_as = {"kind": MessageKind.AUTOMATED_REPLY, "text": text}
        context = {**context, "answer_kind": kind}
    else:
        sent_as = {"kind": kind}
    delivery = message_create(
        contact_point=contact_point,
        lane=Lane.INTERACTIVE,
        context=context,
        dedupe_key=f"callback:{callback.pk}:{kind}:{key}",
        trip=callback.conversation.trip,
        **sent_as,
    )
    message = automated_message_add(
        conversation=callback.conversation, text=text, delivery=delivery
    )
    return message
