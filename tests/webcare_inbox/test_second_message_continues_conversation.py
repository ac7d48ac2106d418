import pytest

from tests.webcare_inbox.conftest import inbound_messages, receive
from webcare_inbox.models import Conversation
from webcare_inbox.services import conversation_resolve


@pytest.mark.django_db(transaction=True)
def test_second_message_joins_the_open_conversation():
    receive("Hello")
    receive("Are you there?")

    conversation = Conversation.objects.get()
    assert [m.text for m in inbound_messages(conversation)] == ["Hello", "Are you there?"]
    assert (
        conversation.messages.filter(direction="out").count() == 1
    )  # told once that a colleague answers
    assert conversation.last_message_preview == "Are you there?"
    assert conversation.unread == 2


@pytest.mark.django_db(transaction=True)
def test_after_resolving_the_next_message_starts_a_new_conversation():
    receive("Hello")
    conversation_resolve(conversation=Conversation.objects.get())

    receive("One more question")

    first, second = Conversation.objects.order_by("pk")
    # The first ends with our satisfaction question; the new message did not land there.
    assert first.status == "resolved" and [m.direction for m in first.messages.all()] == [
        "in",
        "out",
        "out",
    ]
    assert first.messages.first().text == "Hello" and "1 to 5" in first.messages.last().text
    assert second.status == "open" and [m.text for m in inbound_messages(second)] == [
        "One more question"
    ]


@pytest.mark.django_db(transaction=True)
def test_same_person_on_another_channel_has_a_separate_conversation():
    receive("Hello on WhatsApp")
    receive("Hello on Messenger", channel="messenger", address="2718281828459045")

    assert sorted(Conversation.objects.values_list("channel", flat=True)) == [
        "messenger",
        "whatsapp",
    ]
