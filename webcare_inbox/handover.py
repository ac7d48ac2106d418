"""Handing a conversation to the webcare team, and telling the person at once that a colleague
answers.

Whenever a conversation enters the human queue without an automated answer — a new question,
"ik wil een medewerker spreken", something the automated replies did not understand — the person
gets one acknowledgement in their language and form of address: within opening hours how long
an answer takes now, outside them when the team is back. It is an answer to what they just
wrote (free text inside the window), so it reaches people who sent STOP too.
"""

from django.utils import timezone

from core.models import ContactPoint, InboundMessage
from notifications.catalogue import CALLBACK_QUICK_REPLY
from notifications.models import Lane, MessageKind
from notifications.selectors import catalogue_text, quick_reply_fields
from notifications.services import message_create
from webcare_inbox import realtime
from webcare_inbox.assignment import conversation_auto_assign
from webcare_inbox.audit import audit_record
from webcare_inbox.automated import automated_message_add
from webcare_inbox.hours import back_phrase, opening_hours, typical_wait_minutes, wait_phrase
from webcare_inbox.models import Conversation, Message


def conversation_hand_to_human(
    *, conversation: Conversation, inbound: InboundMessage, reason: str = ""
) -> Message | None:
    """The team takes over: human queue, round-robin if nobody has it, and the acknowledgement."""
    was_bot = conversation.handled_by == Conversation.HandledBy.BOT
    conversation.handled_by = Conversation.HandledBy.HUMAN
    conversation.handover_reason = reason
    conversation.save(update_fields=["handled_by", "handover_reason"])
    if was_bot:
        audit_record(conversation=conversation, actor=None, action="handed_to_human", detail=reason)
    if conversation.assignee_id is None:
        conversation_auto_assign(conversation=conversation)
    message = handover_acknowledge(conversation=conversation, inbound=inbound)
    realtime.conversation_changed(conversation=conversation)
    return message


def handover_text(*, contact_point: ContactPoint, now=None) -> tuple[str, str]:
    """(kind, text): the typical wait within opening hours, else when the team is back."""
    kind, context = _handover_wording(contact_point=contact_point, now=now)
    return kind, catalogue_text(kind=kind, contact_point=contact_point, context=context)


def _handover_wording(*, contact_point: ContactPoint, now=None) -> tuple[str, dict]:
    now = now or timezone.now()
    hours = opening_hours()
    language = "nl" if contact_point.customer.language == "nl" else "en"
    if hours.is_open(now):
        return MessageKind.HANDOVER_WAITING, {
            "wait": wait_phrase(typical_wait_minutes(now=now), language)
        }
    opening = hours.next_opening(now)
    return MessageKind.HANDOVER_CLOSED, {
        "back": back_phrase(opening, now=now, language=language, tz=hours.tz)
    }


def handover_acknowledge(*, conversation: Conversation, inbound: InboundMessage) -> Message | None:
    """Tell the person a colleague will answer, once per message that handed them over."""
    contact_point = ContactPoint.objects.select_related("customer").get(
        pk=conversation.contact_point_id
    )
    if inbound.kind != InboundMessage.Kind.MESSAGE or contact_point.unreachable_at:
        return None
    if not contact_point.window_open():
        return None  # read too late to answer: the agent's composer offers a template instead
    kind, values = _handover_wording(contact_point=contact_point)
    text = catalogue_text(kind=kind, contact_point=contact_point, context=values)
    # A button to be called back instead of waiting (payload CALLBACK): Messenger quick replies;
    # on WhatsApp the kind's Content template when configured, else typing "bel mij" does it.
    language = "nl" if contact_point.customer.language == "nl" else "en"
    buttons = quick_reply_fields(
        kind=kind,
        contact_point=contact_point,
        buttons=[CALLBACK_QUICK_REPLY[language]],
        context={"answer_kind": kind},
        values=values,
    )
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        dedupe_key=f"handover:{inbound.pk}",
        **buttons,
        trip=conversation.trip,
    )
    message = automated_message_add(conversation=conversation, text=text, delivery=delivery)
    return message
