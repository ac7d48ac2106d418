"""BCBP data is checked before anything is made: every fault is a 400 naming `barcode` and
saying what is wrong; nothing is stored and nobody gets a message."""

import pytest

from documents.models import Document
from notifications.models import Delivery
from tests.documents.conftest import bcbp, document_body, julian, post_document

GOOD = bcbp()


def refusal(api, **changes) -> list[dict]:
    response = post_document(api, document_body(**changes))
    assert response.status_code == 400, response.content
    return response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "barcode, words",
    [
        (
            GOOD[:58],
            "is 58 characters; the mandatory items of a boarding pass with one leg take 60",
        ),
        ("X" + GOOD[1:], "starts with format code 'X'; it must be 'M'"),
        ("M5" + GOOD[2:], "gives '5' as the number of legs; it must be 1 to 4"),
        ("M2" + GOOD[2:], "says it encodes 2 legs but ends in leg 2"),
        (bcbp(day=0), "date of flight '000' must be a day of the year, 001 to 366"),
        (bcbp(day=julian() + 1), "dates flight KL1001 day"),
        (bcbp(name="DEVRIES/BRAM"), "is for DEVRIES/BRAM, not for the passenger (DEVRIES/ANNA)"),
        (bcbp(name="DEVRIESANNA"), "it must be SURNAME/GIVEN NAMES"),
        (bcbp(flight="1002 "), "has no leg for flight KL1001 (it encodes KL 1002)"),
        (bcbp(route="AMSCDG"), "has flight KL1001 from AMS to CDG; the trip goes from AMS to LHR"),
        (bcbp(tail="105"), "leg 1 announces 5 characters of conditional items but only 0 follow"),
        (GOOD + "XYZ", "not a security section"),
        (GOOD.replace("A", "Ä", 1), "printable ASCII"),
    ],
)
def test_bad_bcbp_is_a_400_naming_barcode(api, booked, barcode, words):
    errors = refusal(api, barcode=barcode)
    assert {e["field"] for e in errors} == {"barcode"}
    assert any(words in e["message"] for e in errors), errors
    assert not Document.objects.exists()
    assert not Delivery.objects.filter(kind="boarding_pass").exists()


@pytest.mark.django_db
def test_the_dutch_surname_prefix_and_a_title_are_the_same_name(api, booked):
    response = post_document(api, document_body(barcode=bcbp(name="DEVRIES/ANNA MRS")))
    assert response.status_code == 202, response.content


@pytest.mark.django_db
def test_a_seat_that_contradicts_the_barcode_is_refused(api, booked):
    errors = refusal(api, seat="14C")
    assert errors == [{"field": "seat", "message": "is 14C but the barcode gives seat 12A"}]


@pytest.mark.django_db
def test_a_security_section_after_the_legs_is_accepted(api, booked):
    response = post_document(api, document_body(barcode=GOOD + "^164" + "G" * 100))
    assert response.status_code == 202, response.content


@pytest.mark.django_db
def test_unknown_passenger_trip_and_booking(api, booked):
    assert [e["field"] for e in refusal(api, passenger="P9")] == ["passenger"]
    assert [e["field"] for e in refusal(api, trip="KL1001/2000-01-01")] == ["trip"]
    response = post_document(api, document_body(), reference="NOPE99")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "reference"
