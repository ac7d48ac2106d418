"""Whoever is handed to the team hears at once that a colleague answers, and when;
the inbox shows it as the team's."""

from datetime import timedelta

import pytest

from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import Conversation
from webcare_inbox.workflow import conversation_hand_to_bot

PEOPLE = {
    ("nl", "formal"): ("P1", "Anna", "de Vries", "nl", "formal", "+31612345678"),
    ("nl", "informal"): ("P1", "Anna", "de Vries", "nl", "informal", "+31612345678"),
    ("en", "formal"): ("P1", "Sam", "Taylor", "en", "formal", "+31612345678"),
    ("en", "informal"): ("P1", "Sam", "Taylor", "en", "informal", "+31612345678"),
}
ASK = {"nl": "Ik wil een medewerker spreken", "en": "I want to talk to a person"}

WAITING = {
    ("nl", "formal"): (
        "Beste Anna de Vries, bedankt voor uw bericht. Een collega van de klantenservice "
        "antwoordt u hier zo snel mogelijk; de wachttijd is nu ongeveer 10 minuten."
    ),
    ("nl", "informal"): (
        "Hoi Anna, bedankt voor je bericht. Een collega van de klantenservice "
        "antwoordt je hier zo snel mogelijk; de wachttijd is nu ongeveer 10 minuten."
    ),
    ("en", "formal"): (
        "Dear Sam Taylor, thank you for your message. A colleague from customer service will "
        "answer you here as soon as possible; the waiting time is currently about 10 minutes."
    ),
    ("en", "informal"): (
        "Hi Sam, thanks for your message. Someone from customer service will "
        "reply here as soon as they can; right now that takes about 10 minutes."
    ),
}
CLOSED = {
    ("nl", "formal"): (
        "Beste Anna de Vries, bedankt voor uw bericht. Onze klantenservice is nu gesloten en is "
        "morgen vanaf 08:00 (Nederlandse tijd) weer bereikbaar. Dan antwoordt een collega u hier."
    ),
    ("nl", "informal"): (
        "Hoi Anna, bedankt voor je bericht. Onze klantenservice is nu gesloten en is morgen "
        "vanaf 08:00 (Nederlandse tijd) weer bereikbaar. Dan antwoordt een collega je hier."
    ),
    ("en", "formal"): (
        "Dear Sam Taylor, thank you for your message. Our customer service is closed right now "
        "and is back tomorrow from 08:00 (Dutch time). A colleague will answer you here then."
    ),
    ("en", "informal"): (
        "Hi Sam, thanks for your message. Our customer service is closed right now and "
        "back tomorrow from 08:00 (Dutch time). Someone will reply to you here then."
    ),
}


@pytest.fixture
def hours(settings):
    settings.WEBCARE_OPENING_HOURS = "mo-su 08:00-20:00"
    settings.WEBCARE_TIMEZONE = "Europe/Amsterdam"
    settings.WEBCARE_TYPICAL_WAIT_MINUTES = "10"
    return settings


def _sent_to(address: str) -> list[str]:
    return list(
        SandboxMessage.objects.filter(to=address).order_by("pk").values_list("text", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(PEOPLE))
def test_asking_for_a_person_within_opening_hours_says_the_wait(
    variant, hours, clock, make_booking, agent_client
):
    clock.move_to(suite_clock.local(10, 30, offset=0))
    make_booking(passengers=[PEOPLE[variant]])
    SandboxMessage.objects.all().delete()  # the booking confirmation
    colleague = make_agent("lisa", available=True)

    receive(ASK[variant[0]])

    assert _sent_to("+31612345678") == [WAITING[variant]]
    conversation = Conversation.objects.get()
    assert (conversation.handled_by, conversation.handover_reason) == (
        "human",
        "asked for a person",
    )
    assert conversation.assignee == colleague  # round-robin, as for any conversation for the team
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "banner-bot" not in page and "chip chip-bot" not in page and "chip chip-human" in page
    assert WAITING[variant] in page  # the acknowledgement is in the thread, marked automated


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(PEOPLE))
def test_outside_opening_hours_it_says_when_the_team_is_back(variant, hours, clock, make_booking):
    clock.move_to(suite_clock.local(21, 15, offset=0))
    make_booking(passengers=[PEOPLE[variant]])
    SandboxMessage.objects.all().delete()

    receive(ASK[variant[0]])

    assert _sent_to("+31612345678") == [CLOSED[variant]]


@pytest.mark.django_db(transaction=True)
def test_before_opening_it_says_today_and_after_friday_it_says_monday(settings, clock):
    settings.WEBCARE_OPENING_HOURS = "mo-fr 08:00-20:00"
    friday = next(k for k in range(1, 8) if suite_clock.day(k).weekday() == 4)

    clock.move_to(suite_clock.local(6, 0, offset=friday))
    receive("Waar is mijn koffer? Ik ben hem kwijt", address="+31600000001")
    clock.move_to(suite_clock.local(20, 0, offset=friday))
    receive("Where is my suitcase?", address="+31600000002")

    assert "is back today from 08:00 (Dutch time)" in _sent_to("+31600000001")[0]
    assert "is back on Monday from 08:00 (Dutch time)" in _sent_to("+31600000002")[0]


@pytest.mark.django_db(transaction=True)
def test_a_question_the_bot_did_not_answer_leaves_automation(hours, clock, agent_client, agent):
    clock.move_to(suite_clock.local(11, 0, offset=0))
    receive("Hello", address="+31600000003")
    conversation = Conversation.objects.get()
    conversation_hand_to_bot(conversation=conversation, actor=agent)
    SandboxMessage.objects.all().delete()

    receive("Mijn rolstoel is beschadigd, wat nu?", address="+31600000003")

    conversation.refresh_from_db()
    assert conversation.handled_by == "human"
    assert conversation.handover_reason == "not answered by the automated replies"
    assert len(_sent_to("+31600000003")) == 1 and "10 minutes" in _sent_to("+31600000003")[0]
    listing = agent_client.get("/inbox/").content.decode()
    assert "chip chip-bot" not in listing
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "banner-bot" not in page and "Handed over by automation:" in page
    assert "not answered by the automated replies" in page


@pytest.mark.django_db(transaction=True)
def test_the_person_is_told_once_while_they_wait(hours, clock):
    clock.move_to(suite_clock.local(12, 0, offset=0))
    receive("My bag did not arrive", address="+31600000004")
    receive("It is a blue suitcase", address="+31600000004")
    receive("I want to talk to a person", address="+31600000004")

    assert len(_sent_to("+31600000004")) == 1
    assert Conversation.objects.get().messages.filter(direction="out", automated=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_computed_wait_follows_recent_first_answers(hours, clock, agent):
    from webcare_inbox.services import conversation_reply

    hours.WEBCARE_TYPICAL_WAIT_MINUTES = ""
    start = suite_clock.local(9, 0, offset=0)
    for n in range(5):
        clock.move_to(start + timedelta(minutes=30 * n))
        receive(f"Question {n}", address=f"+3160000010{n}")
        clock.shift(timedelta(minutes=22))
        conversation_reply(
            conversation=Conversation.objects.get(contact_point__address=f"+3160000010{n}"),
            agent=agent,
            text="Hi!",
        )

    clock.move_to(suite_clock.local(14, 0, offset=0))
    receive("Hello?", address="+31600000200")

    assert "about 30 minutes" in _sent_to("+31600000200")[0]  # 22 minutes, promised as half an hour
