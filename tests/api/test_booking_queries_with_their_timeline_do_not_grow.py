"""What a booking request costs the database, the work after its commit included (the timeline's
check-in notice and reminder, the rollout's decision, the confirmations handed to the worker):
the same for one passenger as for four, new or replaced with the flight moved; a bulk schedule
change costs the same for ten bookings as for two hundred and moves every row it made."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Booking
from core.services import api_key_create
from notifications import enqueue
from notifications.models import ScheduledMessage
from tests import clock
from tests.api.helpers import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(monkeypatch) -> list[int]:
    """The bookings handed to the worker for their confirmations (the worker's own queries are
    not the request's): recorded instead of sent."""
    handed: list[int] = []
    monkeypatch.setattr(enqueue, "bookings_confirm_later", handed.extend)
    return handed


@pytest.fixture
def api(confirmed, django_capture_on_commit_callbacks) -> Api:
    api = Api(api_key_create(name="booking engine")[1])
    with django_capture_on_commit_callbacks(execute=True):
        assert api.put("/bookings/WARMUP", booking(1, first=900)).status_code == 201
    return api


def booking(passengers: int, first: int, hour: int = 14, service: str = "KL1001") -> dict:
    """A booking on a flight in three days (a check-in notice and a reminder to come each)."""
    ids = [f"P{i}" for i in range(passengers)]
    return {
        "passengers": [
            {
                "id": pax,
                "given_name": f"Passenger{i}",
                "family_name": "de Vries",
                "contacts": [
                    {"channel": "whatsapp", "address": f"+3161{first + i:07d}", "opt_in": True}
                ],
            }
            for i, pax in enumerate(ids)
        ],
        "segments": [
            {
                "trip": clock.trip(service, offset=3),
                "origin": "AMS",
                "destination": "LHR",
                "scheduled_departure": clock.iso(hour, offset=3),
                "scheduled_arrival": clock.iso(hour, 20, offset=3, tz=clock.LONDON),
                "passengers": ids,
            }
        ],
    }


def queries(call, capture) -> int:
    """The queries of a request and of what runs when it commits."""
    with CaptureQueriesContext(connection) as captured:
        with capture(execute=True):
            response = call()
    assert response.status_code in (200, 201), response.content[:500]
    return len(captured)


def test_a_put_and_its_commit_cost_the_same_for_one_passenger_as_for_four(
    api, confirmed, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    def put(reference: str, passengers: int, hour: int = 14) -> int:
        # Each booking on a flight of its own, so each PUT moves its flight, as the first did.
        body = booking(passengers, first=1000 * passengers, hour=hour, service=f"KL{passengers}")
        return queries(lambda: api.put(f"/bookings/{reference}", body), capture)

    one, four = put("ONE", 1), put("FOUR", 4)
    # Replaced, the flight two hours later: every row of the timeline moves.
    moved_one, moved_four = put("ONE", 1, hour=16), put("FOUR", 4, hour=16)

    assert one == four <= 19
    assert moved_one == moved_four <= 16
    rows = ScheduledMessage.objects.filter(booking__reference="FOUR")
    assert rows.count() == 8  # a check-in notice and a reminder for each passenger
    reminders = rows.filter(kind="departure_reminder")
    assert {r.due_at.astimezone(clock.AMSTERDAM).hour for r in reminders} == {13}  # 16:00 - 3 h
    assert len(confirmed) == 3  # WARMUP, ONE and FOUR: once each, on creation


def test_a_bulk_schedule_change_costs_the_same_for_ten_bookings_as_for_two_hundred(
    api, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    def documents(n: int, first: int, hour: int) -> list[dict]:
        return [
            {"reference": f"B{first + i}", **booking(2, first=first + 10 * i, hour=hour)}
            for i in range(n)
        ]

    rows = ScheduledMessage.objects.filter(booking__reference__startswith="B")
    queries(lambda: api.bulk(documents(10, 10_000, hour=14)), capture)
    queries(lambda: api.bulk(documents(200, 20_000, hour=14)), capture)
    before = dict(rows.values_list("dedupe_key", "due_at"))

    ten = queries(lambda: api.bulk(documents(10, 10_000, hour=16)), capture)
    two_hundred = queries(lambda: api.bulk(documents(200, 20_000, hour=16)), capture)

    assert ten == two_hundred
    after = dict(rows.values_list("dedupe_key", "due_at"))
    assert after.keys() == before.keys() and len(after) == 2 * 2 * 210
    assert all((after[key] - before[key]).total_seconds() == 2 * 3600 for key in after)


def test_only_a_booking_someone_can_be_told_about_goes_to_the_worker(
    api, confirmed, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    quiet = booking(1, first=5000)
    quiet["passengers"][0]["contacts"][0]["opt_in"] = False
    queries(lambda: api.put("/bookings/QUIET", quiet), capture)
    assert "QUIET" not in references(confirmed)

    # The same person again, on a new booking without opt-in: stored before, they may have an
    # address opted in that this booking does not name, so the worker looks.
    known = booking(1, first=1000)
    queries(lambda: api.put("/bookings/OPTED", known), capture)
    known["passengers"][0]["contacts"][0]["opt_in"] = False
    queries(lambda: api.put("/bookings/AGAIN", known), capture)
    assert {"OPTED", "AGAIN"} <= references(confirmed)


def references(booking_ids: list[int]) -> set[str]:
    return set(Booking.objects.filter(pk__in=booking_ids).values_list("reference", flat=True))
