"""Bookings stored in bulk follow every rule of the single PUT: one confirmation per new booking,
the person's own STOP wins, one person per address (also across the bookings of one request, and
with someone who wrote to us first), replaced bookings drop what they no longer have."""

import pytest

from core.models import ConsentRecord, ContactPoint, Customer, Passenger
from core.services import contact_point_opt_out
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import bulk_document
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_each_new_booking_is_confirmed_once_and_a_replaced_one_not_again(api):
    assert api.put_booking("OLD1").status_code == 201
    SandboxMessage.objects.all().delete()
    quiet = bulk_document("QUIET", "+31611111113")
    quiet["passengers"][0]["contacts"][0]["opt_in"] = False

    results = api.bulk(
        [
            bulk_document("NEW1", "+31611111111"),
            bulk_document("OLD1"),
            bulk_document("NEW2", "+31611111112", language="en", formality="informal"),
            quiet,
        ]
    ).json()["results"]

    assert [r["status"] for r in results] == [201, 200, 201, 201]
    sent = {m.to: m.text for m in SandboxMessage.objects.all()}
    assert set(sent) == {"+31611111111", "+31611111112"}
    assert "uw boeking NEW1 is bevestigd" in sent["+31611111111"]
    assert "NEW2" in sent["+31611111112"] and "Anna" in sent["+31611111112"]

    api.bulk([bulk_document("NEW1", "+31611111111")])

    assert SandboxMessage.objects.count() == 2


@pytest.mark.django_db
def test_the_persons_stop_wins_over_a_bulk_opt_in(api):
    assert api.put_booking("ABC123").status_code == 201
    address = ContactPoint.objects.get()
    contact_point_opt_out(contact_point=address, source="chat keyword STOP")

    results = api.bulk([bulk_document("ABC123"), bulk_document("XYZ789")]).json()["results"]

    assert [r["status"] for r in results] == [200, 201]
    for result in results:
        assert result["booking"]["passengers"][0]["contacts"][0]["opt_in"] is False
    address.refresh_from_db()
    assert address.opted_in is False
    assert list(address.consent_records.values_list("action", flat=True)) == [
        ConsentRecord.Action.OPT_IN,
        ConsentRecord.Action.OPT_OUT,
    ]


@pytest.mark.django_db
def test_one_address_in_several_bookings_of_a_request_is_one_person(api):
    documents = [
        bulk_document("OUT1", "+31611111111", given_name="Anna"),
        bulk_document("BACK1", "+31611111111", given_name="Anna"),
        bulk_document("OTHER", "+31611111112", given_name="Bram"),
    ]

    results = api.bulk(documents).json()["results"]

    assert [r["status"] for r in results] == [201, 201, 201]
    anna = Customer.objects.get(given_name="Anna")
    assert set(
        Passenger.objects.filter(customer=anna).values_list("booking__reference", flat=True)
    ) == {
        "OUT1",
        "BACK1",
    }
    assert Customer.objects.count() == 2
    assert ContactPoint.objects.get(address="+31611111111").customer == anna
    # One consent record: the second booking found the address opted in already.
    assert ConsentRecord.objects.filter(contact_point__address="+31611111111").count() == 1


@pytest.mark.django_db
def test_a_family_on_one_phone_is_one_person_as_with_the_put(api):
    family = bulk_document("FAM1", "+31611111111", given_name="Anna")
    family["passengers"].append({**family["passengers"][0], "id": "P2", "given_name": "Bram"})
    family["segments"][0]["passengers"] = ["P1", "P2"]

    [result] = api.bulk([family]).json()["results"]

    assert result["status"] == 201
    anna, bram = Passenger.objects.order_by("pax_id")
    # As the single PUT has always stored it: the phone is one person, named by the last.
    assert anna.customer == bram.customer == ContactPoint.objects.get().customer
    assert anna.customer.given_name == "Bram" and Customer.objects.count() == 1
    assert [p["given_name"] for p in result["booking"]["passengers"]] == ["Anna", "Bram"]


@pytest.mark.django_db(transaction=True)
def test_someone_who_wrote_first_becomes_the_passenger_with_their_conversation(api):
    receive("Hoi, mijn vlucht?", address="+31611111111", profile_name="A. de Vries")
    writer = Conversation.objects.get().customer

    [result] = api.bulk([bulk_document("ABC123", "+31611111111")]).json()["results"]

    assert result["status"] == 201
    passenger = Passenger.objects.get()
    assert passenger.customer == writer and Customer.objects.count() == 1
    assert Conversation.objects.get().customer.given_name == "Anna"
    assert result["booking"]["passengers"][0]["contacts"] == [
        {"channel": "whatsapp", "address": "+31611111111", "opt_in": True, "opted_out_at": None}
    ]


