"""POST /bookings/bulk: a JSON array or NDJSON of booking documents, each answered on its own;
the valid ones are stored even when others are refused, and the refused leave nothing behind."""

import json

import pytest

from core.models import Booking, Customer
from core.schemas import BulkOut
from tests.api.helpers import bulk_document, fields
from tests.api.test_bad_booking_input_names_the_field import CASES

pytestmark = pytest.mark.django_db


def test_valid_documents_are_stored_and_the_others_refused_with_their_fields(api):
    assert api.put_booking("OLD1").status_code == 201
    documents = [
        bulk_document("NEW1", "+31611111111"),
        bulk_document("OLD1", given_name="Annie"),  # replaces the PUT's booking
        bulk_document("BAD1", "0611111112"),  # a national number: refused
        {**bulk_document("BAD2", "+31611111113"), "pnr": "X"},
        bulk_document("NEW2", "+31611111114", family_name="van Dijk"),
        ["not", "a", "booking"],
        bulk_document("bad reference"),
    ]

    response = api.bulk(documents)

    assert response.status_code == 200
    answer = response.json()
    BulkOut.model_validate(answer)  # the answer is what the OpenAPI document says
    assert (answer["created"], answer["replaced"], answer["refused"], answer["failed"]) == (
        2,
        1,
        4,
        0,
    )
    results = answer["results"]
    assert [(r["index"], r["reference"], r["status"]) for r in results] == [
        (0, "NEW1", 201),
        (1, "OLD1", 200),
        (2, "BAD1", 400),
        (3, "BAD2", 400),
        (4, "NEW2", 201),
        (5, None, 400),
        (6, "bad reference", 400),
    ]
    assert results[2]["errors"] == [
        {
            "field": "passengers[0].contacts[0].address",
            "message": "'0611111112' has no country code: give it in international form, "
            "e.g. +31612345678",
        }
    ]
    assert [e["field"] for e in results[3]["errors"]] == ["pnr"]
    assert results[5]["errors"] == [
        {"field": None, "message": "each booking must be a JSON object, not an array"}
    ]
    assert [e["field"] for e in results[6]["errors"]] == ["reference"]
    # What the bulk answer calls stored is what a GET reads back, and nothing else is stored.
    for result in results:
        if result["status"] in (200, 201):
            assert result["errors"] == []
            assert api.get(f"/bookings/{result['reference']}").json() == result["booking"]
        else:
            assert result["booking"] is None
    assert set(Booking.objects.values_list("reference", flat=True)) == {"OLD1", "NEW1", "NEW2"}
    assert results[1]["booking"]["passengers"][0]["given_name"] == "Annie"
    assert results[4]["booking"]["passengers"][0]["family_name"] == "van Dijk"


def test_ndjson_is_read_line_by_line_with_the_line_numbers(api):
    lines = [
        json.dumps(bulk_document("NEW1", "+31611111111")),
        "",
        "{not json",
        json.dumps(bulk_document("NEW2", "+31611111112")),
        "   ",
        json.dumps(bulk_document("BAD1", "+31 call me")),
    ]

    response = api.bulk(raw="\n".join(lines) + "\n", ndjson=True)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["index"], r["line"], r["reference"], r["status"]) for r in results] == [
        (0, 1, "NEW1", 201),
        (1, 3, None, 400),
        (2, 4, "NEW2", 201),
        (3, 6, "BAD1", 400),
    ]
    assert results[1]["errors"][0]["field"] is None
    assert results[1]["errors"][0]["message"].startswith("line 3 is not valid JSON (")
    assert results[3]["errors"][0]["field"] == "passengers[0].contacts[0].address"
    assert set(Booking.objects.values_list("reference", flat=True)) == {"NEW1", "NEW2"}


