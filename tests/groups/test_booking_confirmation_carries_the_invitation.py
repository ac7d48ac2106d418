import importlib

import pytest
from django.apps import apps

from notifications.models import MessageTemplate
from tests.groups.conftest import ANNA, received


@pytest.mark.django_db(transaction=True)
def test_confirmation_has_the_code_and_ready_to_forward_links(anna):
    [confirmation] = received(ANNA)

    code = anna["code"]
    assert (
        f"Stuur ze je code {code} of een van deze links: "
        f"WhatsApp https://wa.me/31850000000?text={code} of "
        f"Messenger https://m.me/thuisfront.demo?ref={code}."
    ) in confirmation


@pytest.mark.django_db
def test_migration_updates_the_old_default_but_not_an_operators_edit():
    migration = importlib.import_module("notifications.migrations.0004_update_groups")
    old = migration.OLD_BOOKING_CONFIRMATION[("en", "formal")]
    MessageTemplate.objects.filter(
        kind="booking_confirmation", language="en", formality="formal"
    ).update(body=old)
    MessageTemplate.objects.filter(
        channel="messenger", kind="booking_confirmation", language="en", formality="formal"
    ).update(body="Edited by an operator {{1}}")

    migration._load(apps, None)

    rows = dict(
        MessageTemplate.objects.filter(
            kind="booking_confirmation", language="en", formality="formal"
        ).values_list("channel", "body")
    )
    assert "{{4}}" in rows["whatsapp"] and rows["messenger"] == "Edited by an operator {{1}}"