@pytest.mark.django_db
def test_an_address_moving_to_another_passenger_merges_the_people(api):
    first = bulk_document("ABC123", "+31611111111", given_name="Anna")
    first["passengers"].append(
        {
            "id": "P2",
            "given_name": "Bram",
            "family_name": "de Vries",
            "contacts": [{"channel": "whatsapp", "address": "+31611111112"}],
        }
    )
    first["segments"][0]["passengers"] = ["P1", "P2"]
    api.bulk([first])
    anna, bram = (Passenger.objects.get(pax_id=p).customer for p in ("P1", "P2"))
    inbox_message = Conversation.objects.create(
        customer=bram,
        contact_point=ContactPoint.objects.get(address="+31611111112"),
        channel="whatsapp",
    )
    # Bram's number turns out to be Anna's second phone.
    first["passengers"][0]["contacts"].append({"channel": "whatsapp", "address": "+31611111112"})

    [result] = api.bulk([first]).json()["results"]

    assert result["status"] == 200
    assert ContactPoint.objects.get(address="+31611111112").customer_id == anna.pk
    assert not Customer.objects.filter(pk=bram.pk).exists()
    assert Passenger.objects.get(pax_id="P2").customer_id == anna.pk
    inbox_message.refresh_from_db()
    assert inbox_message.customer_id == anna.pk


@pytest.mark.django_db
def test_a_replaced_booking_drops_passengers_and_trips_no_longer_sent(api):
    big = bulk_document("ABC123", "+31611111111")
    big["passengers"].append({"id": "P2", "given_name": "Bram", "family_name": "de Vries"})
    big["segments"][0]["passengers"] = ["P1", "P2"]
    big["segments"].append(
        {
            **big["segments"][0],
            "trip": clock.trip("KL1002", offset=8),
            "origin": "LHR",
            "destination": "AMS",
            "scheduled_departure": clock.iso(18, 0, offset=8, tz=clock.LONDON),
            "scheduled_arrival": clock.iso(20, 20, offset=8),
            "passengers": ["P2", "P1"],
        }
    )
    first = api.bulk([big]).json()["results"][0]["booking"]
    assert [s["passengers"] for s in first["segments"]] == [["P1", "P2"], ["P1", "P2"]]
    small = bulk_document("ABC123", "+31611111111")
    small["segments"] = [{**big["segments"][1], "passengers": ["P1"]}]

    [result] = api.bulk([small]).json()["results"]

    booking = result["booking"]
    assert [p["id"] for p in booking["passengers"]] == ["P1"]
    assert [(s["trip"], s["passengers"]) for s in booking["segments"]] == [
        (clock.trip("KL1002", offset=8), ["P1"])
    ]
    assert booking["passengers"][0]["follow_code"] == first["passengers"][0]["follow_code"]
    assert api.get("/bookings/ABC123").json() == booking


@pytest.mark.django_db
def test_a_trip_named_by_several_bookings_takes_the_last_schedule(api):
    early = bulk_document("A1", "+31611111111")
    late = bulk_document("A2", "+31611111112")
    late["segments"][0]["scheduled_departure"] = clock.iso(9, 30)

    results = api.bulk([early, late]).json()["results"]

    expected = clock.iso(9, 30)
    assert api.get("/bookings/A1").json()["segments"][0]["scheduled_departure"] == expected
    assert results[1]["booking"]["segments"][0]["scheduled_departure"] == expected


@pytest.mark.django_db
def test_a_consent_given_after_the_stop_counts_and_one_before_is_warned_about(api, clock):
    from datetime import timedelta

    assert api.put_booking("ABC123").status_code == 201
    address = ContactPoint.objects.get()
    contact_point_opt_out(contact_point=address, source="chat keyword STOP")
    clock.shift(timedelta(minutes=10))
    before = bulk_document("OLD", "+31612345678")
    before["passengers"][0]["contacts"][0]["opt_in_at"] = (
        address.opted_out_at - timedelta(minutes=5)
    ).isoformat()
    after = bulk_document("NEW", "+31612345678")
    after["passengers"][0]["contacts"][0]["opt_in_at"] = (
        address.opted_out_at + timedelta(minutes=5)
    ).isoformat()

    [first] = api.bulk([before]).json()["results"]
    [second] = api.bulk([after]).json()["results"]

    assert [w["field"] for w in first["booking"]["warnings"]] == [
        "passengers[0].contacts[0].opt_in"
    ]
    assert "chat keyword STOP" in first["booking"]["warnings"][0]["message"]
    assert second["booking"]["warnings"] == []
    assert second["booking"]["passengers"][0]["contacts"][0]["opt_in"] is True
    address.refresh_from_db()
    assert address.opted_in is True
