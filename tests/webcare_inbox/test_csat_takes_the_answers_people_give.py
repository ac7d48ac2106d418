"""The satisfaction question reads as 1–5, offers buttons, takes the answers people give,
and thanks them."""

import json
from datetime import timedelta

import pytest

from core.models import ContactPoint
from notifications.models import MessageTemplate
from sandbox.models import SandboxMessage
from tests.channels_messenger.conftest import (  # noqa: F401
    PAGE_ID,
    PSID,
    graph,
    graph_sends,
    messenger,
    messenger_person,
    now_ms,
    post_events,
)
from tests.webcare_inbox.conftest import receive
from webcare_inbox.csat import csat_score_in
from webcare_inbox.models import Conversation
from webcare_inbox.services import conversation_resolve

PEOPLE = {
    ("nl", "formal"): ("P1", "Anna", "de Vries", "nl", "formal", "+31612345678"),
    ("nl", "informal"): ("P1", "Anna", "de Vries", "nl", "informal", "+31612345678"),
    ("en", "formal"): ("P1", "Sam", "Taylor", "en", "formal", "+31612345678"),
    ("en", "informal"): ("P1", "Sam", "Taylor", "en", "informal", "+31612345678"),
}
QUESTION = {
    ("nl", "formal"): (
        "Beste Anna de Vries, hoe tevreden bent u over onze hulp, "
        "op een schaal van 1 tot 5? 1 is slecht, 5 is uitstekend."
    ),
    ("nl", "informal"): (
        "Hoi Anna, hoe tevreden ben je over onze hulp, "
        "op een schaal van 1 tot 5? 1 is slecht, 5 is uitstekend."
    ),
    ("en", "formal"): (
        "Dear Sam Taylor, how satisfied are you with our help, "
        "on a scale of 1 to 5? 1 is poor, 5 is excellent."
    ),
    (
        "en",
        "informal",
    ): "Hi Sam, how happy are you with our help, on a scale of 1 to 5? 1 is poor, 5 is excellent.",
}
THANKS = {
    ("nl", "formal"): (
        "Beste Anna de Vries, dank u wel voor uw beoordeling. "
        "Daarmee kunnen we onze hulp verbeteren."
    ),
    (
        "nl",
        "informal",
    ): "Hoi Anna, bedankt voor je beoordeling! Daarmee kunnen we onze hulp verbeteren.",
    (
        "en",
        "formal",
    ): "Dear Sam Taylor, thank you for your rating. It helps us improve our service.",
    ("en", "informal"): "Hi Sam, thanks for your rating! It helps us get better.",
}
ANSWER = {"nl": "4 - snel geholpen, dank!", "en": "four, quick and friendly"}


@pytest.mark.parametrize(
    "text,score",
    [
        ("4 - snel geholpen, dank!", 4),
        ("vier", 4),
        ("Four.", 4),
        ("Vijf!", 5),
        ("een", 1),
        ("4 sterren", 4),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️⭐️", 3),
        ("😀", 5),
        ("🙂", 4),
        ("😐", 3),
        ("🙁", 2),
        ("😞", 1),
        ("4 🙂", 4),
        # Read as a school mark out of 10 (as "een cijfer" is in Dutch): halved, rounded up.
        ("8", 4),
        ("10", 5),
        ("6", 3),
        ("7/10", 4),
        ("een 8", 4),
        ("Ik geef jullie een 9", 5),
        ("5 uit 10", 3),
        ("4/5", 4),
        ("3 van de 5", 3),
        ("2 koffers kwijt", None),
        ("Een vraag over mijn koffer", None),
        ("0612345678", None),
        ("0", None),
        ("Where is my bag?", None),
        ("", None),
    ],
)
def test_what_counts_as_a_score(text, score):
    assert csat_score_in(text) == score


def test_a_tapped_button_counts_by_its_payload():
    assert csat_score_in("whatever the title said", "CSAT_2") == 2
    assert csat_score_in("Hello", "GET_STARTED") is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(PEOPLE))
