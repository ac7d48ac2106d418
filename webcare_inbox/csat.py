"""After resolving: ask the person how satisfied they are (1–5), and keep the answer they give."""

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from core.models import Channel, ContactPoint, InboundMessage
from notifications.catalogue import QUICK_REPLIES
from notifications.models import Lane, MessageKind, MessageTemplate
from notifications.selectors import catalogue_text
from notifications.services import message_create
from webcare_inbox import realtime
from webcare_inbox.audit import audit_record
from webcare_inbox.automated import automated_message_add
from webcare_inbox.composer import template_values, templates_for
from webcare_inbox.models import Conversation, Message

# How long after the question an answer still counts as the score.
CSAT_ANSWER_WITHIN = timedelta(days=3)
# Payloads of the quick-reply buttons (Messenger quick_replies, the WhatsApp Content template).
_PAYLOAD = re.compile(r"^CSAT_([1-5])$")
# A score first: "4", "4/5", "8 uit 10", " 5 ! ", "4 - snel geholpen, dank!", "4 🙂".
_LEADING = re.compile(
    r"^(?:(?:een|a|an)\s+)?(?P<n>10|\d)(?![\d])(?:[.,]\d)?"
    r"(?:\s*(?:/|uit|van de|van|out of|of)\s*(?P<of>5|10)(?!\d))?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "ik geef een 8", "I'd rate it 4": a score after a word that asks for one.
_GIVEN = re.compile(
    r"\b(?:geef|geven|give|rate|rating|score|cijfer)\b\D{0,15}?\b(10|[1-9])(?!\d)", re.IGNORECASE
)
# Words that may follow the number without making it part of a sentence about something else.
_SCORE_WORDS = {"ster", "sterren", "star", "stars", "punt", "punten", "point", "points"}
_NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_FACES = {
    "😀": 5,
    "😃": 5,
    "😄": 5,
    "😁": 5,
    "😍": 5,
    "🤩": 5,
    "🥰": 5,
    "🙂": 4,
    "😊": 4,
    "☺": 4,
    "😐": 3,
    "😶": 3,
    "😑": 3,
    "🙁": 2,
    "😕": 2,
    "😟": 2,
    "☹": 1,
    "😞": 1,
    "😠": 1,
    "😡": 1,
    "😢": 1,
    "😭": 1,
}
_STARS = {"⭐", "★", "🌟", "*"}


# Feature apps may take the moment after resolving (insights.apps: the survey gap, effort and
# recommendation questions): each gets the conversation and returns True when it took it (asked
# its own question, or decided nothing should be asked); the first to do so wins, else CSAT.
ResolveSurvey = Callable[[Conversation], bool]
_RESOLVE_SURVEYS: list[ResolveSurvey] = []


def resolve_survey_register(survey: ResolveSurvey) -> None:
    if survey not in _RESOLVE_SURVEYS:
        _RESOLVE_SURVEYS.append(survey)


def csat_ask(*, conversation: Conversation) -> Message | None:
    """Ask once per conversation, in the person's language,
    with 1–5 buttons where the channel has them.

    Inside the 24-hour window it is an answer in the chat (no consent needed): on Messenger text
    with quick replies, on WhatsApp the csat_question Content template, whose quick-reply buttons
    Twilio sends in the session too. Outside the window only an opted-in person gets the template.
    """
    contact_point = ContactPoint.objects.get(pk=conversation.contact_point_id)
    if conversation.csat_asked_at or contact_point.unreachable_at:
        return None
    if any(survey(conversation) for survey in _RESOLVE_SURVEYS):
        return None
    template = _question_template(conversation)
    if template is None:
        return None
    filled = template_values(conversation=conversation, template=template)
    dedupe_key = f"csat:{conversation.pk}"
    if contact_point.window_open():
        delivery = message_create(
            contact_point=contact_point,
            kind=MessageKind.AUTOMATED_REPLY,
            lane=Lane.INTERACTIVE,
            text=filled.text,
            dedupe_key=dedupe_key,
            **_buttons(contact_point, template, filled.values),
        )
    elif contact_point.opted_in:
        delivery = message_create(
            contact_point=contact_point,
            kind=MessageKind.CSAT_QUESTION,
            lane=Lane.INTERACTIVE,
            dedupe_key=dedupe_key,
        )
    else:
        return None
    Conversation.objects.filter(pk=conversation.pk).update(csat_asked_at=timezone.now())
    conversation.csat_asked_at = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        automated=True,
        delivery=delivery,
        text=filled.text,
    )
    audit_record(conversation=conversation, actor=None, action="csat_asked")
    realtime.message_added(message=message)
    return message


