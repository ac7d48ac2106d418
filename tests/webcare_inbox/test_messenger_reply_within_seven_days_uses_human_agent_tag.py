from datetime import timedelta

import pytest
from django.utils import timezone

from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_reply_two_days_later_goes_with_the_human_agent_tag(agent_client):
    receive(
        "My suitcase is missing",
        channel="messenger",
        address="1618033988",
        sent_at=timezone.now() - timedelta(days=2),
    )
    conversation = Conversation.objects.get()

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "a reply goes out with Messenger&#x27;s HUMAN_AGENT tag until" in page

    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/reply/", {"text": "We found it; it arrives tomorrow."}
    )

    assert response.status_code == 302
    sent = SandboxMessage.objects.get()
    assert (sent.to, sent.messaging_type, sent.tag) == ("1618033988", "MESSAGE_TAG", "HUMAN_AGENT")
    assert sent.text == "We found it; it arrives tomorrow."
    assert (
        ">HUMAN_AGENT</span>" in agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_whatsapp_has_no_human_agent_week(agent_client):
    receive("My suitcase is missing", sent_at=timezone.now() - timedelta(days=2))
    conversation = Conversation.objects.get()

    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/reply/", {"text": "We found it."}, follow=True
    )

    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    assert "only an approved template can be sent" in response.content.decode()
    assert not SandboxMessage.objects.exists()
