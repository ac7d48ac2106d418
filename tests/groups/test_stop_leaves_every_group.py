import pytest

from core.models import ConsentRecord
from tests.groups.conftest import booking, forget_sent, received, trip_time
from update_groups.models import GroupMembership

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_stop_leaves_every_group_with_one_confirmation_and_silences(phones, api, anna):
    sophie = booking([("P1", "Sophie", "Jansen", "nl", "whatsapp", "+31622222222")])
    sophie_code = api.put_booking("GRP020", sophie).json()["passengers"][0]["follow_code"]
    phones.whatsapp(JOOST, anna["code"])
    phones.whatsapp(JOOST, sophie_code)
    forget_sent()

    phones.whatsapp(JOOST, "STOP")

    [confirmation] = received(JOOST)
    assert "geen berichten meer via dit kanaal" in confirmation
    assert set(GroupMembership.objects.values_list("left_reason", flat=True)) == {"stop"}
    assert list(
        ConsentRecord.objects.filter(contact_point__address=JOOST).values_list("action", flat=True)
    ) == ["opt_in", "opt_out"]

    assert (
        api.post_event(
            {"type": "arrived", "actual_arrival": trip_time(anna["trip"], 85)[0]}, trip=anna["trip"]
        ).status_code
        == 202
    )

    assert received(JOOST) == [confirmation]
