"""The update-group models moved from notifications to update_groups without touching a row: a
database that still has the old schema, with a group in it, keeps the group and its members."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from update_groups.models import GroupJoinAttempt, GroupMembership, UpdateGroup

BEFORE = ("notifications", "0009_opt_in_again_kinds")  # the last state with the groups in there


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _old_schema():
    """The database as it was before the move, and the models as they were then."""
    _migrate([BEFORE, ("update_groups", None), ("documents", None), ("insights", None)])
    # Apps built on the engine's later migrations (documents, insights) are left out of the old
    # state too.
    later = ("notifications", "update_groups", "documents", "insights")
    others = [node for node in _latest() if node[0] not in later]
    return MigrationExecutor(connection).loader.project_state([BEFORE, *others]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_group_made_before_the_move_is_there_after_it():
    old = _old_schema()
    try:
        assert "updategroup" in old.all_models["notifications"]
        customer = old.get_model("core", "Customer")
        anna = customer.objects.create(given_name="Anna", family_name="de Vries")
        joost = customer.objects.create(given_name="Joost", language="nl")
        address = old.get_model("core", "ContactPoint").objects.create(
            customer=joost, channel="whatsapp", address="+31611111111", opted_in=True
        )
        group = old.get_model("notifications", "UpdateGroup").objects.create(
            owner=anna, max_members=25
        )
        old.get_model("notifications", "GroupMembership").objects.create(
            group=group, contact_point=address, customer=joost, join_source="whatsapp_code"
        )
        old.get_model("notifications", "GroupJoinAttempt").objects.create(contact_point=address)
    finally:
        _migrate(_latest())

    moved = UpdateGroup.objects.get()
    assert moved.owner.full_name == "Anna de Vries"
    [member] = GroupMembership.objects.filter(group=moved, left_at__isnull=True)
    assert (member.customer.full_name, member.contact_point.address) == ("Joost", "+31611111111")
    assert GroupJoinAttempt.objects.filter(contact_point=member.contact_point).count() == 1
