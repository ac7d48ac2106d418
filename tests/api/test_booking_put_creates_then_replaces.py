import pytest

from core.models import Booking, ContactPoint
from tests import clock
from tests.api.helpers import booking_body

pytestmark = pytest.mark.django_db


def test_first_put_creates_the_booking_with_follow_codes_and_opt_in_links(api, settings):
    settings.WHATSAPP_PUBLIC_NUMBER = "+31 85 000 0000"
    settings.MESSENGER_PAGE_NAME = "thuisfront.demo"
    body = booking_body()
    body["passengers"][0]["contacts"][0]["address"] = "+31 6 1234 5678"

    response = api.put_booking("ABC123", body)

    assert response.status_code == 201
    doc = response.json()
    assert doc["reference"] == "ABC123"
    [passenger] = doc["passengers"]
    code, own = passenger["follow_code"], passenger["opt_in_code"]
    assert code.startswith("TF") and len(code) == 12
    assert own.startswith("TM") and len(own) == 12
    assert passenger["contacts"] == [
        {"channel": "whatsapp", "address": "+31612345678", "opt_in": True, "opted_out_at": None}
    ]
    # The passenger's own opt-in is not the relatives' invitation.
    assert passenger["opt_in_links"] == {
        "whatsapp": f"https://wa.me/31850000000?text={own}",
        "messenger": f"https://m.me/thuisfront.demo?ref={own}",
    }
    assert passenger["invitation_links"] == {
        "whatsapp": f"https://wa.me/31850000000?text={code}",
        "messenger": f"https://m.me/thuisfront.demo?ref={code}",
    }
    assert {
        k: passenger[k] for k in ("id", "given_name", "family_name", "language", "formality")
    } == {
        "id": "P1",
        "given_name": "Anna",
        "family_name": "de Vries",
        "language": "nl",
        "formality": "formal",
    }
    [segment] = doc["segments"]
    # Times come back on the local clocks of the airports, as the company sent them.
    assert segment["scheduled_departure"] == clock.iso(9, 0)
    assert segment["scheduled_arrival"] == clock.iso(9, 20, tz=clock.LONDON)
    assert segment["trip"] == clock.TRIP and segment["passengers"] == ["P1"]
    assert (segment["origin"], segment["destination"]) == ("AMS", "LHR")
    assert (
        segment["live"]["status"] == "scheduled" and segment["live"]["estimated_departure"] is None
    )
    assert ContactPoint.objects.get().address == "+31612345678"


def test_second_put_replaces_it_keeping_follow_codes(api):
    first = api.put_booking("ABC123").json()
    body = booking_body()
    body["passengers"].append(
        {
            "id": "P2",
            "given_name": "Bram",
            "family_name": "de Vries",
            "language": "en",
            "formality": "informal",
            "contacts": [],
        }
    )
    body["segments"][0]["passengers"] = ["P1", "P2"]
    body["segments"][0]["destination"] = "lcy"

    response = api.put_booking("ABC123", body)

    assert response.status_code == 200
    doc = response.json()
    assert [p["id"] for p in doc["passengers"]] == ["P1", "P2"]
    assert doc["passengers"][0]["follow_code"] == first["passengers"][0]["follow_code"]
    assert doc["passengers"][0]["opt_in_code"] == first["passengers"][0]["opt_in_code"]
    assert doc["segments"][0]["passengers"] == ["P1", "P2"]
    assert doc["segments"][0]["destination"] == "LCY"
    assert Booking.objects.count() == 1


def test_replace_drops_passengers_and_segments_no_longer_sent(api):
    body = booking_body()
    body["passengers"].append({"id": "P2", "given_name": "Bram", "family_name": "de Vries"})
    body["segments"].append(
        {
            **body["segments"][0],
            "trip": clock.trip("KL1002", offset=8),
            "origin": "LHR",
            "destination": "AMS",
            "scheduled_departure": clock.iso(18, 0, offset=8, tz=clock.LONDON),
            "scheduled_arrival": clock.iso(20, 20, offset=8),
            "passengers": ["P2"],
        }
    )
    assert api.put_booking("ABC123", body).status_code == 201

    doc = api.put_booking("ABC123", booking_body()).json()

    assert [p["id"] for p in doc["passengers"]] == ["P1"]
    assert [s["trip"] for s in doc["segments"]] == [clock.TRIP]


def test_get_returns_the_same_document_as_the_put(api):
    put = api.put_booking("ABC-123_x").json()

    response = api.get("/bookings/ABC-123_x")

    assert response.status_code == 200
    assert response.json() == put
