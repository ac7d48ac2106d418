"""A departure that moves without a new arrival moves the expected arrival by as much."""

from datetime import datetime

import pytest

from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body

ANNA = "+31612345678"  # Dutch, formal; KL1001 tomorrow 09:00 Amsterdam → 09:20 London


@pytest.fixture
def booked(api):
    assert api.put_booking("ABC123", booking_body()).status_code == 201
    SandboxMessage.objects.all().delete()  # the booking confirmation


def post(api, key: str, **body):
    response = api.post_event(body, key=key, trip=clock.TRIP)
    assert response.status_code == 202, response.content
    return SandboxMessage.objects.filter(to=ANNA).latest("created_at").text


def live(api) -> dict:
    """The live status with its times as datetimes (UTC is written with a Z)."""
    shown = api.get("/bookings/ABC123").json()["segments"][0]["live"]
    return {
        k: datetime.fromisoformat(v) if k.endswith(("departure", "arrival")) and v else v
        for k, v in shown.items()
    }


@pytest.mark.django_db(transaction=True)
def test_a_delay_of_the_departure_only_moves_the_arrival_too(api, booked):
    text = post(api, "d", type="delayed", estimated_departure=clock.iso(9, 45))

    assert text == (
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: 09:45 "
        "(was 09:00). Verwachte aankomst: 10:05 lokale tijd. Onze excuses voor het ongemak."
    )
    assert live(api)["estimated_arrival"] == clock.local(10, 5, tz=clock.LONDON)


@pytest.mark.django_db(transaction=True)
def test_departed_says_when_it_took_off_and_the_arrival_that_follows(api, booked):
    post(api, "d", type="delayed", estimated_departure=clock.iso(9, 45))

    text = post(api, "dep", type="departed", actual_departure=clock.iso(9, 52))

    assert text == (
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is om 09:52 vertrokken. "
        "Verwachte aankomst: 10:12 lokale tijd. Goede vlucht!"
    )
    assert (live(api)["actual_departure"], live(api)["estimated_arrival"]) == (
        clock.local(9, 52),
        clock.local(10, 12, tz=clock.LONDON),
    )


@pytest.mark.django_db(transaction=True)
def test_a_new_arrival_given_with_the_event_is_the_one_told(api, booked):
    text = post(
        api,
        "d",
        type="delayed",
        estimated_departure=clock.iso(9, 45),
        estimated_arrival=clock.iso(9, 55, tz=clock.LONDON),
    )
    assert "Verwachte aankomst: 09:55 lokale tijd." in text

    # Later moves keep the flight time that arrival implies (10 minutes shorter than planned).
    text = post(api, "dep", type="departed", actual_departure=clock.iso(10, 0))
    assert "om 10:00 vertrokken. Verwachte aankomst: 10:10 lokale tijd." in text

    text = post(
        api,
        "dep2",
        type="departed",
        actual_departure=clock.iso(10, 0),
        estimated_arrival=clock.iso(10, 2, tz=clock.LONDON),
    )
    assert "om 10:00 vertrokken. Verwachte aankomst: 10:02 lokale tijd." in text
    assert live(api)["estimated_arrival"] == clock.local(10, 2, tz=clock.LONDON)


@pytest.mark.django_db(transaction=True)
def test_a_relative_asking_after_a_delay_hears_the_moved_arrival(api, booked):
    from core.models import Customer, Trip
    from update_groups.wording import trip_status_line

    post(api, "d", type="delayed", estimated_departure=clock.iso(10, 40))
    trip = Trip.objects.get()

    line = trip_status_line(trip=trip, reader=Customer(language="nl"), traveller="Anna")

    assert line == (
        "Anna: KL1001 naar Londen is vertraagd: nieuwe vertrektijd 10:40 (was 09:00); "
        "verwachte aankomst 11:00 lokale tijd."
    )
