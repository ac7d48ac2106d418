from datetime import timedelta

import pytest

from core.models import ContactPoint, Customer, InboundMessage, Trip
from tests.groups.conftest import forget_sent, received
from update_groups.models import GroupMembership, UpdateGroup
from update_groups.tasks import groups_expire

JOOST = "+31611111111"


@pytest.mark.django_db(transaction=True)
def test_goodbye_after_thirty_idle_days_then_members_data_is_removed(phones, anna):
    phones.whatsapp(JOOST, anna["code"], profile="Joost")
    arrival = Trip.objects.get().scheduled_arrival
    UpdateGroup.objects.update(created_at=arrival - timedelta(days=1))
    forget_sent()

    from update_groups.services import groups_expire as expire

    assert expire(now=arrival + timedelta(days=29))["ended"] == 0
    assert expire(now=arrival + timedelta(days=31))["ended"] == 1
    [goodbye] = received(JOOST)
    assert goodbye.startswith("De updategroep van Anna is beëindigd: er was 30 dagen geen reis.")
    assert UpdateGroup.objects.get().ended_at is not None

    expire(now=arrival + timedelta(days=33))

    assert not GroupMembership.objects.exists()
    assert not ContactPoint.objects.filter(address=JOOST).exists()
    assert not InboundMessage.objects.filter(from_address=JOOST).exists()
    assert Customer.objects.filter(given_name="Anna").exists()  # the traveller stays


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_runs_the_expiry(anna):
    assert groups_expire() == {"ended": 0, "purged": 0}
