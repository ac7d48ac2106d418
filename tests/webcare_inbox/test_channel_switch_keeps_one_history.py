"""An agent continues with the same person on another channel they have consent for (outside its
window with a template); the person can ask for it too; one history, each message's channel."""

import pytest

from core.models import ContactPoint
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)
PHONE, PSID = "+31612345678", "PSID-ANNA"


def _anna_on_messenger_too(make_booking, *, opted_in: bool = True) -> ContactPoint:
    booking = make_booking("ABC123")
    customer = booking.passengers.get().customer
    return ContactPoint.objects.create(
        customer=customer, channel="messenger", address=PSID, opted_in=opted_in
    )


def test_agent_moves_messenger_to_whatsapp_with_a_template(make_booking, agent_client):
    _anna_on_messenger_too(make_booking)
    receive("Waar blijft mijn terugbetaling?", channel="messenger", address=PSID)
    conversation = Conversation.objects.get()
    whatsapp = ContactPoint.objects.get(address=PHONE)

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert f'<option value="{whatsapp.pk}">WhatsApp · {PHONE} (templates only)</option>' in page

    agent_client.post(f"/inbox/c/{conversation.pk}/channel/", {"contact_point": whatsapp.pk})
    conversation.refresh_from_db()
    assert (conversation.channel, conversation.contact_point) == ("whatsapp", whatsapp)
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert 'badge-channel channel-messenger">Messenger<' in page  # her first message
    assert 'id="reply-text"' not in page  # WhatsApp's window is closed: templates only

    follow_up = next(t for t in conversation_templates(agent_client, conversation) if t)
    agent_client.post(f"/inbox/c/{conversation.pk}/template/", {"template": follow_up})
    sent = SandboxMessage.objects.filter(to=PHONE).order_by("-id").first()
    assert sent.template_sid.startswith("HX")

    # Her answer on WhatsApp continues the same conversation.
    receive("Dank u, ik wacht af", address=PHONE)
    assert Conversation.objects.count() == 1
    # And a later message on Messenger still lands in it: one history across channels.
    receive("Nog een vraag via Messenger", channel="messenger", address=PSID)
    assert Conversation.objects.count() == 1
    channels = list(conversation.messages.filter(direction="in").values_list("channel", flat=True))
    assert channels == ["messenger", "whatsapp", "messenger"]


def conversation_templates(client, conversation):
    from notifications.models import MessageTemplate

    return list(
        MessageTemplate.objects.filter(
            channel="whatsapp", kind="agent_follow_up", language="nl", formality="formal"
        ).values_list("pk", flat=True)
    )


def test_the_person_asks_to_be_answered_on_whatsapp(make_booking):
    _anna_on_messenger_too(make_booking)
    receive("Mijn koffer is kwijt", channel="messenger", address=PSID)
    receive("Kunnen jullie me liever via WhatsApp antwoorden?", channel="messenger", address=PSID)
    conversation = Conversation.objects.get()
    assert conversation.channel == "whatsapp"
    told = SandboxMessage.objects.filter(to=PSID).order_by("-id").first().text
    assert "we antwoorden u vanaf nu via WhatsApp" in told
    assert conversation.audit_entries.filter(action="channel_switched").get().detail == (
        "Messenger → WhatsApp"
    )


def test_no_consent_no_switch(make_booking, agent_client):
    messenger = _anna_on_messenger_too(make_booking, opted_in=False)
    receive("Hallo", address=PHONE)
    conversation = Conversation.objects.get()
    assert "channel-switch" not in agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/channel/", {"contact_point": messenger.pk}, follow=True
    )
    assert "Messenger: no consent to write to this person there." in response.content.decode()
    assert Conversation.objects.get().channel == "whatsapp"
