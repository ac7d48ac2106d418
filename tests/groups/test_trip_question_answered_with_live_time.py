import pytest

from tests.groups.conftest import forget_sent, received
from webcare_inbox.models import Conversation

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_member_asking_when_she_lands_gets_the_live_time_marked_automated(phones, api, anna):
    phones.whatsapp(JOOST, anna["code"])
    api.post_event({"type": "departed", "actual_departure": "2030-01-01T09:12:00+01:00",
                    "estimated_arrival": "2030-01-01T09:41:00+00:00"}, trip=anna["trip"])
    forget_sent()

    phones.whatsapp(JOOST, "hoe lat landt ze?")

    [answer] = received(JOOST)
    assert answer.startswith("Automatisch antwoord: Anna: KL1001 naar Londen is om 09:12 vertrokken")
    assert "verwachte aankomst 09:41 lokale tijd" in answer
    assert answer.endswith("Stuur 'medewerker'.")
    conversation = Conversation.objects.get()
    assert conversation.handled_by == "bot" and conversation.trip.key == anna["trip"]
    assert [(m.direction, m.automated) for m in conversation.messages.all()] == [("in", False), ("out", True)]


@pytest.mark.django_db(transaction=True)
def test_traveller_asking_in_english_with_a_typo_gets_the_gate(phones, api, anna):
    api.post_event({"type": "gate_changed", "gate": "D7"}, trip=anna["trip"])
    forget_sent()

    phones.whatsapp("+31612345678", "is the flight delayd?")

    [answer] = received("+31612345678")
    assert answer.startswith("Automatisch antwoord: KL1001 naar Londen vertrekt volgens plan om ")
    assert "Gate D7." in answer
