import pytest

from tests.groups.conftest import forget_sent, received, trip_time
from webcare_inbox.models import Conversation

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_member_asking_when_she_lands_gets_the_live_time_marked_automated(phones, api, anna):
    phones.whatsapp(JOOST, anna["code"])
    departed, took_off = trip_time(anna["trip"], 12)
    arriving, lands = trip_time(anna["trip"], 41, "LHR")
    api.post_event(
        {"type": "departed", "actual_departure": departed, "estimated_arrival": arriving},
        trip=anna["trip"],
    )
    forget_sent()

    phones.whatsapp(JOOST, "hoe lat landt ze?")

    answer, helped = received(JOOST)
    assert helped == "Heeft dit antwoord u geholpen?"  # insights/surveys.py
    assert answer.startswith(
        f"Automatisch antwoord: Anna: KL1001 naar Londen is om {took_off} vertrokken"
    )
    assert f"verwachte aankomst {lands} lokale tijd" in answer
    assert answer.endswith("Stuur 'medewerker'.")
    conversation = Conversation.objects.get()
    assert conversation.handled_by == "bot" and conversation.trip.key == anna["trip"]
    assert [(m.direction, m.automated) for m in conversation.messages.all()] == [
        ("in", False),
        ("out", True),
        ("out", True),  # did this help?
    ]


@pytest.mark.django_db(transaction=True)
def test_traveller_asking_in_english_with_a_typo_gets_the_gate(phones, api, anna):
    api.post_event({"type": "gate_changed", "gate": "D7"}, trip=anna["trip"])
    forget_sent()

    phones.whatsapp("+31612345678", "is the flight delayd?")

    answer, helped = received("+31612345678")
    assert helped == "Heeft dit antwoord je geholpen?"  # Anna's booking says "je"
    assert answer.startswith("Automatisch antwoord: KL1001 naar Londen vertrekt volgens plan om ")
    assert "Gate D7." in answer