def _buttons(
    contact_point: ContactPoint, template: MessageTemplate, values: dict[str, str]
) -> dict:
    """What makes the 1–5 buttons: Messenger quick replies, or the WhatsApp quick-reply template."""
    if contact_point.channel == Channel.MESSENGER:
        return {"context": {"quick_replies": QUICK_REPLIES[MessageKind.CSAT_QUESTION]}}
    return {"template_sid": template.content_sid, "template_variables": values}


def _question_template(conversation: Conversation) -> MessageTemplate | None:
    return next(
        (
            t
            for t in templates_for(conversation=conversation)
            if t.kind == MessageKind.CSAT_QUESTION
        ),
        None,
    )


def _on_the_5_scale(number: int, of: int | None) -> int | None:
    """1–5 as is; an answer on the 1–10 scale ("een 8", as a Dutch school mark) halved,
    rounded up."""
    if number < 1:
        return None
    if of == 10 or number > 5:
        return (number + 1) // 2
    return number


def _rest_is_a_comment(rest: str) -> bool:
    """What follows the number leaves it a score: nothing, punctuation, an emoji, or "sterren"."""
    rest = rest.strip()
    if not rest:
        return True
    if not rest[0].isalnum():
        return True
    return re.split(r"\W", rest.lower(), maxsplit=1)[0] in _SCORE_WORDS


def _emoji_score(text: str) -> int | None:
    symbols = [c for c in text if not c.isspace() and c != "\ufe0f"]
    if symbols and all(c in _STARS for c in symbols):
        return min(len(symbols), 5)
    return _FACES.get(symbols[0]) if symbols else None


def _word_score(text: str) -> int | None:
    match = re.match(r"^([^\W\d_]+)(.*)$", text, re.DOTALL)
    if match and match.group(1).lower() in _NUMBER_WORDS and _rest_is_a_comment(match.group(2)):
        return _on_the_5_scale(_NUMBER_WORDS[match.group(1).lower()], None)
    return None


def csat_score_in(text: str, payload: str = "") -> int | None:
    """The 1–5 score in an answer to the satisfaction question, or None when it holds none."""
    if match := _PAYLOAD.match(payload or ""):
        return int(match.group(1))
    text = (text or "").strip()
    if not text:
        return None
    if match := _LEADING.match(text):
        if _rest_is_a_comment(match["rest"]):
            return _on_the_5_scale(int(match["n"]), int(match["of"]) if match["of"] else None)
        return None
    if (score := _emoji_score(text)) is not None:
        return score
    if (score := _word_score(text)) is not None:
        return score
    if match := _GIVEN.search(text):
        return _on_the_5_scale(int(match.group(1)), None)
    return None


def _asked_conversation(contact_point: ContactPoint, at) -> Conversation | None:
    """The person's latest conversation, if it is resolved and asked for a score recently."""
    latest = (
        Conversation.objects.filter(contact_point=contact_point)
        .order_by("-created_at", "-pk")
        .first()
    )
    if (
        latest is None
        or latest.status != Conversation.Status.RESOLVED
        or latest.csat_asked_at is None
        or latest.csat_asked_at < at - CSAT_ANSWER_WITHIN
    ):
        return None
    return latest


def inbound_csat_answer(inbound: InboundMessage, contact_point: ContactPoint) -> bool:
    """Inbound handler: a score after we asked belongs to that conversation, never to a new one.

    The first answer is thanked; a later one (another button tapped) replaces the score quietly.
    """
    if inbound.kind != InboundMessage.Kind.MESSAGE:
        return False
    score = csat_score_in(inbound.text, inbound.payload)
    conversation = (
        _asked_conversation(contact_point, inbound.sent_at) if score is not None else None
    )
    if conversation is None:
        return False
    first = conversation.csat_score is None
    Conversation.objects.filter(pk=conversation.pk).update(
        csat_score=score, csat_answered_at=inbound.sent_at
    )
    conversation.csat_score = score
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.INBOUND,
        inbound=inbound,
        text=inbound.text,
        created_at=inbound.sent_at,
    )
    audit_record(conversation=conversation, actor=None, action="csat_answered", detail=f"{score}/5")
    realtime.message_added(message=message)
    if first:
        _thank(conversation, contact_point, inbound)
    realtime.conversation_changed(conversation=conversation)
    return True


def _thank(
    conversation: Conversation, contact_point: ContactPoint, inbound: InboundMessage
) -> None:
    text = catalogue_text(kind=MessageKind.CSAT_THANKS, contact_point=contact_point, context={})
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        context={"answer_kind": MessageKind.CSAT_THANKS},
        dedupe_key=f"csat-thanks:{inbound.pk}",
    )
    automated_message_add(conversation=conversation, text=text, delivery=delivery)
