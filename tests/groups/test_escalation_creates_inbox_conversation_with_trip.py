import pytest

from tests.groups.conftest import received
from webcare_inbox.models import Conversation

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ik wil graag een medewerker spreken", "asked for a person"),
        ("Kan Anna haar kat meenemen in de cabine", "not understood by the automated replies"),
    ],
)
def test_member_who_needs_a_person_lands_in_the_inbox_with_the_followed_trip(
    phones, anna, text, reason
):
    phones.whatsapp(JOOST, anna["code"], profile="Joost")
    sent_before = len(received(JOOST))

    phones.whatsapp(JOOST, text)

    conversation = Conversation.objects.get()
    assert conversation.trip.key == anna["trip"]
    assert (conversation.handled_by, conversation.handover_reason) == ("human", reason)
    assert conversation.messages.get(direction="in").text == text
    assert conversation.customer.group_memberships.get().group.owner.given_name == "Anna"
    # No automated answer to the question, only word that a colleague will answer.
    told = received(JOOST)[sent_before:]
    assert len(told) == 1 and "klantenservice" in told[0] and "een collega" in told[0].lower()
