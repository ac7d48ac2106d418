"""Event times that cannot be true are refused with 400 naming the field; nothing is sent."""

import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body, fields

LONDON = clock.LONDON  # KL1001 tomorrow: 09:00 Amsterdam → 09:20 London (10:20 Amsterdam)

CASES = {
    "delay to 61 minutes before the schedule": (
        {"type": "delayed", "estimated_departure": clock.iso(7, 59)},
        {"estimated_departure"},
    ),
    "departed hours before the schedule": (
        {"type": "departed", "actual_departure": clock.iso(6, 0)},
        {"actual_departure"},
    ),
    "expected arrival before the new departure": (
        {
            "type": "delayed",
            "estimated_departure": clock.iso(10, 0),
            "estimated_arrival": clock.iso(8, 50, tz=LONDON),
        },
        {"estimated_arrival"},
    ),
    "expected arrival before it took off": (
        {
            "type": "departed",
            "actual_departure": clock.iso(9, 10),
            "estimated_arrival": clock.iso(8, 5, tz=LONDON),
        },
        {"estimated_arrival"},
    ),
    "landed before the scheduled departure": (
        {"type": "arrived", "actual_arrival": clock.iso(7, 30, tz=LONDON)},
        {"actual_arrival"},
    ),
    "delay to four days later": (
        {"type": "delayed", "estimated_departure": clock.iso(9, 0, offset=5)},
        {"estimated_departure"},
    ),
    "landed a week later": (
        {"type": "arrived", "actual_arrival": clock.iso(9, 20, offset=8, tz=LONDON)},
        {"actual_arrival"},
    ),
    "every problem at once": (
        {
            "type": "delayed",
            "estimated_departure": clock.iso(6, 0),
            "estimated_arrival": clock.iso(5, 0, tz=LONDON),
        },
        {"estimated_departure", "estimated_arrival"},
    ),
}


@pytest.fixture
def trip(api):
    assert api.put_booking("ABC123", booking_body()).status_code == 201
    SandboxMessage.objects.all().delete()
    return Trip.objects.get()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("body, named", CASES.values(), ids=CASES.keys())
def test_implausible_time_is_refused_naming_the_field(api, trip, body, named):
    response = api.post_event(body, trip=clock.TRIP)

    assert response.status_code == 400
    assert fields(response) == named
    assert not TripEvent.objects.exists() and not SandboxMessage.objects.exists()
    trip.refresh_from_db()
    assert (trip.status, trip.estimated_departure, trip.actual_departure, trip.actual_arrival) == (
        "scheduled",
        None,
        None,
        None,
    )


@pytest.mark.django_db
def test_the_message_says_what_would_be_plausible(api, trip):
    response = api.post_event(
        {"type": "delayed", "estimated_departure": clock.iso(7, 0)}, trip=clock.TRIP
    )

    assert response.json() == {
        "errors": [
            {
                "field": "estimated_departure",
                ("message"): (
                    "must not be more than 60 minutes before "
                    f"the scheduled departure ({clock.iso(9, 0)})"
                ),
            }
        ]
    }


@pytest.mark.django_db
def test_landing_before_the_recorded_take_off_is_refused(api, trip):
    assert (
        api.post_event(
            {"type": "departed", "actual_departure": clock.iso(9, 30)}, key="dep", trip=clock.TRIP
        ).status_code
        == 202
    )

    response = api.post_event(
        {"type": "arrived", "actual_arrival": clock.iso(8, 25, tz=LONDON)},
        key="arr",
        trip=clock.TRIP,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "actual_arrival", "message": f"must be after the departure ({clock.iso(9, 30)})"}
    ]


@pytest.mark.django_db
def test_a_departure_up_to_the_margin_early_is_accepted(api, trip):
    response = api.post_event(
        {"type": "departed", "actual_departure": clock.iso(8, 0)}, trip=clock.TRIP
    )

    assert response.status_code == 202


@pytest.mark.django_db
def test_the_margin_is_a_setting(api, trip, settings):
    settings.TRIP_EARLIEST_DEPARTURE_MARGIN_MINUTES = 10

    response = api.post_event(
        {"type": "departed", "actual_departure": clock.iso(8, 45)}, trip=clock.TRIP
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        "must not be more than 10 minutes before"
    )
    assert (
        api.post_event(
            {"type": "departed", "actual_departure": clock.iso(8, 50)}, key="k2", trip=clock.TRIP
        ).status_code
        == 202
    )
