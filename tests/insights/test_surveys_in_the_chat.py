"""Surveys in the chat: "did this help?" after an automated answer, effort or recommendation
after resolving, never too often for one person; an answer is recorded, thanked, and never
lands in the inbox as a new question."""

from datetime import timedelta

import pytest

from insights.models import Survey
from insights.surveys import score_in
from notifications.catalogue import DEFAULTS
from sandbox.models import SandboxMessage
from tests.groups.conftest import anna, forget_sent, phones, received, trip_time, webhooks  # noqa: F401
from tests.webcare_inbox.conftest import agent, receive  # noqa: F401
from webcare_inbox.models import Conversation
from webcare_inbox.services import conversation_resolve

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_did_this_help_follows_a_trip_answer_and_the_tap_is_recorded(phones, api, anna):
    phones.whatsapp(JOOST, anna["code"])
    departed, _ = trip_time(anna["trip"], 12)
    api.post_event({"type": "departed", "actual_departure": departed}, trip=anna["trip"])
    forget_sent()

    phones.whatsapp(JOOST, "hoe laat landt ze?")
    answer, question = received(JOOST)
    assert answer.startswith("Automatisch antwoord: Anna: KL1001 naar Londen")
    assert question == "Heeft dit antwoord u geholpen?"
    asked = SandboxMessage.objects.filter(to=JOOST).order_by("pk").last()
    assert asked.template_sid.startswith("HX")  # the 👍/👎 quick-reply template
    survey = Survey.objects.get()
    assert (survey.kind, survey.score, survey.route) == ("helpful", None, "AMS-LHR")

    phones.whatsapp(JOOST, "👍")
    survey.refresh_from_db()
    assert survey.score == 1 and survey.answered_at is not None
    conversation = Conversation.objects.get()
    assert conversation.handled_by == "bot"  # still the bot's: nobody is asked to pick it up

    # A second question soon after is answered, but not asked again whether it helped.
    forget_sent()
    phones.whatsapp(JOOST, "en hoe laat landt ze nu?")
    assert len(received(JOOST)) == 1
    assert Survey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_resolving_after_the_automation_failed_asks_for_effort(agent, make_booking):
    make_booking()
    receive("Mijn koffer is zoek")
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(
        handover_reason="not understood by the automated replies"
    )
    conversation.refresh_from_db()
    conversation_resolve(conversation=conversation, agent=agent)

    question = SandboxMessage.objects.filter(to="+31612345678").order_by("pk").last()
    assert question.text.startswith(
        "Beste Anna de Vries, hoeveel moeite heeft u moeten doen om uw vraag beantwoord te krijgen?"
    )
    conversation.refresh_from_db()
    assert conversation.csat_asked_at is None  # one question, not two

    receive("2")
    survey = Survey.objects.get()
    assert (survey.kind, survey.score) == ("ces", 2)
    assert Conversation.objects.count() == 1  # the answer opened nothing new
    assert Conversation.objects.get().status == "resolved"
    thanks = SandboxMessage.objects.filter(to="+31612345678").order_by("pk").last()
    assert thanks.text.startswith("Beste Anna de Vries, dank u wel voor uw antwoord.")


@pytest.mark.django_db(transaction=True)
def test_someone_who_travelled_is_asked_to_recommend_us_and_then_left_alone(
    agent, make_booking, clock, settings
):
    settings.INSIGHTS_SURVEY_MIN_GAP_DAYS = 14
    make_booking()
    clock.shift(timedelta(days=2))  # the trip is over
    receive("Dank voor de hulp met mijn stoel")
    conversation_resolve(conversation=Conversation.objects.get(), agent=agent)
    question = SandboxMessage.objects.filter(to="+31612345678").order_by("pk").last()
    assert "hoe waarschijnlijk is het dat u ons zou aanraden" in question.text
    receive("9")
    assert Survey.objects.get().score == 9

    # A week later: within the gap, resolving asks nothing at all (no CSAT either).
    clock.shift(timedelta(days=7))
    forget_sent()
    receive("Nog een vraag over mijn bonnetje")
    conversation = Conversation.objects.order_by("-pk").first()
    conversation_resolve(conversation=conversation, agent=agent)
    conversation.refresh_from_db()
    assert conversation.csat_asked_at is None
    assert not SandboxMessage.objects.filter(text__contains="1 tot 5").exists()
    assert Survey.objects.count() == 1

    # After the gap: CSAT again (the recommendation waits its own 90 days).
    clock.shift(timedelta(days=8))
    receive("En nog iets")
    conversation = Conversation.objects.order_by("-pk").first()
    conversation_resolve(conversation=conversation, agent=agent)
    conversation.refresh_from_db()
    assert conversation.csat_asked_at is not None


@pytest.mark.parametrize(
    "kind,text,payload,score",
    [
        ("helpful", "Ja", "", 1),
        ("helpful", "nee.", "", 0),
        ("helpful", "ja maar wanneer vertrekt hij?", "", None),
        ("helpful", "", "HELPFUL_NO", 0),
        ("ces", "3", "", 3),
        ("ces", "7", "", None),
        ("ces", "", "CES_5", 5),
        ("nps", "10", "", 10),
        ("nps", "0!", "", 0),
        ("nps", "8/10", "", 8),
        ("nps", "11", "", None),
        ("nps", "gate 8", "", None),
    ],
)
def test_answers_are_read_as_people_give_them(kind, text, payload, score):
    assert score_in(kind, text, payload) == score


@pytest.mark.parametrize("kind", ["survey_helpful", "survey_ces", "survey_nps", "survey_thanks"])
def test_every_survey_text_has_dutch_and_english_in_both_forms(kind):
    _, bodies = DEFAULTS[kind]
    assert set(bodies) == {
        ("nl", "formal"),
        ("nl", "informal"),
        ("en", "formal"),
        ("en", "informal"),
    }
    assert " u " in f" {bodies[('nl', 'formal')]} ".replace("?", " ")
    assert " je " in f" {bodies[('nl', 'informal')]} ".replace("?", " ")
    assert " je " not in f" {bodies[('nl', 'formal')]} "
    assert " u " not in f" {bodies[('nl', 'informal')]} "
    if kind != "survey_helpful":
        assert bodies[("nl", "formal")].startswith("Beste {{1}}")
        assert bodies[("nl", "informal")].startswith("Hoi {{1}}")
        assert bodies[("en", "formal")].startswith("Dear {{1}}")
        assert bodies[("en", "informal")].startswith("Hi {{1}}")


@pytest.mark.django_db(transaction=True)
def test_a_yes_to_an_agent_after_the_survey_is_a_message_for_the_agent(agent, make_booking):
    from webcare_inbox.services import conversation_reply

    make_booking()
    receive("Mijn koffer is zoek")
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(
        handover_reason="not understood by the automated replies"
    )
    conversation.refresh_from_db()
    conversation_resolve(conversation=conversation, agent=agent)
    receive("Nog één ding")  # a new conversation, for the team
    newest = Conversation.objects.order_by("-pk").first()
    conversation_reply(conversation=newest, agent=agent, text="Zal ik u omboeken? 3 opties")
    receive("3")
    assert Survey.objects.get().score is None  # the 3 answers the agent, not the effort question
    assert newest.messages.filter(direction="in", text="3").exists()
