"""Storing a booking costs a fixed number of queries, whether it has one passenger or fifty, new
or replaced; a bulk request costs the same for ten bookings as for two hundred."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Passenger
from core.services import api_key_create
from tests import clock
from tests.api.helpers import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> Api:
    api = Api(api_key_create(name="booking engine")[1])
    assert api.put("/bookings/WARMUP", booking(1, first=900)).status_code == 201  # trip, key
    return api


def booking(passengers: int, first: int = 0) -> dict:
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
        "segments": [clock.flight_segment(ids)],
    }


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code in (200, 201), response.content[:500]
    return len(captured)


def test_a_put_costs_the_same_for_one_passenger_as_for_fifty(api):
    one = queries(lambda: api.put("/bookings/ONE", booking(1, first=1000)))
    fifty = queries(lambda: api.put("/bookings/FIFTY", booking(50, first=2000)))

    assert one == fifty <= 20
    assert Passenger.objects.filter(booking__reference="FIFTY").count() == 50


def test_a_replacing_put_costs_the_same_for_one_passenger_as_for_fifty(api):
    api.put("/bookings/ONE", booking(1, first=1000))
    api.put("/bookings/FIFTY", booking(50, first=2000))
    changed_one, changed_fifty = booking(1, first=1000), booking(50, first=2000)
    for body in (changed_one, changed_fifty):
        for pax in body["passengers"]:
            pax["given_name"] += "-renamed"
            psid = "psid-" + pax["contacts"][0]["address"][1:]
            pax["contacts"].append({"channel": "messenger", "address": psid})

    one = queries(lambda: api.put("/bookings/ONE", changed_one))
    fifty = queries(lambda: api.put("/bookings/FIFTY", changed_fifty))

    assert one == fifty <= 25
    doc = api.get("/bookings/FIFTY").json()
    assert {p["given_name"] for p in doc["passengers"]} == {
        f"Passenger{i}-renamed" for i in range(50)
    }
    assert all(len(p["contacts"]) == 2 for p in doc["passengers"])


def test_a_bulk_request_costs_the_same_for_ten_bookings_as_for_two_hundred(api):
    def documents(n: int, first: int) -> list[dict]:
        return [
            {"reference": f"B{first + i}", **booking(2, first=first + 10 * i)} for i in range(n)
        ]

    ten = queries(lambda: api.bulk(documents(10, 10_000)))
    two_hundred = queries(lambda: api.bulk(documents(200, 20_000)))

    assert ten == two_hundred
    assert Passenger.objects.filter(booking__reference__startswith="B2").count() == 400
