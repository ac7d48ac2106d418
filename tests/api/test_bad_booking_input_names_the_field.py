"""Every kind of bad booking is refused with 400, naming the field; nothing is stored."""

import pytest

from core.models import Booking, Trip
from tests import clock
from tests.api.helpers import booking_body, fields

pytestmark = pytest.mark.django_db


def pax(body):
    return body["passengers"][0]


def contact(body):
    return body["passengers"][0]["contacts"][0]


def seg(body):
    return body["segments"][0]


def second_passenger(body):
    body["passengers"].append({**pax(body), "contacts": []})


CASES = {
    "no passengers": (lambda b: b.pop("passengers"), "passengers"),
    "empty passengers": (lambda b: b.update(passengers=[]), "passengers"),
    "passengers null": (lambda b: b.update(passengers=None), "passengers"),
    "passengers not a list": (lambda b: b.update(passengers="Anna"), "passengers"),
    "passenger not an object": (lambda b: b["passengers"].append(42), "passengers[1]"),
    "too many passengers": (
        lambda b: b.update(passengers=[{**pax(b), "id": f"P{i}"} for i in range(101)]),
        "passengers",
    ),
    "unknown top-level field": (lambda b: b.update(pnr="X"), "pnr"),
    "given name missing": (lambda b: pax(b).pop("given_name"), "passengers[0].given_name"),
    "given name blank": (lambda b: pax(b).update(given_name="   "), "passengers[0].given_name"),
    "given name a number": (lambda b: pax(b).update(given_name=123), "passengers[0].given_name"),
    "given name huge": (
        lambda b: pax(b).update(given_name="A" * 100_000),
        "passengers[0].given_name",
    ),
    "NUL in family name": (
        lambda b: pax(b).update(family_name="de\x00Vries"),
        "passengers[0].family_name",
    ),
    "lone surrogate in family name": (
        lambda b: pax(b).update(family_name="de \ud800Vries"),
        "passengers[0].family_name",
    ),
    "unknown language": (lambda b: pax(b).update(language="de"), "passengers[0].language"),
    "unknown formality": (lambda b: pax(b).update(formality="casual"), "passengers[0].formality"),
    "passenger id with a space": (lambda b: pax(b).update(id="P 1"), "passengers[0].id"),
    "passenger id too long": (lambda b: pax(b).update(id="P" * 21), "passengers[0].id"),
    "passenger id null": (lambda b: pax(b).update(id=None), "passengers[0].id"),
    "duplicate passenger id": (second_passenger, "passengers[1].id"),
    "unknown passenger field": (
        lambda b: pax(b).update(email="a@example.com"),
        "passengers[0].email",
    ),
    "contacts not a list": (
        lambda b: pax(b).update(contacts={"whatsapp": "+31612345678"}),
        "passengers[0].contacts",
    ),
    "unknown channel": (
        lambda b: contact(b).update(channel="sms"),
        "passengers[0].contacts[0].channel",
    ),
    "channel missing": (lambda b: contact(b).pop("channel"), "passengers[0].contacts[0].channel"),
    "empty messenger address": (
        lambda b: contact(b).update(channel="messenger", address=""),
        "passengers[0].contacts[0].address",
    ),
    "blank messenger address": (
        lambda b: contact(b).update(channel="messenger", address="  "),
        "passengers[0].contacts[0].address",
    ),
    "address null": (
        lambda b: contact(b).update(address=None),
        "passengers[0].contacts[0].address",
    ),
    "address not a phone number": (
        lambda b: contact(b).update(address="+31 call me"),
        "passengers[0].contacts[0].address",
    ),
    "opt_in not a boolean": (
        lambda b: contact(b).update(opt_in="perhaps"),
        "passengers[0].contacts[0].opt_in",
    ),
    "segments not a list": (lambda b: b.update(segments={"trip": clock.TRIP}), "segments"),
    "segment not an object": (lambda b: b["segments"].append(clock.trip("KL1002")), "segments[1]"),
    "trip key with dash": (
        lambda b: seg(b).update(trip=clock.TRIP.replace("/", "-")),
        "segments[0].trip",
    ),
    "trip key day first": (lambda b: seg(b).update(trip="KL1001/22-11-2026"), "segments[0].trip"),
    "trip key impossible date": (
        lambda b: seg(b).update(trip="KL1001/2026-02-30"),
        "segments[0].trip",
    ),
    "trip key far future": (lambda b: seg(b).update(trip="KL1001/9999-01-01"), "segments[0].trip"),
    "trip key with space": (
        lambda b: seg(b).update(trip="KL " + clock.TRIP[2:]),
        "segments[0].trip",
    ),
    "trip key missing": (lambda b: seg(b).pop("trip"), "segments[0].trip"),
    "origin a city name": (lambda b: seg(b).update(origin="Amsterdam"), "segments[0].origin"),
    "naive departure": (
        lambda b: seg(b).update(scheduled_departure=clock.naive(9, 0)),
        "segments[0].scheduled_departure",
    ),
    "departure a word": (
        lambda b: seg(b).update(scheduled_departure="tomorrow"),
        "segments[0].scheduled_departure",
    ),
    "departure a date only": (
        lambda b: seg(b).update(scheduled_departure=clock.day().isoformat()),
        "segments[0].scheduled_departure",
    ),
    "departure year 9999": (
        lambda b: seg(b).update(scheduled_departure="9999-12-31T23:59:59-12:00"),
        "segments[0].scheduled_departure",
    ),
    "departure impossible": (
        lambda b: seg(b).update(scheduled_departure="2026-11-31T09:00:00+01:00"),
        "segments[0].scheduled_departure",
    ),
    "arrival before departure": (
        lambda b: seg(b).update(scheduled_arrival=clock.iso(7, 0, tz=clock.LONDON)),
        "segments[0].scheduled_arrival",
    ),
    "segment without passengers": (
        lambda b: seg(b).update(passengers=[]),
        "segments[0].passengers",
    ),
    "segment names unknown passenger": (
        lambda b: seg(b).update(passengers=["P1", "P9"]),
        "segments[0].passengers[1]",
    ),
    "same trip twice": (lambda b: b["segments"].append(dict(seg(b))), "segments[1].trip"),
}