@pytest.mark.parametrize("mutate, field", CASES.values(), ids=CASES.keys())
def test_each_refusal_names_the_same_fields_as_the_put(api, mutate, field):
    document = bulk_document("ABC123")
    mutate(document)
    body = {k: v for k, v in document.items() if k != "reference"}
    put = api.put_booking("ABC123", body)

    [result] = api.bulk([document, bulk_document("OK1", "+31611111119")]).json()["results"][:1]

    assert put.status_code == 400 and result["status"] == 400
    assert result["errors"] == put.json()["errors"]
    assert field in {e["field"] for e in result["errors"]}
    assert list(Booking.objects.values_list("reference", flat=True)) == ["OK1"]


def test_a_reference_sent_twice_is_replaced_in_order(api):
    first = bulk_document("TWICE", "+31611111111", given_name="Anna")
    second = bulk_document("TWICE", "+31611111111", given_name="Anneke")

    results = api.bulk([first, second]).json()["results"]

    assert [r["status"] for r in results] == [201, 200]
    stored = api.get("/bookings/TWICE").json()
    assert (
        stored["passengers"][0]["given_name"]
        == "Anneke"
        == results[1]["booking"]["passengers"][0]["given_name"]
    )
    assert Customer.objects.count() == 1


BAD_BODIES = {
    "not JSON": (b"[{", 400, "the body must be a JSON array of bookings; it is not valid JSON"),
    "NDJSON sent as JSON": (
        b'{"reference": "A"}\n{"reference": "B"}',
        400,
        "NDJSON (one booking a line) is read with Content-Type: application/x-ndjson",
    ),
    "an object": (b'{"reference": "A"}', 400, "a JSON array of bookings, not an object"),
    "null": (b"null", 400, "a JSON array of bookings, not null"),
    "empty array": (b"[]", 400, "no bookings: send at least one"),
    "not UTF-8": (b'["\xff"]', 400, "it is not valid JSON ('utf-8' codec can't decode"),
}


@pytest.mark.parametrize("raw, status, message", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_body_that_is_not_an_array_of_documents_is_refused_whole(api, raw, status, message):
    response = api.bulk(raw=raw)

    assert response.status_code == status and fields(response) == {None}
    assert message in response.json()["errors"][0]["message"]


def test_an_empty_ndjson_body_is_refused(api):
    response = api.bulk(raw="\n \n", ndjson=True)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "no bookings: send at least one"


def test_more_documents_than_allowed_are_refused_whole(api, settings):
    settings.BOOKINGS_BULK_MAX_DOCUMENTS = 2
    documents = [bulk_document(f"B{i}", f"+3161111111{i}") for i in range(3)]

    response = api.bulk(documents)

    assert response.status_code == 413 and fields(response) == {None}
    assert "at most 2 bookings per request, not 3" in response.json()["errors"][0]["message"]
    assert not Booking.objects.exists()


def test_a_body_over_the_limit_is_refused_whole(api, settings):
    settings.BOOKINGS_BULK_MAX_BYTES = 1000
    documents = [bulk_document(f"B{i}", f"+3161111111{i}") for i in range(3)]

    response = api.bulk(documents)

    assert response.status_code == 413
    assert "larger than 1000 bytes" in response.json()["errors"][0]["message"]
    assert not Booking.objects.exists()


def test_a_body_over_the_single_put_limit_is_fine(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    documents = [bulk_document(f"B{i}", f"+3161111111{i}") for i in range(3)]

    response = api.bulk(documents)

    assert response.status_code == 200 and response.json()["created"] == 3


def test_another_content_type_is_refused(api):
    response = api.client.post(
        "/api/v1/bookings/bulk",
        data="reference,given_name\nABC,Anna\n",
        content_type="text/csv",
        headers=api.headers,
    )

    assert response.status_code == 415 and fields(response) == {"Content-Type"}


def test_the_bulk_endpoint_needs_a_key(api):
    api.headers = {}

    response = api.bulk([bulk_document("ABC123")])

    assert response.status_code == 401 and fields(response) == {"Authorization"}
    assert not Booking.objects.exists()


def test_a_booking_named_bulk_is_still_a_booking(api):
    body = {k: v for k, v in bulk_document("bulk").items() if k != "reference"}

    assert api.put("/bookings/bulk", body).status_code == 201
    assert api.get("/bookings/bulk").json()["reference"] == "bulk"
