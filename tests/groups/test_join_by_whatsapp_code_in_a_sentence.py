import pytest

from core.models import ConsentRecord, ContactPoint
from tests.groups.conftest import ANNA, forget_sent, received, trip_time
from update_groups.models import GroupMembership

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_code_inside_a_sentence_in_any_case_joins_with_one_confirmation(phones, anna, api):
    forget_sent()

    phones.whatsapp(
        JOOST,
        f"Hoi! Ik wil graag de reis van Anna volgen, code: {anna['code'].lower()} 👍",
        profile="Joost de Vries",
    )

    [confirmation] = received(JOOST)
    assert confirmation.startswith(
        "U volgt nu de reis van Anna: vlucht KL1001 van Amsterdam naar Londen op "
    )
    assert "Stuur STOP om u af te melden." in confirmation
    # The traveller sees who joined, never their number.
    [notice] = received(ANNA)
    assert notice == (
        "Hoi Anna, Joost de Vries volgt nu je reis en krijgt berichten over vertrek, vertraging "
        "en landing. Stuur 'wie volgt mij?' om te zien wie je volgt."
    )
    membership = GroupMembership.objects.get()
    assert (membership.join_source, membership.left_at) == ("whatsapp_code", None)
    joost = ContactPoint.objects.get(address=JOOST)
    consent = ConsentRecord.objects.get(contact_point=joost)
    assert (consent.action, consent.source) == ("opt_in", "joined update group of Anna de Vries")

    forget_sent()
    landed, hhmm = trip_time(anna["trip"], 85, "LHR")
    response = api.post_event({"type": "arrived", "actual_arrival": landed}, trip=anna["trip"])

    assert response.status_code == 202 and response.json()["recipients"] == 2
    assert received(JOOST) == [
        f"De vlucht van Anna naar Londen (KL1001) is om {hhmm} lokale tijd geland."
    ]


@pytest.mark.django_db(transaction=True)
def test_sending_the_code_again_does_not_join_twice(phones, anna):
    phones.whatsapp(JOOST, anna["code"], profile="Joost")
    forget_sent()

    phones.whatsapp(JOOST, anna["code"], profile="Joost")

    assert received(JOOST) == ["U volgt de reis van Anna al. Stuur STOP om u af te melden."]
    assert received(ANNA) == []
    assert GroupMembership.objects.count() == 1
