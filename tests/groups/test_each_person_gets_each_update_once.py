import pytest

from tests import clock
from tests.groups.conftest import booking, forget_sent, received

JOOST = "+31611111111"
BRAM = "+31687654321"


@pytest.mark.django_db(transaction=True)
def test_member_of_two_groups_on_one_trip_gets_one_message_naming_both(phones, api):
    body = booking([("P1", "Anna", "de Vries", "nl", "whatsapp", "+31612345678"),
                    ("P2", "Bram", "de Vries", "nl", "whatsapp", BRAM)])
    codes = [p["follow_code"] for p in api.put_booking("GRP010", body).json()["passengers"]]
    phones.whatsapp(JOOST, codes[0], profile="Joost")
    phones.whatsapp(JOOST, f"en ook {codes[1]}", profile="Joost")
    forget_sent()

    response = api.post_event({"type": "departed", "actual_departure": clock.iso(9, 12),
                               "estimated_arrival": clock.iso(9, 41, tz=clock.LONDON)}, trip=body["segments"][0]["trip"])

    assert response.json()["recipients"] == 3
    assert received(JOOST) == [
        "De vlucht KL1001 van Anna en Bram naar Londen is om 09:12 vertrokken. Verwachte aankomst: 09:41 lokale tijd."
    ]


@pytest.mark.django_db(transaction=True)
def test_passenger_who_also_follows_gets_only_the_passenger_message(phones, api, anna):
    bram = booking([("P1", "Bram", "de Vries", "nl", "whatsapp", BRAM)])
    bram["segments"][0]["trip"] = anna["trip"]
    api.put_booking("GRP011", bram)
    phones.whatsapp(BRAM, anna["code"])
    forget_sent()

    api.post_event({"type": "delayed", "estimated_departure": clock.iso(10, 15)}, trip=anna["trip"])

    [message] = received(BRAM)
    assert message.startswith("Hoi Bram, je vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: 10:15")