def test_asked_thanked_and_kept_with_the_resolved_conversation(variant, make_booking, agent):
    make_booking(passengers=[PEOPLE[variant]])
    receive("Mijn koffer is kwijt" if variant[0] == "nl" else "My bag is lost")
    conversation = Conversation.objects.get()
    conversation_resolve(conversation=conversation, agent=agent)

    question = SandboxMessage.objects.order_by("pk").last()
    assert question.text == QUESTION[variant]
    template = MessageTemplate.objects.get(
        channel="whatsapp", kind="csat_question", language=variant[0], formality=variant[1]
    )
    assert question.template_sid == template.content_sid  # the WhatsApp quick-reply template
    assert question.template_variables == {
        "1": PEOPLE[variant][1]
        if variant[1] == "informal"
        else f"{PEOPLE[variant][1]} {PEOPLE[variant][2]}"
    }

    receive(ANSWER[variant[0]])

    assert Conversation.objects.count() == 1
    conversation.refresh_from_db()
    assert (conversation.csat_score, conversation.status) == (4, "resolved")
    assert SandboxMessage.objects.order_by("pk").last().text == THANKS[variant]
    assert list(conversation.messages.values_list("text", flat=True))[-2:] == [
        ANSWER[variant[0]],
        THANKS[variant],
    ]


@pytest.mark.django_db(transaction=True)
def test_a_whatsapp_button_tap_is_the_score_and_is_thanked_once(make_booking, agent):
    make_booking()
    receive("Mijn koffer is kwijt")
    conversation_resolve(conversation=Conversation.objects.get(), agent=agent)

    receive("4 🙂", payload="CSAT_4")
    receive("5 😀", payload="CSAT_5")  # changed their mind

    conversation = Conversation.objects.get()
    assert conversation.csat_score == 5
    thanks = SandboxMessage.objects.filter(
        text__startswith="Beste Anna de Vries, dank u wel voor uw beoordeling"
    )
    assert thanks.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_score_long_after_the_question_is_a_new_conversation(make_booking, agent, clock):
    make_booking()
    receive("Mijn koffer is kwijt")
    conversation_resolve(conversation=Conversation.objects.get(), agent=agent)
    clock.shift(timedelta(days=4))

    receive("4 - snel geholpen")

    assert (
        Conversation.objects.count() == 2
        and Conversation.objects.order_by("pk").first().csat_score is None
    )


@pytest.mark.django_db(transaction=True)
def test_messenger_offers_quick_replies_and_takes_the_tap(
    messenger, graph_sends, messenger_person, client, agent
):
    post_events(client, _message_event("Mijn koffer is kwijt"))
    conversation = Conversation.objects.get()
    conversation_resolve(conversation=conversation, agent=agent)

    question = json.loads(graph_sends.calls.last.request.content)
    assert question["messaging_type"] == "RESPONSE"
    assert question["message"]["text"] == QUESTION[("nl", "formal")]
    assert question["message"]["quick_replies"] == [
        {"content_type": "text", "title": f"{n} {face}", "payload": f"CSAT_{n}"}
        for n, face in zip(range(1, 6), ["😞", "🙁", "😐", "🙂", "😀"])
    ]

    post_events(client, _message_event("4 🙂", quick_reply="CSAT_4"))

    conversation.refresh_from_db()
    assert conversation.csat_score == 4 and Conversation.objects.count() == 1
    thanks = json.loads(graph_sends.calls.last.request.content)
    assert thanks["message"] == {"text": THANKS[("nl", "formal")]}
    assert ContactPoint.objects.get(address=PSID).opted_in


def _message_event(text: str, *, quick_reply: str = "") -> dict:
    message = {"mid": f"m_in-{now_ms()}-{len(text)}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    item = {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms(),
        "message": message,
    }
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms(), "messaging": [item]}]}
