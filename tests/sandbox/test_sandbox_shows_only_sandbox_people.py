"""SANDBOX_ENABLED=1 next to a real WhatsApp channel:
the sandbox sees only Messenger (sandbox) people.

The demo is seeded on the sandbox, then WhatsApp is switched to Twilio: Anna, Bram and Joost are
now a real channel's people and must never appear in, or be acted on from, the sandbox pages.
"""

import re

import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock

REAL_NUMBERS = ["+31612345678", "+31687654321", "+31611111111"]


@pytest.fixture
def real_whatsapp(settings, seeded):
    settings.MESSAGING_ADAPTERS = {
        **settings.MESSAGING_ADAPTERS,
        "whatsapp": "channels_whatsapp.adapter.TwilioAdapter",
    }


def form_key(page: str, type_: str) -> str:
    return re.search(rf'name="{type_}-idempotency_key" value="([0-9a-f]+)"', page).group(1)


@pytest.mark.django_db
def test_the_phone_lists_only_sandbox_addresses(agent_client, real_whatsapp, person):
    page = agent_client.get("/sandbox/phone/", follow=True).content.decode()

    for address in ("demo-psid-sophie", "demo-psid-truus", "demo-psid-emma"):
        assert address in page
    for number in REAL_NUMBERS:
        assert number not in page
    # Anna's follow code would let anyone join her (real) family group: it is not offered either.
    anna_code = person("+31612345678").customer.passengers.get().follow_code
    assert anna_code not in page
    assert person("demo-psid-sophie").customer.passengers.get().follow_code in page


@pytest.mark.django_db
def test_a_real_channel_person_cannot_be_opened(agent_client, real_whatsapp, person):
    anna = person("+31612345678")

    assert agent_client.get(f"/sandbox/phone/{anna.pk}/").status_code == 404
    assert agent_client.get(f"/sandbox/phone/{anna.pk}/chat/?seen=1").status_code == 404


@pytest.mark.django_db
def test_posting_as_a_real_channel_person_is_refused(agent_client, real_whatsapp, person, typed):
    anna = person("+31612345678")

    response = agent_client.post(f"/sandbox/phone/{anna.pk}/send/", {"text": "STOP"})

    assert response.status_code == 404
    assert not typed().exists()
    anna.refresh_from_db()
    assert anna.opted_in


@pytest.mark.django_db
def test_typing_as_a_sandbox_person_still_works(agent_client, real_whatsapp, person, typed):
    sophie = person("demo-psid-sophie")

    response = agent_client.post(
        f"/sandbox/phone/{sophie.pk}/send/", {"text": "Hoe laat boarden we?"}
    )

    assert response.status_code == 302
    assert typed().get().text == "Hoe laat boarden we?"


@pytest.mark.django_db
def test_the_operator_cannot_fire_events_on_a_trip_with_real_channel_people(
    agent_client, real_whatsapp
):
    shared = Trip.objects.get(service="KL1001")  # Anna and Bram (WhatsApp) fly on it

    page = agent_client.get("/sandbox/operator/").content.decode()
    direct = agent_client.get(f"/sandbox/operator/?trip={shared.pk}").content.decode()
    activity = agent_client.get(f"/sandbox/operator/trips/{shared.pk}/activity/")
    fired = agent_client.post(
        f"/sandbox/operator/trips/{shared.pk}/events/boarding/", {"boarding-idempotency_key": "k1"}
    )

    assert shared.key not in page and shared.key not in direct
    assert activity.status_code == 404 and fired.status_code == 404
    assert not TripEvent.objects.exists()
    for number in REAL_NUMBERS:
        assert number not in page


@pytest.mark.django_db
def test_a_trip_whose_relatives_are_real_is_refused_too(
    agent_client, real_whatsapp, make_booking, person
):
    """Emma (Messenger) travels alone, but Joost follows her on (real) WhatsApp."""
    from update_groups.models import GroupMembership
    from update_groups.services import group_join

    booking = make_booking(
        "EMMA01",
        [("P1", "Emma", "Clarke", "en", "informal", "demo-psid-emma")],
        trip=clock.trip("KL1002", offset=2),
        channel="messenger",
    )
    joost = person("+31611111111")
    group_join(
        contact_point=joost,
        code=booking.passengers.get().follow_code,
        source=GroupMembership.Source.WHATSAPP_CODE,
        language="nl",
    )
    trip = Trip.objects.get(service="KL1002")

    fired = agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/boarding/", {"boarding-idempotency_key": "k2"}
    )

    assert fired.status_code == 404
    assert not TripEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_trip_with_only_sandbox_people_can_be_fired(agent_client, real_whatsapp, make_booking):
    make_booking(
        "MSG001",
        [("P1", "Lotte", "Bakker", "nl", "informal", "demo-psid-lotte")],
        trip=clock.trip("KL1002", offset=2),
        channel="messenger",
    )
    trip = Trip.objects.get(service="KL1002")
    SandboxMessage.objects.all().delete()

    page = agent_client.get(f"/sandbox/operator/?trip={trip.pk}").content.decode()
    fired = agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/boarding/",
        {"boarding-idempotency_key": form_key(page, "boarding")},
    )

    assert trip.key in page and "KL1001/" not in page
    assert fired.status_code == 302
    assert list(SandboxMessage.objects.values_list("to", flat=True)) == ["demo-psid-lotte"]
