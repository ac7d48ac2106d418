"""Every kind of bad trip event is refused with 400, naming the field; nothing is published."""

import pytest

from core.models import Trip
from notifications.models import TripEvent
from tests import clock
from tests.api.helpers import fields

pytestmark = pytest.mark.django_db

CASES = {
    "type missing": ({"gate": "D7"}, "type"),
    "unknown type": ({"type": "exploded"}, "type"),
    "type null": ({"type": None}, "type"),
    "type a number": ({"type": 3}, "type"),
    "delay without new time": ({"type": "delayed", "reason": "weather"}, "estimated_departure"),
    "delay with naive time": (
        {"type": "delayed", "estimated_departure": clock.naive(10, 15)},
        "estimated_departure",
    ),
    "delay with a word for time": (
        {"type": "delayed", "estimated_departure": "soon"},
        "estimated_departure",
    ),
    "delay with time null": (
        {"type": "delayed", "estimated_departure": None},
        "estimated_departure",
    ),
    "delay in year 10000": (
        {"type": "delayed", "estimated_departure": "10000-01-01T00:00:00+00:00"},
        "estimated_departure",
    ),
    "delay with huge reason": (
        {"type": "delayed", "estimated_departure": clock.iso(10, 15), "reason": "x" * 301},
        "reason",
    ),
    "delay with a gate": (
        {"type": "delayed", "estimated_departure": clock.iso(10, 15), "gate": "D7"},
        "gate",
    ),
    "naive estimated arrival": (
        {
            "type": "delayed",
            "estimated_departure": clock.iso(10, 15),
            "estimated_arrival": clock.naive(10, 35),
        },
        "estimated_arrival",
    ),
    "gate change without gate": ({"type": "gate_changed", "terminal": "2"}, "gate"),
    "empty gate": ({"type": "gate_changed", "gate": ""}, "gate"),
    "gate a number": ({"type": "gate_changed", "gate": 7}, "gate"),
    "gate too long": ({"type": "gate_changed", "gate": "D" * 11}, "gate"),
    "gate with NUL": ({"type": "gate_changed", "gate": "D\x007"}, "gate"),
    "departure without time": ({"type": "departed"}, "actual_departure"),
    "arrival time null": ({"type": "arrived", "actual_arrival": None}, "actual_arrival"),
    "arrival with a list for belt": (
        {
            "type": "arrived",
            "actual_arrival": clock.iso(9, 25, tz=clock.LONDON),
            "baggage_belt": ["5"],
        },
        "baggage_belt",
    ),
    "check-in url not a url": (
        {"type": "check_in_open", "check_in_url": "check in at the desk"},
        "check_in_url",
    ),
    "check-in url javascript": (
        {"type": "check_in_open", "check_in_url": "javascript:alert(1)"},
        "check_in_url",
    ),
    "check-in url too long": (
        {"type": "check_in_open", "check_in_url": "https://example.com/" + "a" * 200},
        "check_in_url",
    ),
    "rebooking url without scheme": (
        {"type": "cancelled", "rebooking_url": "www.example.com/rebook"},
        "rebooking_url",
    ),
    "boarding with unknown field": ({"type": "boarding", "seat": "12A"}, "seat"),
}


@pytest.fixture
def trip(api):
    assert api.put_booking("ABC123").status_code == 201
    return Trip.objects.get()


@pytest.mark.parametrize("body, field", CASES.values(), ids=CASES.keys())
def test_bad_event_is_refused_naming_the_field(api, trip, body, field):
    response = api.post_event(body)

    assert response.status_code == 400
    assert field in fields(response)
    assert not TripEvent.objects.exists()
    trip.refresh_from_db()
    assert trip.status == "scheduled" and trip.gate == ""


def test_unknown_type_lists_the_known_ones(api, trip):
    [error] = api.post_event({"type": "exploded"}).json()["errors"]

    assert error == {
        "field": "type",
        "message": "must be one of: check_in_open, gate_changed, boarding, "
        "delayed, departed, arrived, cancelled, diverted, schedule_changed",
    }


def test_missing_idempotency_key_is_refused_naming_the_header(api, trip):
    response = api.post(f"/trips/{clock.TRIP}/events", {"type": "boarding"})

    assert response.status_code == 400 and fields(response) == {"Idempotency-Key"}
    assert not TripEvent.objects.exists()


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_idempotency_key_of_wrong_length_is_refused(api, trip, key):
    response = api.post_event({"type": "boarding"}, key=key)

    assert response.status_code == 400 and fields(response) == {"Idempotency-Key"}


def test_idempotency_key_of_255_characters_is_accepted(api, trip):
    assert api.post_event({"type": "boarding"}, key="k" * 255).status_code == 202


@pytest.mark.parametrize(
    "trip_path, field",
    [
        ("KL1001/2026-13-01", "date"),
        ("KL1001/22-11-2026", "date"),
        (f"KL%201001/{clock.day()}", "service"),
        (f"KL1001%00/{clock.day()}", "service"),
        ("K" * 21 + f"/{clock.day()}", "service"),
    ],
)
def test_bad_trip_in_the_path_is_refused(api, trip, trip_path, field):
    response = api.post_event({"type": "boarding"}, trip=trip_path)

    assert response.status_code == 400 and field in fields(response)


def test_every_problem_is_named_at_once(api, trip):
    response = api.post(
        "/trips/KL1001/2026-13-01/events", {"type": "gate_changed", "gate": 7, "terminal": "T" * 11}
    )

    assert fields(response) == {"date", "Idempotency-Key", "gate", "terminal"}


@pytest.mark.parametrize("raw", [b"{type: delayed}", b"[]", b"", b'"boarding"'])
def test_body_that_is_not_a_json_object_is_refused(api, trip, raw):
    response = api.post(f"/trips/{clock.TRIP}/events", raw=raw, **{"Idempotency-Key": "k"})

    assert response.status_code == 400
    fields(response)
