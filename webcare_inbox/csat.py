"""After resolving: ask the person how satisfied they are (1–5), and keep the answer they give."""

import re
from datetime import timedelta

from django.utils import timezone

from core.models import ContactPoint, InboundMessage
from notifications.models import Lane, MessageKind
from notifications.services import message_create
from webcare_inbox import realtime
from webcare_inbox.audit import audit_record
from webcare_inbox.composer import template_values, templates_for
from webcare_inbox.models import Conversation, Message

# How long after the question a lone digit still counts as the answer.
CSAT_ANSWER_WITHIN = timedelta(days=3)
# "4", "4.", "4/5", " 5 ! " — a score alone, not a digit inside a sentence or a phone number.
_SCORE = re.compile(r"^\s*([1-5])\s*(?:/\s*5)?\s*[.!]*\s*$")


def csat_ask(*, conversation: Conversation) -> Message | None:
    """Ask once per conversation, in the person's language.

    Inside the 24-hour window it is an answer in the chat (free text, no consent needed); outside
    it is the approved csat_question template, which only an opted-in person may be sent.
    """
    contact_point = ContactPoint.objects.get(pk=conversation.contact_point_id)
    if conversation.csat_asked_at or contact_point.unreachable_at:
        return None
    if contact_point.window_open():
        text = _question_text(conversation)
        if not text:
            return None
        delivery = message_create(
            contact_point=contact_point, kind=MessageKind.AUTOMATED_REPLY, lane=Lane.INTERACTIVE, text=text,
            dedupe_key=f"csat:{conversation.pk}",
        )
    elif contact_point.opted_in:
        delivery = message_create(
            contact_point=contact_point, kind=MessageKind.CSAT_QUESTION, lane=Lane.INTERACTIVE, dedupe_key=f"csat:{conversation.pk}",
        )
        text = _question_text(conversation) or ""
    else:
        return None
    Conversation.objects.filter(pk=conversation.pk).update(csat_asked_at=timezone.now())
    conversation.csat_asked_at = timezone.now()
    message = Message.objects.create(
        conversation=conversation, direction=Message.Direction.OUTBOUND, automated=True, delivery=delivery, text=text,
    )
    audit_record(conversation=conversation, actor=None, action="csat_asked")
    realtime.message_added(message=message)
    return message


def _question_text(conversation: Conversation) -> str | None:
    template = next((t for t in templates_for(conversation=conversation) if t.kind == MessageKind.CSAT_QUESTION), None)
    return template_values(conversation=conversation, template=template).text if template else None


def csat_score_in(text: str) -> int | None:
    match = _SCORE.match(text or "")
    return int(match.group(1)) if match else None


def inbound_csat_answer(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """Inbound handler: a score right after we asked is the answer, stored with that conversation."""
    if inbound.kind != InboundMessage.Kind.MESSAGE:
        return False
    score = csat_score_in(inbound.text)
    if score is None:
        return False
    conversation = (
        Conversation.objects.filter(
            contact_point=contact_point,
            status=Conversation.Status.RESOLVED,
            csat_asked_at__gte=inbound.sent_at - CSAT_ANSWER_WITHIN,
            csat_score__isnull=True,
        )
        .order_by("-csat_asked_at")
        .first()
    )
    if conversation is None:
        return False
    Conversation.objects.filter(pk=conversation.pk).update(csat_score=score, csat_answered_at=inbound.sent_at)
    message = Message.objects.create(
        conversation=conversation, direction=Message.Direction.INBOUND, inbound=inbound, text=inbound.text,
        created_at=inbound.sent_at,
    )
    audit_record(conversation=conversation, actor=None, action="csat_answered", detail=f"{score}/5")
    realtime.message_added(message=message)
    realtime.conversation_changed(conversation=conversation)
    return True
