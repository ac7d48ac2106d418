"""Events follow the trip's life (core/trips.py): after a cancellation, a landing or a take-off,
what can no longer happen is refused with 409 naming the trip's status, and nobody is told."""

import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body, fields

LONDON = clock.LONDON
EVENTS = {
    "check_in_open": {"type": "check_in_open"},
    "gate_changed": {"type": "gate_changed", "gate": "D7"},
    "boarding": {"type": "boarding", "gate": "D7"},
    "delayed": {"type": "delayed", "estimated_departure": clock.iso(9, 40)},
    "departed": {"type": "departed", "actual_departure": clock.iso(9, 10)},
    "arrived": {"type": "arrived", "actual_arrival": clock.iso(9, 25, tz=LONDON)},
    "cancelled": {"type": "cancelled"},
}
REFUSED_AFTER = {
    "cancelled": ["check_in_open", "gate_changed", "boarding", "delayed", "departed", "arrived"],
    "arrived": ["check_in_open", "gate_changed", "boarding", "delayed", "departed", "cancelled"],
    "departed": ["check_in_open", "gate_changed", "boarding", "delayed", "cancelled"],
}


@pytest.fixture
def trip(api):
    assert api.put_booking("ABC123", booking_body()).status_code == 201
    return Trip.objects.get()


def post(api, body: dict, key: str):
    return api.post_event(body, key=key, trip=clock.TRIP)


def reach(api, status: str) -> None:
    path = {
        "cancelled": ["cancelled"],
        "departed": ["departed"],
        "arrived": ["departed", "arrived"],
    }[status]
    for type_ in path:
        assert post(api, EVENTS[type_], key=f"to-{type_}").status_code == 202
    SandboxMessage.objects.all().delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "status, type_", [(s, t) for s, types in REFUSED_AFTER.items() for t in types]
)
def test_an_event_the_trip_is_past_is_refused_naming_its_status(api, trip, status, type_):
    reach(api, status)
    events = TripEvent.objects.count()

    response = post(api, EVENTS[type_], key="late")

    assert response.status_code == 409
    assert fields(response) == {"type"}
    message = response.json()["errors"][0]["message"]
    assert message.startswith(
        f"the trip {clock.TRIP} is {status}: a {type_} event can no longer follow"
    )
    assert TripEvent.objects.count() == events
    assert not SandboxMessage.objects.exists()  # the traveller is not told
    trip.refresh_from_db()
    assert trip.status == status


@pytest.mark.django_db(transaction=True)
def test_the_refusal_says_what_may_still_follow(api, trip):
    reach(api, "departed")

    [error] = post(api, EVENTS["gate_changed"], key="g").json()["errors"]

    assert error == {
        "field": "type",
        "message": f"the trip {clock.TRIP} is departed: a gate_changed event can "
        "no longer follow (accepted now: departed, arrived, diverted)",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "status, type_",
    [
        ("departed", "departed"),
        ("departed", "arrived"),
        ("arrived", "arrived"),
        ("cancelled", "cancelled"),
    ],
)
def test_what_may_still_follow_is_accepted_and_told(api, trip, status, type_):
    reach(api, status)
    body = dict(EVENTS[type_])
    if type_ == "departed":
        body["estimated_arrival"] = clock.iso(9, 30, tz=LONDON)  # a new estimate from the air
    if type_ == "arrived":
        body["baggage_belt"] = "5"
    if type_ == "cancelled":
        body["rebooking_url"] = "https://example.com/rebook"

    response = post(api, body, key="again")

    assert response.status_code == 202 and response.json()["recipients"] == 1
    assert SandboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_before_departure_anything_may_happen_in_any_order(api, trip):
    for i, type_ in enumerate(
        ["boarding", "gate_changed", "delayed", "check_in_open", "boarding", "departed"]
    ):
        assert post(api, EVENTS[type_], key=f"k{i}").status_code == 202, type_


@pytest.mark.django_db(transaction=True)
def test_a_replay_answers_as_before_even_after_the_trip_moved_on(api, trip):
    first = post(api, EVENTS["delayed"], key="d")
    assert post(api, EVENTS["cancelled"], key="c").status_code == 202
    sent = SandboxMessage.objects.count()

    again = post(api, EVENTS["delayed"], key="d")

    assert (again.status_code, again.json()) == (202, first.json())
    assert SandboxMessage.objects.count() == sent
    assert post(api, EVENTS["delayed"], key="d2").status_code == 409
