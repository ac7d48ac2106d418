"""The context panel shows the trip as it stands: actual times once known, no stale reason."""

import hashlib

import pytest

from core.models import Trip
from notifications.services import trip_event_publish
from tests import clock
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


def publish(type: str, key: str, **payload):
    trip_event_publish(
        trip=Trip.objects.get(),
        type=type,
        data=payload,
        payload=payload,
        idempotency_key=key,
        request_hash=hashlib.sha256(repr(sorted(payload.items())).encode()).hexdigest(),
    )


def panel(agent_client) -> str:
    """The context panel beside the thread (the thread itself shows the messages as they were
    sent)."""
    conversation = Conversation.objects.get()
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    return page.split('<aside class="pane pane-context"', 1)[1].split("</aside>", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_panel_shows_the_departure_and_arrival_as_they_happened(make_booking, agent_client):
    make_booking("ABC123")
    publish("gate_changed", "g", gate="D7", terminal="2")
    publish(
        "delayed", "d", estimated_departure=clock.iso(10, 15), reason="late arrival of the aircraft"
    )
    receive("Waar is de vlucht nu?")
    assert "late arrival of the aircraft" in panel(agent_client)

    publish("departed", "dep", actual_departure=clock.iso(10, 25))
    page = panel(agent_client)

    assert f"departed {clock.DEPARTURE:%-d %b} 10:25 (was 09:00) · gate D7 · terminal 2" in page
    assert "arrives 10:45 (was 09:20)" in page and ">Departed<" in page
    assert "late arrival of the aircraft" not in page  # the reason for a delay that is over

    publish("arrived", "arr", actual_arrival=clock.iso(10, 40, tz=clock.LONDON), baggage_belt="5")
    page = panel(agent_client)

    assert "landed 10:40 (was 09:20) · belt 5" in page and ">Arrived<" in page
