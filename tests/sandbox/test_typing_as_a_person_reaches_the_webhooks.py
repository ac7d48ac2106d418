import pytest

from core.models import InboundMessage
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_typing_as_anna_arrives_as_a_twilio_whatsapp_message(agent_client, person, typed):
    anna = person("+31612345678")

    response = agent_client.post(
        f"/sandbox/phone/{anna.pk}/send/", {"text": "Is mijn vlucht op tijd?"}
    )

    assert response.status_code == 302
    inbound = typed().get()
    assert (inbound.channel, inbound.from_address, inbound.text) == (
        "whatsapp",
        "+31612345678",
        "Is mijn vlucht op tijd?",
    )
    assert inbound.provider_message_id.startswith("SM") and len(inbound.provider_message_id) == 34
    assert inbound.raw["From"] == "whatsapp:+31612345678"
    assert inbound.raw["To"] == "whatsapp:+31850000000"
    assert inbound.raw["WaId"] == "31612345678" and inbound.raw["NumMedia"] == "0"
    assert (
        "Is mijn vlucht op tijd?"
        in agent_client.get(f"/sandbox/phone/{anna.pk}/chat/").content.decode()
    )
    # Handled like a real phone's message: it opened a conversation in the webcare inbox.
    assert Conversation.objects.filter(
        contact_point=anna, channel="whatsapp", messages__text="Is mijn vlucht op tijd?"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_typing_as_sophie_arrives_as_a_messenger_page_event(agent_client, person, typed):
    sophie = person("demo-psid-sophie")

    response = agent_client.post(
        f"/sandbox/phone/{sophie.pk}/send/",
        {"text": "Hoe laat moet ik er zijn?"},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 204
    inbound = typed().get()
    assert (inbound.channel, inbound.from_address, inbound.kind) == (
        "messenger",
        "demo-psid-sophie",
        "message",
    )
    assert inbound.text == "Hoe laat moet ik er zijn?" and inbound.provider_message_id.startswith(
        "m_"
    )
    assert (
        "Hoe laat moet ik er zijn?"
        in agent_client.get(f"/sandbox/phone/{sophie.pk}/").content.decode()
    )
    assert Conversation.objects.filter(
        contact_point=sophie, channel="messenger", messages__text="Hoe laat moet ik er zijn?"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_oma_truus_opens_an_m_me_link_as_a_referral(agent_client, person, typed):
    truus = person("demo-psid-truus")
    code = person("+31612345678").customer.passengers.get().follow_code

    agent_client.post(f"/sandbox/phone/{truus.pk}/link/", {"ref": code})

    inbound = typed().get(kind=InboundMessage.Kind.REFERRAL)
    assert (inbound.channel, inbound.from_address, inbound.payload) == (
        "messenger",
        "demo-psid-truus",
        code,
    )
    page = agent_client.get(f"/sandbox/phone/{truus.pk}/").content.decode()
    assert f"ref <code>{code}</code>" in page


@pytest.mark.django_db(transaction=True)
def test_a_whatsapp_person_cannot_open_an_m_me_link(agent_client, person, typed):
    joost = person("+31611111111")

    response = agent_client.post(f"/sandbox/phone/{joost.pk}/link/", {"ref": "TFABC"})

    assert response.status_code == 400 and b"Messenger" in response.content
    assert not typed().exists()


@pytest.mark.django_db(transaction=True)
def test_an_empty_message_is_refused_naming_the_field(agent_client, person, typed):
    anna = person("+31612345678")

    response = agent_client.post(f"/sandbox/phone/{anna.pk}/send/", {"text": "   "})

    assert response.status_code == 400 and b"text" in response.content
    assert not typed().exists()