@pytest.mark.parametrize("mutate, field", CASES.values(), ids=CASES.keys())
def test_bad_booking_is_refused_naming_the_field(api, mutate, field):
    body = booking_body()
    mutate(body)

    response = api.put_booking("ABC123", body)

    assert response.status_code == 400
    assert field in fields(response)
    assert not Booking.objects.exists() and not Trip.objects.exists()


@pytest.mark.parametrize("reference", ["ABC 123", "ABC.123", "A" * 65, "ÄBC123"])
def test_bad_reference_is_refused(api, reference):
    response = api.put_booking(reference)

    assert response.status_code == 400 and fields(response) == {"reference"}
    assert not Booking.objects.exists()


BAD_BODIES = {
    "not JSON": (
        b"{passengers: [}",
        "it is not valid JSON (Expecting property name enclosed in double quotes",
    ),
    "truncated": (b'{"passengers": [', "it is not valid JSON (Expecting value: line 1 column 17"),
    "not UTF-8": (
        b'{"passengers": "\xff\xfe"}',
        "it is not valid JSON ('utf-8' codec can't decode byte 0xff",
    ),
    "a JSON array": (b"[]", "the body must be a JSON object, not an array"),
    "a JSON string": (b'"booking"', "the body must be a JSON object, not a string"),
    "JSON null": (b"null", "the body must be a JSON object, not null"),
}


@pytest.mark.parametrize("raw, message", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_body_that_is_not_a_json_object_is_refused(api, raw, message):
    response = api.put("/bookings/ABC123", raw=raw)

    assert response.status_code == 400
    assert fields(response) == {None}
    assert message in response.json()["errors"][0]["message"]


def test_missing_body_is_refused(api):
    response = api.put("/bookings/ABC123")

    assert response.status_code == 400 and fields(response) == {"body"}


def test_oversized_body_is_refused(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = booking_body()
    pax(body)["given_name"] = "A" * 20_000

    response = api.put_booking("ABC123", body)

    assert response.status_code == 413
    fields(response)
