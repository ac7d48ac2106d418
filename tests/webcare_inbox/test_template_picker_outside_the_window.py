"""Outside the 24-hour window the composer offers templates, filled from the person and trip;
they go out as templates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import MessageTemplate
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_an_agent_picks_a_follow_up_template_with_the_variables_filled(agent_client, make_booking):
    make_booking()  # Anna de Vries, nl, formal, on KL1001
    receive("Mijn koffer is weg", sent_at=timezone.now() - timedelta(hours=30))
    conversation = Conversation.objects.get()
    SandboxMessage.objects.all().delete()  # the booking confirmation

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "only an approved template can be sent" in page
    assert (
        "Beste Anna de Vries, we hebben een antwoord over KL1001." in page
    )  # the preview, in her language
    template = MessageTemplate.objects.get(
        channel="whatsapp", kind="agent_follow_up", language="nl", formality="formal"
    )

    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/template/",
        {"template": template.pk, "var_name": "Anna de Vries", "var_topic": "uw koffer"},
    )
    assert response.status_code == 302
    sent = SandboxMessage.objects.get()
    assert sent.template_sid == template.content_sid
    assert sent.template_variables == {"1": "Anna de Vries", "2": "uw koffer"}
    assert conversation.messages.get(direction="out").text.startswith(
        "Beste Anna de Vries, we hebben een antwoord over uw koffer."
    )


@pytest.mark.django_db(transaction=True)
def test_a_template_of_another_channel_is_refused(agent_client):
    receive("Hi", channel="messenger", address="4242", sent_at=timezone.now() - timedelta(days=9))
    conversation = Conversation.objects.get()
    whatsapp = MessageTemplate.objects.filter(channel="whatsapp", kind="agent_follow_up").first()
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/template/", {"template": whatsapp.pk}, follow=True
    )
    assert (
        response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
        and not SandboxMessage.objects.exists()
    )
    assert 'id="action-error"' in response.content.decode()
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/template/", {"template": "x"}, follow=True
    )
    assert "Pick a template." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_messenger_within_seven_days_shows_the_human_agent_case(agent_client):
    receive("Hi", channel="messenger", address="4242", sent_at=timezone.now() - timedelta(days=2))
    page = agent_client.get(f"/inbox/c/{Conversation.objects.get().pk}/").content.decode()
    assert (
        "HUMAN_AGENT tag until" in page
        and 'id="reply-text"' in page
        and "window-human_agent" in page
    )


@pytest.mark.django_db(transaction=True)
def test_without_consent_no_template_is_offered_or_sent(agent_client):
    receive("Hello?", address="+31600000009", sent_at=timezone.now() - timedelta(hours=30))
    conversation = Conversation.objects.get()
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "has not opted in to messages from us" in page and 'id="template-picker"' not in page

    template = MessageTemplate.objects.get(
        channel="whatsapp", kind="agent_follow_up", language="en", formality="formal"
    )
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/template/", {"template": template.pk}, follow=True
    )
    assert (
        response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
        and not SandboxMessage.objects.exists()
    )
    assert 'id="action-error"' in response.content.decode()
