import pytest

from notifications.models import Delivery
from tests.webcare_inbox.conftest import receive, sent_by_agents
from webcare_inbox.models import Conversation, Message


@pytest.mark.django_db(transaction=True)
def test_reply_inside_the_window_reaches_the_person_on_whatsapp(agent_client, agent):
    receive("Is my flight on time?")
    conversation = Conversation.objects.get()

    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/reply/", {"text": "Yes, it leaves at 09:00."}
    )

    assert response.status_code == 302 and response["Location"] == f"/inbox/c/{conversation.pk}/"
    sent = sent_by_agents().get()
    assert (sent.channel, sent.to, sent.text, sent.template_sid) == (
        "whatsapp",
        "+31612345678",
        "Yes, it leaves at 09:00.",
        "",
    )
    reply = Message.objects.get(direction="out", automated=False)
    assert reply.author == agent and not reply.automated
    assert reply.delivery.kind == "agent_reply" and reply.delivery.status == "delivered"
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "Yes, it leaves at 09:00." in page
    assert 'class="tick tick-delivered" title="delivered">✓✓' in page


@pytest.mark.django_db(transaction=True)
def test_reply_on_messenger_inside_the_window_is_a_response(agent_client):
    receive("Hoi!", channel="messenger", address="6022140857")
    conversation = Conversation.objects.get()

    agent_client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": "Hoi, waarmee kan ik helpen?"})

    sent = sent_by_agents().get()
    assert (sent.channel, sent.to, sent.messaging_type, sent.tag) == (
        "messenger",
        "6022140857",
        "RESPONSE",
        "",
    )


@pytest.mark.django_db(transaction=True)
def test_empty_reply_is_refused_with_a_reason(agent_client):
    receive("Hello")
    conversation = Conversation.objects.get()

    response = agent_client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": "   "}, follow=True)

    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    assert "Write a reply first." in response.content.decode()
    assert not Delivery.objects.filter(kind="agent_reply").exists()


@pytest.mark.django_db(transaction=True)
def test_failed_reply_shows_the_providers_reason(agent_client):
    receive("Hello", address="+31612000063")  # the sandbox's unreachable number
    conversation = Conversation.objects.get()

    agent_client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": "Hi there"})

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert 'class="tick tick-failed" title="failed">failed' in page
    assert "63003: the address is not reachable on WhatsApp (63003)" in page
