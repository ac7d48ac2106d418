"""A booking whose trips have all left is stored as usual but nobody is sent a confirmation."""

from datetime import timedelta

import pytest

from notifications.models import Delivery
from sandbox.models import SandboxMessage
from tests.api.helpers import booking_body
from tests.clock import DEPARTURE, LONDON, iso, trip


def body_on(*days: int) -> dict:
    """Anna's booking with one KL flight per day offset (1 = tomorrow, -1 = yesterday)."""
    body = booking_body()
    template = body["segments"][0]
    body["segments"] = [
        {
            **template,
            "trip": trip(f"KL{1000 + i}", offset=day),
            "scheduled_departure": iso(9, 0, offset=day),
            "scheduled_arrival": iso(9, 20, offset=day, tz=LONDON),
        }
        for i, day in enumerate(days)
    ]
    return body


@pytest.mark.django_db(transaction=True)
def test_a_booking_of_yesterday_is_stored_without_confirmation(api):
    response = api.put_booking("OLD001", body_on(-1))

    assert response.status_code == 201
    answer = response.json()
    assert answer["segments"][0]["trip"] == trip("KL1000", offset=-1)
    assert answer["passengers"][0]["follow_code"].startswith("TF")
    assert api.get("/bookings/OLD001").json() == answer
    assert not SandboxMessage.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_booking_with_a_trip_still_to_come_is_confirmed(api):
    assert api.put_booking("RET001", body_on(-2, 3)).status_code == 201

    [message] = SandboxMessage.objects.all()
    assert message.text.startswith(
        "Beste Anna de Vries, uw boeking RET001 is bevestigd: KL1000 van Amsterdam"
    )


@pytest.mark.django_db(transaction=True)
def test_a_trip_that_left_an_hour_ago_counts_as_past(api, clock):
    clock.move_to(DEPARTURE + timedelta(hours=1))

    assert api.put_booking("GONE01", body_on(1)).status_code == 201

    assert not SandboxMessage.objects.exists()
