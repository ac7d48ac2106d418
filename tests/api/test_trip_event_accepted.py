import uuid

import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body

DELAY = {
    "type": "delayed",
    "estimated_departure": clock.iso(10, 15),
    "reason": "late arrival of the aircraft",
}


def family_booking(api):
    body = booking_body()
    body["passengers"] += [
        {
            "id": "P2",
            "given_name": "Bram",
            "family_name": "de Vries",
            "language": "en",
            "formality": "informal",
            "contacts": [{"channel": "whatsapp", "address": "+31687654321", "opt_in": True}],
        },
        {
            "id": "P3",
            "given_name": "Cor",
            "family_name": "de Vries",
            "contacts": [{"channel": "whatsapp", "address": "+31611111111", "opt_in": False}],
        },
    ]
    body["segments"][0]["passengers"] = ["P1", "P2", "P3"]
    assert api.put_booking("ABC123", body).status_code == 201
    SandboxMessage.objects.all().delete()  # the booking confirmations


@pytest.mark.django_db(transaction=True)
def test_delay_is_accepted_and_told_to_each_opted_in_passenger(api):
    family_booking(api)

    response = api.post_event(DELAY)

    assert response.status_code == 202
    answer = response.json()
    assert set(answer) == {"id", "recipients"} and answer["recipients"] == 2
    uuid.UUID(answer["id"])
    texts = {m.to: m.text for m in SandboxMessage.objects.all()}
    assert set(texts) == {"+31612345678", "+31687654321"}
    assert "Nieuwe vertrektijd: 10:15 (was 09:00)" in texts["+31612345678"]
    assert "late arrival of the aircraft" in texts["+31687654321"]


@pytest.mark.django_db(transaction=True)
def test_event_updates_the_live_status_shown_with_the_booking(api):
    family_booking(api)

    assert (
        api.post_event({"type": "gate_changed", "gate": "D7", "terminal": "2"}, key="g").status_code
        == 202
    )
    assert api.post_event(DELAY, key="d").status_code == 202

    live = api.get("/bookings/ABC123").json()["segments"][0]["live"]
    assert live["status"] == "delayed"
    assert live["estimated_departure"] == clock.iso(10, 15)
    assert (live["gate"], live["terminal"], live["reason"]) == (
        "D7",
        "2",
        "late arrival of the aircraft",
    )


@pytest.mark.django_db
def test_event_is_stored_with_its_payload_as_sent(api):
    family_booking(api)

    response = api.post_event(
        {"type": "cancelled", "rebooking_url": "https://example.com/rebook?b=ABC123"}
    )

    assert response.status_code == 202
    event = TripEvent.objects.get(pk=response.json()["id"])
    assert event.type == "cancelled" and event.trip == Trip.objects.get()
    assert event.payload == {"rebooking_url": "https://example.com/rebook?b=ABC123"}
    assert event.idempotency_key == "evt-1"


@pytest.mark.django_db
def test_trip_without_opted_in_travellers_has_no_recipients(api):
    body = booking_body()
    body["passengers"][0]["contacts"] = []
    api.put_booking("ABC123", body)

    response = api.post_event({"type": "boarding"})

    assert response.status_code == 202 and response.json()["recipients"] == 0
