from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation, Message
from webcare_inbox.services import ReplyRefused, conversation_reply


@pytest.mark.django_db(transaction=True)
def test_whatsapp_reply_after_24_hours_is_refused_and_nothing_is_sent(agent_client, agent):
    wrote = timezone.now() - timedelta(hours=25)
    receive("Hello?", sent_at=wrote)
    conversation = Conversation.objects.get()

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "The 24-hour window closed at" in page
    assert (
        'id="reply-text"' not in page and "has not opted in to messages from us" in page
    )  # no free text (and no consent for a template)…

    # …and a reply posted anyway is refused by the server, with the reason shown on the thread.
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/reply/", {"text": "Sorry for the wait!"}, follow=True
    )

    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    body = response.content.decode()
    closed = timezone.localtime(wrote + timedelta(hours=24)).strftime("%-d %b %H:%M")
    assert f"The 24-hour window closed at {closed}; only an approved template can be sent." in body
    assert 'role="alert"' in body
    assert not SandboxMessage.objects.exists()
    assert not Delivery.objects.exists()
    assert not Message.objects.filter(direction="out").exists()


@pytest.mark.django_db(transaction=True)
def test_messenger_reply_after_seven_days_is_refused():
    receive(
        "Hello?",
        channel="messenger",
        address="31415926",
        sent_at=timezone.now() - timedelta(days=8),
    )

    with pytest.raises(ReplyRefused, match="only an approved template can be sent"):
        conversation_reply(conversation=Conversation.objects.get(), agent=None, text="Still there?")

    assert not SandboxMessage.objects.exists()
