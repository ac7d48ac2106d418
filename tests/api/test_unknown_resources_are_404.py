import pytest

from core.models import Booking
from tests import clock

pytestmark = pytest.mark.django_db


def assert_not_found(response, field):
    assert response.status_code == 404
    [error] = response.json()["errors"]
    assert error["field"] == field and error["message"]


def test_event_for_an_unknown_trip_is_404(api):
    api.put_booking("ABC123")

    assert_not_found(
        api.post_event({"type": "boarding"}, trip=clock.trip("KL1001", offset=2)), "trip"
    )
    assert_not_found(api.post_event({"type": "boarding"}, trip=clock.trip("KL9999")), "trip")


@pytest.mark.parametrize("reference", ["NOPE", "ABC%00123", "x" * 80, "ABC%20123"])
def test_unknown_booking_is_404(api, reference):
    assert_not_found(api.get(f"/bookings/{reference}"), "reference")


def test_unknown_or_malformed_event_id_is_404(api):
    assert_not_found(api.get("/events/6f1c2a8e-3c1b-4a57-9a44-1c1f0e7e7b11"), "id")
    assert_not_found(api.get("/events/not-a-uuid"), "id")
    assert_not_found(api.get("/events/6f1c2a8e%00"), "id")


def test_bookings_are_not_listed(api):
    api.put_booking("ABC123")

    assert api.get("/bookings/").status_code == 404
    assert Booking.objects.count() == 1
