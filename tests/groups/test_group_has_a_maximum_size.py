import pytest

from tests.groups.conftest import received
from update_groups.models import GroupMembership


@pytest.mark.django_db(transaction=True)
def test_a_full_group_refuses_the_next_relative(phones, anna, settings):
    settings.UPDATE_GROUP_MAX_MEMBERS = 2  # read when the group is made

    for number in ("+31611111111", "+31622222222", "+31633333333"):
        phones.whatsapp(number, anna["code"])

    assert GroupMembership.objects.count() == 2
    assert received("+31633333333") == [
        "This update group is full (2 people). Ask the traveller to remove someone."
    ]
