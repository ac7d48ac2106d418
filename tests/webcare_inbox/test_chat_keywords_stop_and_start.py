"""Chat keywords: every opt-out word stops proactive messages, START / AANMELDEN brings them back.

A keyword is the whole message apart from case, spaces, punctuation and emoji; in a sentence it
is just a message for the team.
"""

import pytest

from core.models import ConsentRecord, ContactPoint, Passenger
from core.services import api_key_create
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import Api
from tests.webcare_inbox.conftest import receive
from update_groups.models import GroupMembership
from webcare_inbox.models import Conversation

ANNA = "+31612345678"
OMA = "+31687654321"
STOPPED = "Beste Anna de Vries, u ontvangt van ons geen berichten meer via dit kanaal."


def delay(key: str):
    """The travel company publishes a delay of the suite's trip; the answer counts recipients."""
    _, api_key = api_key_create(name="booking engine")
    body = {"type": "delayed", "estimated_departure": clock.iso(10, 15)}
    response = Api(api_key).post_event(body, key=key)
    assert response.status_code == 202, response.content
    return response.json()["recipients"]


def texts_to(address: str) -> list[str]:
    rows = SandboxMessage.objects.filter(to=address).order_by("pk")
    return list(rows.values_list("text", flat=True))


def forget_sent() -> None:
    SandboxMessage.objects.all().delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop.",
        "Stop!",
        " STOPPEN ",
        "stoppen",
        "Uitschrijven",
        "UNSUBSCRIBE",
        "unsubscribe!!",
        "afmelden?",
        "*STOP*",
        "Stop 🛑",
        "\nAfmelden.\n",
        "stop all",
        "Opt-out",
        "OPTOUT!",
        "Uitschrijving",
    ],
)
def test_every_opt_out_word_stops_proactive_messages_with_one_confirmation(make_booking, text):
    make_booking()  # Anna de Vries, Dutch, formal
    forget_sent()

    receive(text)

    cp = ContactPoint.objects.get(address=ANNA)
    assert not cp.opted_in
    assert ConsentRecord.objects.filter(contact_point=cp, action="opt_out").count() == 1
    [confirmation] = texts_to(ANNA)
    assert confirmation.startswith(STOPPED)
    assert delay("delay-after-stop") == 0
    assert texts_to(ANNA) == [confirmation]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "text",
    [
        "ik wil stoppen met roken",
        "Stop maar met die berichten over mijn vlucht",
        "Wanneer start het boarden?",
        "aanmelden voor de nieuwsbrief",
        "stop stop",
        "S.T.O.P",
    ],
)
def test_a_keyword_in_a_sentence_is_a_message_for_the_team(make_booking, text):
    make_booking()
    forget_sent()

    receive(text)

    cp = ContactPoint.objects.get(address=ANNA)
    assert cp.opted_in and cp.opted_out_at is None
    assert list(cp.consent_records.values_list("action", "source")) == [
        ("opt_in", "booking ABC123")
    ]
    assert Conversation.objects.get().messages.filter(direction="in").get().text == text
    assert not any("geen berichten meer" in t or "aangemeld" in t for t in texts_to(ANNA))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("word", ["START", "start!", " Aanmelden. "])
def test_start_after_stop_brings_the_trip_messages_back(make_booking, word):
    make_booking()
    receive("STOP")
    assert delay("delay-1") == 0
    forget_sent()

    receive(word)

    [confirmation] = texts_to(ANNA)
    assert confirmation == (
        "Beste Anna de Vries, u bent aangemeld: vanaf nu ontvangt u onze berichten via dit kanaal. "
        "Stuur STOP als u ze niet meer wilt ontvangen."
    )
    cp = ContactPoint.objects.get(address=ANNA)
    assert cp.opted_in
    keyword = word.strip(" !.").upper()
    assert list(cp.consent_records.values_list("action", "source")) == [
        ("opt_in", "booking ABC123"),
        ("opt_out", "chat STOP"),
        ("opt_in", f"chat keyword {keyword}"),
    ]
    assert not Conversation.objects.exists()  # nothing for an agent to answer

    assert delay("delay-2") == 1
    assert texts_to(ANNA)[-1].startswith(
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd."
    )


AGAIN = {
    ("nl", "formal"): "Beste Anna de Vries, u bent aangemeld: vanaf nu ontvangt u onze berichten "
    "via dit kanaal. Stuur STOP als u ze niet meer wilt ontvangen.",
    ("nl", "informal"): "Hoi Anna, je bent aangemeld: vanaf nu krijg je onze berichten via dit "
    "kanaal. Stuur STOP als je ze niet meer wilt.",
    ("en", "formal"): "Dear Anna de Vries, you are signed up: from now on you will receive our "
    "messages on this channel. Reply STOP if you no longer want them.",
    ("en", "informal"): "Hi Anna, you're signed up: from now on you'll get our messages on this "
    "channel. Reply STOP if you don't want them any more.",
}
ALREADY = {
    ("nl", "formal"): "Beste Anna de Vries, u bent al aangemeld en ontvangt onze berichten via "
    "dit kanaal. Stuur STOP als u ze niet meer wilt ontvangen.",
    ("nl", "informal"): "Hoi Anna, je bent al aangemeld en krijgt onze berichten via dit kanaal. "
    "Stuur STOP als je ze niet meer wilt.",
    ("en", "formal"): "Dear Anna de Vries, you are already signed up and receive our messages on "
    "this channel. Reply STOP if you no longer want them.",
    ("en", "informal"): "Hi Anna, you're already signed up and get our messages on this channel. "
    "Reply STOP if you don't want them any more.",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language,formality", list(AGAIN))
def test_start_confirms_in_the_persons_language_and_form_of_address(
    make_booking, language, formality
):
    make_booking(passengers=[("P1", "Anna", "de Vries", language, formality, ANNA)])
    receive("STOP")
    forget_sent()

    receive("Start")

    assert texts_to(ANNA) == [AGAIN[language, formality]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language,formality", list(ALREADY))
def test_start_when_already_signed_up_says_so_and_records_nothing(
    make_booking, language, formality
):
    make_booking(passengers=[("P1", "Anna", "de Vries", language, formality, ANNA)])
    forget_sent()

    receive("AANMELDEN")

    assert texts_to(ANNA) == [ALREADY[language, formality]]
    cp = ContactPoint.objects.get(address=ANNA)
    assert list(cp.consent_records.values_list("action", flat=True)) == ["opt_in"]
    assert delay("delay-1") == 1


@pytest.mark.django_db(transaction=True)
def test_start_does_not_rejoin_the_groups_stop_left(make_booking):
    make_booking()
    receive(Passenger.objects.get().follow_code, address=OMA)  # Oma follows Anna
    receive("STOP", address=OMA)
    forget_sent()

    receive("START", address=OMA)

    [confirmation] = texts_to(OMA)
    assert "signed up" in confirmation or "aangemeld" in confirmation
    assert ContactPoint.objects.get(address=OMA).opted_in
    assert GroupMembership.objects.get().left_reason == "stop"
    assert delay("delay-1") == 1  # Anna only
    assert texts_to(OMA) == [confirmation]


@pytest.mark.django_db(transaction=True)
def test_start_in_the_middle_of_a_conversation_shows_there():
    receive("Where is my bag?", address=OMA)
    receive("STOP", address=OMA)

    receive("START", address=OMA)

    conversation = Conversation.objects.get()
    last = conversation.messages.order_by("pk").last()
    assert last.automated and last.delivery.kind == "opt_in_again_confirmation"
    assert conversation.messages.filter(direction="in").last().text == "START"
