import pytest

from core.models import Booking, ContactPoint
from tests.api.helpers import booking_body, fields

pytestmark = pytest.mark.django_db


def test_number_without_country_code_is_refused_naming_the_field(api):
    body = booking_body()
    body["passengers"][0]["contacts"][0]["address"] = "0612345678"

    response = api.put_booking("ABC123", body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "passengers[0].contacts[0].address",
                ("message"): (
                    "'0612345678' has no country code: "
                    "give it in international form, e.g. +31612345678"
                ),
            }
        ]
    }
    assert not Booking.objects.exists() and not ContactPoint.objects.exists()


def test_each_bad_number_is_named_in_one_answer(api):
    body = booking_body()
    body["passengers"][0]["contacts"].append({"channel": "whatsapp", "address": "+3161234"})
    body["passengers"].append(
        {
            "id": "P2",
            "given_name": "Bram",
            "family_name": "de Vries",
            "contacts": [{"channel": "whatsapp", "address": "06-87654321"}],
        }
    )
    body["passengers"][0]["contacts"][0]["address"] = "0612345678"

    response = api.put_booking("ABC123", body)

    assert fields(response) == {
        "passengers[0].contacts[0].address",
        "passengers[0].contacts[1].address",
        "passengers[1].contacts[0].address",
    }


def test_messenger_address_is_kept_as_sent(api):
    body = booking_body()
    body["passengers"][0]["contacts"] = [
        {"channel": "messenger", "address": "6123456789012345", "opt_in": True}
    ]

    response = api.put_booking("ABC123", body)

    assert response.status_code == 201
    assert response.json()["passengers"][0]["contacts"][0]["address"] == "6123456789012345"
