"""A database migrated from scratch (not reloaded by a test) has every message as the catalogue
words it."""

import pytest

from notifications.catalogue import DEFAULTS
from notifications.models import MessageTemplate


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind",
    [
        "gate_changed",
        "boarding",
        "delayed",
        "departed",
        "arrived",
        "cancelled",
        "group_delayed",
        "group_departed",
        "group_arrived",
        "group_cancelled",
        "group_gate_changed",
    ],
)
def test_migrated_trip_messages_read_as_the_catalogue(kind):
    variables, bodies = DEFAULTS[kind]
    for channel in ("whatsapp", "messenger"):
        rows = {
            (t.language, t.formality): t
            for t in MessageTemplate.objects.filter(channel=channel, kind=kind)
        }
        assert {k: t.body for k, t in rows.items()} == bodies
        assert all(t.variables == variables for t in rows.values())
