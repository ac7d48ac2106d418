import re

import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock


def form_key(page: str, type_: str) -> str:
    return re.search(rf'name="{type_}-idempotency_key" value="([0-9a-f]+)"', page).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_delay_reaches_anna_and_bram(agent_client):
    trip = Trip.objects.get(service="KL1001")
    page = agent_client.get("/sandbox/operator/").content.decode()
    assert "KL1001" in page and "Scheduled" in page
    SandboxMessage.objects.all().delete()  # the booking confirmations

    response = agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/delayed/",
        {
            "delayed-idempotency_key": form_key(page, "delayed"),
            "delayed-estimated_departure": clock.naive(19, 5),
            "delayed-reason": "late arrival of the aircraft",
        },
        follow=True,
    )

    texts = dict(SandboxMessage.objects.values_list("to", "text"))
    # Anna's family group (Joost, Oma Truus, Emma) hears it too, each naming whose flight it is.
    assert set(texts) == {
        "+31612345678",
        "+31687654321",
        "demo-psid-sophie",
        "+31611111111",
        "demo-psid-truus",
        "demo-psid-emma",
    }
    assert texts["demo-psid-emma"].startswith(
        "Anna's flight KL1001 to London is delayed. New departure time: 19:05"
    )
    assert texts["+31612345678"].startswith(
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: 19:05"
    )
    assert "Reden: late arrival of the aircraft." in texts["+31612345678"]
    assert texts["+31687654321"].startswith(
        "Hi Bram, your flight KL1001 to London is delayed. New departure time: 19:05"
    )
    shown = response.content.decode()
    assert "Delayed for KL1001/" in shown and "sent to 6 people" in shown
    trip.refresh_from_db()
    assert trip.status == "delayed" and trip.estimated_departure == clock.local(19, 5)
    # The event with its delivery counts: all six delivered by the sandbox provider.
    assert re.search(
        r"<td>Delayed</td>\s*<td>6</td>\s*<td>0</td><td>0</td><td>6</td><td>0</td>", shown
    )


@pytest.mark.django_db(transaction=True)
def test_sending_the_same_form_twice_sends_once(agent_client):
    trip = Trip.objects.get(service="KL1001")
    key = form_key(agent_client.get("/sandbox/operator/").content.decode(), "gate_changed")
    SandboxMessage.objects.all().delete()

    for _ in range(2):
        response = agent_client.post(
            f"/sandbox/operator/trips/{trip.pk}/events/gate_changed/",
            {"gate_changed-idempotency_key": key, "gate_changed-gate": "D7"},
            follow=True,
        )

    assert TripEvent.objects.count() == 1
    assert SandboxMessage.objects.count() == 3
    assert "was already sent to 3 people" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_delay_without_a_new_time_is_refused(agent_client):
    trip = Trip.objects.get(service="KL1001")
    page = agent_client.get("/sandbox/operator/").content.decode()

    response = agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/delayed/",
        {"delayed-idempotency_key": form_key(page, "delayed"), "delayed-estimated_departure": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not TripEvent.objects.exists()
