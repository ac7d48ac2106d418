"""Surveys in the chat: "did this help?" after an automated answer, effort (CES) or the
recommendation question (NPS) when an agent resolves, and the answers people give.

Never too often for one person: no satisfaction question (the inbox's CSAT, effort, the
recommendation) within INSIGHTS_SURVEY_MIN_GAP_DAYS of the last one; the recommendation question,
which is about the company, at most once per INSIGHTS_NPS_MIN_GAP_DAYS; "did this help?" at most
once per INSIGHTS_HELPFUL_MIN_GAP_HOURS and not that soon after another question. Questions go
only into an open 24-hour window (as answers, no consent needed); outside it nothing is asked.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from core.models import Channel, ContactPoint, InboundMessage
from insights.models import Survey
from notifications import rendering
from notifications.catalogue import QUICK_REPLIES
from notifications.models import Delivery, Lane, MessageKind, MessageTemplate
from notifications.selectors import catalogue_text, quick_reply_fields
from notifications.services import message_create
from webcare_inbox import realtime
from webcare_inbox.automated import automated_message_add
from webcare_inbox.models import Conversation, Message
from webcare_inbox.selectors import conversation_active_for

KIND_OF = {
    Survey.Kind.HELPFUL: MessageKind.SURVEY_HELPFUL,
    Survey.Kind.CES: MessageKind.SURVEY_CES,
    Survey.Kind.NPS: MessageKind.SURVEY_NPS,
}
# WhatsApp buttons come from the kind's quick-reply Content template: at most 10.
WHATSAPP_BUTTONS_MAX = 10
UNFINISHED_BY_THE_BOT = (
    "not answered by the automated replies",
    "not understood by the automated replies",
)

_YES = {
    "ja",
    "yes",
    "jazeker",
    "zeker",
    "jep",
    "yep",
    "ja hoor",
    "ja dank",
    "ja bedankt",
    "ja dank je",
    "ja dank u",
    "yes thanks",
    "yes thank you",
    "👍",
    "✅",
}
_NO = {"nee", "no", "neen", "nope", "niet echt", "not really", "nee dank", "👎", "❌"}
_NUMBER = re.compile(r"^\s*(10|\d)\s*(?:/\s*(?:5|10))?\s*[.!]*\s*$")


SATISFACTION = (Survey.Kind.CES, Survey.Kind.NPS)


def _last_asked(customer_id: int, kinds) -> datetime | None:
    ours = Survey.objects.filter(customer_id=customer_id, kind__in=kinds).aggregate(
        m=Max("asked_at")
    )["m"]
    csat = Conversation.objects.filter(customer_id=customer_id).aggregate(m=Max("csat_asked_at"))[
        "m"
    ]
    found = [t for t in (ours, csat) if t is not None]
    return max(found) if found else None


def may_ask(customer_id: int, *, now: datetime, kind: str) -> bool:
    """The survey gaps. The satisfaction questions (CSAT, effort, recommendation) share one:
    none within INSIGHTS_SURVEY_MIN_GAP_DAYS of the last. "Did this help?" is one tap after an
    answer: at most once per INSIGHTS_HELPFUL_MIN_GAP_HOURS, and not that soon after any other."""
    if kind == Survey.Kind.HELPFUL:
        last = _last_asked(customer_id, [Survey.Kind.HELPFUL, *SATISFACTION])
        gap = timedelta(hours=settings.INSIGHTS_HELPFUL_MIN_GAP_HOURS)
    else:
        last = _last_asked(customer_id, SATISFACTION)
        gap = timedelta(days=settings.INSIGHTS_SURVEY_MIN_GAP_DAYS)
    return last is None or last <= now - gap


def _nps_due(customer_id: int, now: datetime) -> bool:
    last = (
        Survey.objects.filter(customer_id=customer_id, kind=Survey.Kind.NPS)
        .aggregate(m=Max("asked_at"))
        .get("m")
    )
    return last is None or last <= now - timedelta(days=settings.INSIGHTS_NPS_MIN_GAP_DAYS)


def _template(kind: str, contact_point: ContactPoint) -> MessageTemplate | None:
    templates = {
        (t.language, t.formality): t
        for t in MessageTemplate.objects.filter(
            channel=contact_point.channel, kind=kind, active=True
        )
    }
    for variant in rendering.template_variants(contact_point.customer):
        if variant in templates:
            return templates[variant]
    return None


def _buttons(kind: str, contact_point: ContactPoint) -> dict:
    """The answer buttons: Messenger quick replies; on WhatsApp the kind's quick-reply Content
    template when WHATSAPP_QUICK_REPLY_KINDS names it (at most 10 buttons), else the text."""
    buttons = QUICK_REPLIES.get(kind, [])
    if contact_point.channel == Channel.WHATSAPP and len(buttons) > WHATSAPP_BUTTONS_MAX:
        buttons = []
    return quick_reply_fields(
        kind=kind, contact_point=contact_point, buttons=buttons, context={"answer_kind": kind}
    )


def _route(conversation: Conversation | None) -> str:
    trip = conversation.trip if conversation is not None and conversation.trip_id else None
    return f"{trip.origin}-{trip.destination}" if trip else ""


def survey_ask(
    *,
    kind: str,
    contact_point: ContactPoint,
    conversation: Conversation | None,
    now: datetime | None = None,
    dedupe: str,
) -> Survey | None:
    """Ask one survey question in the open window, or nothing (gap, window, unreachable)."""
    now = now or timezone.now()
    if contact_point.unreachable_at or not contact_point.window_open(now):
        return None
    if not may_ask(contact_point.customer_id, now=now, kind=kind):
        return None
    message_kind = KIND_OF[kind]
    template = _template(message_kind, contact_point)
    if template is None:
        return None
    text = catalogue_text(kind=message_kind, contact_point=contact_point, context={})
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        dedupe_key=f"survey:{kind}:{dedupe}",
        trip=conversation.trip if conversation is not None else None,
        **_buttons(message_kind, contact_point),
    )
    survey = Survey.objects.create(
        kind=kind,
        customer_id=contact_point.customer_id,
        contact_point=contact_point,
        conversation=conversation,
        delivery=delivery,
        route=_route(conversation),
        asked_at=now,
    )
    if conversation is not None:
        automated_message_add(conversation=conversation, text=text, delivery=delivery)
    return survey


def helpful_ask(*, answer: Message) -> Survey | None:
    """After an automated answer in a conversation: "did this help?"."""
    conversation = answer.conversation
    contact_point = ContactPoint.objects.select_related("customer").get(
        pk=conversation.contact_point_id
    )
    return survey_ask(
        kind=Survey.Kind.HELPFUL,
        contact_point=contact_point,
        conversation=conversation,
        dedupe=f"message:{answer.pk}",
    )


def resolve_survey(conversation: Conversation) -> bool:
    """The inbox's resolve moment (webcare_inbox.csat seam): True when this took the moment.

    Within the survey gap nothing is asked (True, so no CSAT either). The recommendation question
    goes to someone not asked it for INSIGHTS_NPS_MIN_GAP_DAYS who has travelled with us; effort
    after a conversation the automation could not finish; otherwise the inbox asks CSAT.
    """
    now = timezone.now()
    if not may_ask(conversation.customer_id, now=now, kind=Survey.Kind.CES):
        return True
    contact_point = ContactPoint.objects.select_related("customer").get(
        pk=conversation.contact_point_id
    )
    dedupe = f"conversation:{conversation.pk}"
    has_travelled = contact_point.customer.passengers.filter(
        segments__trip__scheduled_arrival__lte=now
    ).exists()
    if has_travelled and _nps_due(conversation.customer_id, now):
        kind = Survey.Kind.NPS
    elif conversation.handover_reason in UNFINISHED_BY_THE_BOT:
        kind = Survey.Kind.CES
    else:
        return False
    survey_ask(
        kind=kind, contact_point=contact_point, conversation=conversation, dedupe=dedupe, now=now
    )
    return True


# --- Answers ----------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s👍👎✅❌]", " ", text.lower()).split())


def score_in(kind: str, text: str, payload: str) -> int | None:
    """The answer to a survey question of `kind` in a message, or None when it holds none."""
    prefix = {Survey.Kind.HELPFUL: "HELPFUL_", Survey.Kind.CES: "CES_", Survey.Kind.NPS: "NPS_"}
    if payload and payload.startswith(prefix[kind]):
        value = payload[len(prefix[kind]) :]
        if kind == Survey.Kind.HELPFUL:
            return {"YES": 1, "NO": 0}.get(value)
        return int(value) if value.isdigit() else None
    if kind == Survey.Kind.HELPFUL:
        words = _words(text or "")
        return 1 if words in _YES else 0 if words in _NO else None
    match = _NUMBER.match(text or "")
    if not match:
        return None
    value = int(match.group(1))
    top = 5 if kind == Survey.Kind.CES else 10
    low = 1 if kind == Survey.Kind.CES else 0
    return value if low <= value <= top else None


def _open_survey(contact_point: ContactPoint, at: datetime) -> Survey | None:
    """The person's last survey question, if it is still the last thing we asked them: after
    anything else we sent (an agent's "shall I rebook you?"), a "ja" answers that instead."""
    since = at - timedelta(hours=settings.INSIGHTS_SURVEY_ANSWER_HOURS)
    survey = (
        Survey.objects.filter(contact_point=contact_point, asked_at__gte=since)
        .order_by("-asked_at", "-pk")
        .first()
    )
    if survey is None:
        return None
    later = (
        Delivery.objects.filter(contact_point=contact_point, created_at__gt=survey.asked_at)
        .exclude(pk=survey.delivery_id)
        .exclude(context__answer_kind=MessageKind.SURVEY_THANKS)
    )
    return None if later.exists() else survey


def inbound_survey_answer(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """Inbound handler: an answer to the last survey question is recorded, never a new question.

    The first answer is thanked; a later one (another button) replaces it quietly.
    """
    if inbound.kind not in (InboundMessage.Kind.MESSAGE, InboundMessage.Kind.POSTBACK):
        return False
    survey = _open_survey(contact_point, inbound.sent_at)
    if survey is None:
        return False
    score = score_in(survey.kind, inbound.text, inbound.payload)
    if score is None:
        return False
    first = survey.answered_at is None
    Survey.objects.filter(pk=survey.pk).update(score=score, answered_at=inbound.sent_at)
    conversation = survey.conversation or conversation_active_for(contact_point=contact_point)
    if conversation is not None:
        message = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.INBOUND,
            inbound=inbound,
            text=inbound.text or inbound.payload,
            created_at=inbound.sent_at,
        )
        realtime.message_added(message=message)
    if first and survey.kind != Survey.Kind.HELPFUL:
        _thank(contact_point, inbound, conversation)
    return True


def _thank(
    contact_point: ContactPoint, inbound: InboundMessage, conversation: Conversation | None
) -> None:
    text = catalogue_text(kind=MessageKind.SURVEY_THANKS, contact_point=contact_point, context={})
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        context={"answer_kind": MessageKind.SURVEY_THANKS},
        dedupe_key=f"survey-thanks:{inbound.pk}",
    )
    if conversation is not None:
        automated_message_add(conversation=conversation, text=text, delivery=delivery)
