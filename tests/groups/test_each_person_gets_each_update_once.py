import pytest

from tests.groups.conftest import booking, forget_sent, received, trip_time

JOOST = "+31611111111"
BRAM = "+31687654321"


@pytest.mark.django_db(transaction=True)
def test_member_of_two_groups_on_one_trip_gets_one_message_naming_both(phones, api):
    body = booking(
        [
            ("P1", "Anna", "de Vries", "nl", "whatsapp", "+31612345678"),
            ("P2", "Bram", "de Vries", "nl", "whatsapp", BRAM),
        ]
    )
    codes = [p["follow_code"] for p in api.put_booking("GRP010", body).json()["passengers"]]
    phones.whatsapp(JOOST, codes[0], profile="Joost")
    phones.whatsapp(JOOST, f"en ook {codes[1]}", profile="Joost")
    forget_sent()

    trip = body["segments"][0]["trip"]
    (departed, took_off), (arriving, lands) = trip_time(trip, 12), trip_time(trip, 41, "LHR")
    response = api.post_event(
        {"type": "departed", "actual_departure": departed, "estimated_arrival": arriving}, trip=trip
    )

    assert response.json()["recipients"] == 3
    assert received(JOOST) == [
        f"De vlucht van Anna en Bram naar Londen (KL1001) is om {took_off} vertrokken. "
        f"Verwachte aankomst: {lands} lokale tijd."
    ]


@pytest.mark.django_db(transaction=True)
def test_passenger_who_also_follows_gets_only_the_passenger_message(phones, api, anna):
    bram = booking([("P1", "Bram", "de Vries", "nl", "whatsapp", BRAM)])
    bram["segments"][0]["trip"] = anna["trip"]
    api.put_booking("GRP011", bram)
    phones.whatsapp(BRAM, anna["code"])
    forget_sent()

    delayed, hhmm = trip_time(anna["trip"], 75)
    api.post_event({"type": "delayed", "estimated_departure": delayed}, trip=anna["trip"])

    [message] = received(BRAM)
    assert message.startswith(
        f"Hoi Bram, je vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: {hhmm}"
    )
