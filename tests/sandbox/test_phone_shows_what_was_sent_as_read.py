import pytest

from notifications.models import Delivery, DeliveryStatus
from sandbox.models import SandboxMessage


@pytest.mark.django_db(transaction=True)
def test_anna_sees_her_booking_confirmation_and_it_is_read(agent_client, person):
    anna = person("+31612345678")

    page = agent_client.get(f"/sandbox/phone/{anna.pk}/").content.decode()

    assert (
        "Beste Anna de Vries, uw boeking DEMO01 is bevestigd: KL1001 van Amsterdam naar Londen"
        in page
    )
    # Outside the 24-hour window the confirmation went out as an approved template.
    confirmation = SandboxMessage.objects.filter(to=anna.address).earliest(
        "created_at"
    )  # then her family's joins
    sid = confirmation.template_sid
    assert sid.startswith("HX") and sid not in page  # the phone shows the text, labelled "template"
    assert '<span class="template"' in page and ">template</span>" in page
    assert 'class="tick read"' in page
    delivery = Delivery.objects.get(contact_point=anna, kind="booking_confirmation")
    assert delivery.status == DeliveryStatus.READ and delivery.read_at is not None
    assert not SandboxMessage.objects.filter(to=anna.address, read_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_chat_nobody_looks_at_stays_unread(agent_client, person):
    anna, bram = person("+31612345678"), person("+31687654321")

    bram_chat = agent_client.get(
        f"/sandbox/phone/{bram.pk}/chat/"
    ).content.decode()  # a hidden tab polls without ?seen=1
    agent_client.get(f"/sandbox/phone/{anna.pk}/chat/?seen=1")

    assert (
        Delivery.objects.get(contact_point=anna, kind="booking_confirmation").status
        == DeliveryStatus.READ
    )
    assert (
        Delivery.objects.get(contact_point=bram, kind="booking_confirmation").status
        == DeliveryStatus.DELIVERED
    )
    assert (
        "Hi Bram, your booking DEMO01 is confirmed" in bram_chat
        and 'class="tick delivered"' in bram_chat
    )


@pytest.mark.django_db(transaction=True)
def test_every_contact_point_can_be_picked(agent_client):
    page = agent_client.get("/sandbox/phone/", follow=True).content.decode()

    for label in (
        "Anna de Vries",
        "Bram de Vries",
        "Sophie Jansen",
        "Joost de Vries",
        "Oma Truus",
        "WhatsApp · +31612345678",
        "Messenger · demo-psid-sophie",
    ):
        assert label in page
