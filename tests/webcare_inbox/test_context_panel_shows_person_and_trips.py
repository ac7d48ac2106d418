import hashlib

import pytest

from core.models import Trip
from notifications.services import trip_event_publish
from tests import clock
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_panel_shows_consent_booking_live_status_and_notifications(make_booking, agent_client):
    make_booking("ABC123")
    payload = {"estimated_departure": clock.iso(10, 15), "reason": "late arrival of the aircraft"}
    trip_event_publish(
        trip=Trip.objects.get(),
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key="d1",
        request_hash=hashlib.sha256(repr(payload).encode()).hexdigest(),
    )
    receive("Hoe laat vertrekken we nu?")
    conversation = Conversation.objects.get()

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    assert "Nederlands" in page and "formal (u, surname)" in page
    assert "opted in" in page and "booking ABC123" in page
    assert clock.TRIP in page and "AMS → LHR" in page
    assert f"departs {clock.spoken_day('en')} 10:15 (was 09:00)" in page and ">Delayed<" in page
    assert "arrives 10:35 (was 09:20)" in page  # the delay moves the expected arrival too
    assert "late arrival of the aircraft" in page
    assert "booking confirmation" in page and ">delayed<" in page
