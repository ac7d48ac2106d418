"""Scheduling a bulk request's timeline (a check-in notice and a departure reminder for each
passenger) costs as many queries for two hundred bookings as for ten, new or moved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Booking
from notifications.models import ScheduledMessage
from notifications.services import timeline_schedule
from tests import clock
from tests.api.helpers import Api

pytestmark = pytest.mark.django_db


def documents(n: int, first: int, hour: int = 14) -> list[dict]:
    """n bookings of two passengers on KL1001 in three days, leaving at hour:00."""
    docs = []
    for i in range(n):
        ids = ["P1", "P2"]
        segment = {
            "trip": clock.trip(offset=3),
            "origin": "AMS",
            "destination": "LHR",
            "scheduled_departure": clock.iso(hour, offset=3),
            "scheduled_arrival": clock.iso(hour, 20, offset=3, tz=clock.LONDON),
            "passengers": ids,
        }
        docs.append(
            {
                "reference": f"B{first + i}",
                "passengers": [
                    {
                        "id": pax,
                        "given_name": f"Pax{i}{pax}",
                        "family_name": "de Vries",
                        "contacts": [
                            {
                                "channel": "whatsapp",
                                "address": f"+3161{first + 10 * i + j:07d}",
                                "opt_in": True,
                            }
                        ],
                    }
                    for j, pax in enumerate(ids)
                ],
                "segments": [segment],
            }
        )
    return docs


def scheduled(api: Api, docs: list[dict]) -> int:
    # The API stores them; the timeline is made after commit, which a test transaction never
    # reaches, so it is made here, as the commit hook would, and counted.
    assert api.bulk(docs).status_code == 200
    bookings = list(Booking.objects.filter(reference__in=[d["reference"] for d in docs]))
    with CaptureQueriesContext(connection) as captured:
        timeline_schedule(bookings=bookings)
    return len(captured)


def test_two_hundred_bookings_cost_what_ten_cost(api):
    ten = scheduled(api, documents(10, 10_000))
    two_hundred = scheduled(api, documents(200, 20_000))

    assert ten == two_hundred <= 5
    rows = ScheduledMessage.objects.filter(booking__reference__startswith="B2")
    assert rows.filter(kind="check_in_open").count() == 400
    assert rows.filter(kind="departure_reminder").count() == 400


def test_a_schedule_change_moves_every_row_and_makes_none_twice(api):
    scheduled(api, documents(20, 30_000, hour=14))
    before = dict(ScheduledMessage.objects.values_list("dedupe_key", "due_at"))

    scheduled(api, documents(20, 30_000, hour=16))  # the same bookings, two hours later

    after = dict(ScheduledMessage.objects.values_list("dedupe_key", "due_at"))
    assert after.keys() == before.keys() and len(after) == 80
    assert all((after[key] - before[key]).total_seconds() == 2 * 3600 for key in after)
