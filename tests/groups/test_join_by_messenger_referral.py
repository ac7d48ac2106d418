import pytest

from core.models import InboundMessage
from tests.groups.conftest import ANNA, booking, forget_sent, received
from update_groups.models import GroupMembership
from webcare_inbox.models import Conversation

TRUUS = "7130088127765001"


@pytest.mark.django_db(transaction=True)
def test_link_opening_a_new_thread_joins_once_and_get_started_is_no_question(phones, anna):
    forget_sent()

    phones.open_link(TRUUS, anna["code"], new_thread=True)

    assert set(
        InboundMessage.objects.filter(from_address=TRUUS).values_list("kind", flat=True)
    ) == {"postback", "referral"}
    [confirmation] = received(TRUUS)
    assert confirmation.startswith(
        "U volgt nu de reis van Anna: vlucht KL1001 van Amsterdam naar Londen"
    )
    assert GroupMembership.objects.get().join_source == "messenger_link"
    assert len(received(ANNA)) == 1
    assert not Conversation.objects.exists()  # the Get Started tap is part of the join


@pytest.mark.django_db(transaction=True)
def test_link_into_an_existing_thread_joins(phones, api):
    body = booking([("P1", "Bob", "Smith", "en", "whatsapp", "+447911123456")])
    code = api.put_booking("GRP002", body).json()["passengers"][0]["follow_code"]
    forget_sent()

    phones.open_link(TRUUS, code)

    [confirmation] = received(TRUUS)
    # No words to go by: the traveller's language.
    assert confirmation.startswith(
        "You now follow Bob's trip: flight KL1001 from Amsterdam to London on "
    )
    assert received("+447911123456")[0].startswith("Hi Bob, someone follows your trip now")
