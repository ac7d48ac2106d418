import pytest

from core.models import Trip
from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock


@pytest.mark.django_db(transaction=True)
def test_same_key_with_a_different_body_is_refused_and_changes_nothing(api):
    api.put_booking("ABC123")
    SandboxMessage.objects.all().delete()
    assert api.post_event({"type": "gate_changed", "gate": "D7"}, key="k-1").status_code == 202

    response = api.post_event({"type": "gate_changed", "gate": "E9"}, key="k-1")

    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {
                "field": "Idempotency-Key",
                "message": "this Idempotency-Key was used for a different event on this trip",
            }
        ]
    }
    assert Trip.objects.get().gate == "D7"
    assert TripEvent.objects.count() == 1 and SandboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_same_key_on_another_trip_is_a_separate_event(api):
    from tests.api.helpers import booking_body

    api.put_booking("ABC123")
    other = booking_body()
    other["segments"][0]["trip"] = clock.trip("KL1002")
    api.put_booking("XYZ789", other)

    first = api.post_event({"type": "boarding"}, key="same")
    second = api.post_event(
        {"type": "arrived", "actual_arrival": clock.iso(9, 25, tz=clock.LONDON)},
        key="same",
        trip=clock.trip("KL1002"),
    )

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] != second.json()["id"]
