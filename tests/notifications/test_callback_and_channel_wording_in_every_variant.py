"""The call-back and channel-switch messages exist in Dutch and English, formal and informal,
address the person the way the variant says, and are in a freshly migrated catalogue."""

import re

import pytest

from notifications.catalogue import DEFAULTS
from notifications.models import MessageTemplate

KINDS = [
    "callback_time_question",
    "callback_number_question",
    "callback_scheduled",
    "callback_moved",
    "callback_missed",
    "channel_switched",
]
VARIANTS = [("nl", "formal"), ("nl", "informal"), ("en", "formal"), ("en", "informal")]


@pytest.mark.parametrize("kind", KINDS)
def test_four_variants_with_every_variable_once(kind):
    variables, bodies = DEFAULTS[kind]
    assert sorted(bodies) == sorted(VARIANTS)
    for body in bodies.values():
        numbers = re.findall(r"\{\{(\d+)\}\}", body)
        assert sorted(numbers, key=int) == [str(n) for n in range(1, len(variables) + 1)]


@pytest.mark.parametrize("kind", KINDS)
def test_dutch_says_u_or_je_as_the_variant_does(kind):
    _, bodies = DEFAULTS[kind]
    formal, informal = bodies[("nl", "formal")], bodies[("nl", "informal")]
    assert re.search(r"\bu\b", formal) and not re.search(r"\b(je|jij|jou)\b", formal)
    assert re.search(r"\bje\b", informal) and not re.search(r"\b(u|uw)\b", informal)
    assert formal.startswith("Beste {{1}}") and informal.startswith("Hoi {{1}}")
    assert bodies[("en", "formal")].startswith("Dear {{1}}")
    assert bodies[("en", "informal")].startswith("Hi {{1}}")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_migrated_catalogue_has_them_on_both_channels(kind):
    variables, bodies = DEFAULTS[kind]
    for channel in ("whatsapp", "messenger"):
        rows = MessageTemplate.objects.filter(channel=channel, kind=kind)
        assert {(t.language, t.formality): t.body for t in rows} == bodies
        assert all(t.variables == variables for t in rows)
