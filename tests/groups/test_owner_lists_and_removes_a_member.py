import pytest

from tests.groups.conftest import ANNA, forget_sent, received, trip_time
from update_groups.models import GroupMembership

JOOST, TRUUS = "+31611111111", "demo-psid-truus"


@pytest.mark.django_db(transaction=True)
def test_traveller_sees_names_only_and_removes_one_by_number(phones, api, anna):
    phones.whatsapp(JOOST, anna["code"], profile="Joost de Vries")
    phones.open_link(TRUUS, anna["code"])
    forget_sent()

    phones.whatsapp(ANNA, "Wie volgt mij?")

    [listing] = received(ANNA)
    assert listing.startswith("Hoi Anna, wie je reis volgt: 1. Joost de Vries; 2. iemand.")
    assert JOOST not in listing and TRUUS not in listing

    phones.whatsapp(ANNA, "verwijder 1")

    assert (
        received(ANNA)[-1]
        == "Hoi Anna, Joost de Vries volgt je reis niet meer en krijgt geen berichten meer."
    )
    assert received(JOOST) == [
        "Anna heeft u uit de updategroep gehaald: u krijgt geen berichten meer over deze reis."
    ]
    assert GroupMembership.objects.get(contact_point__address=JOOST).left_reason == "removed"
    forget_sent()

    assert (
        api.post_event(
            {"type": "arrived", "actual_arrival": trip_time(anna["trip"], 85)[0]}, trip=anna["trip"]
        ).status_code
        == 202
    )

    assert received(JOOST) == []
    assert len(received(TRUUS)) == 1
