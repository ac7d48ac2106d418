"""Three quick events on one trip (gate change, delay, boarding) while sends fail now and then:
each person receives them once each, in the order the events happened."""

import pytest

from tests import clock
from tests.delivery_engine.conftest import FAST_SWEEP, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 40
EVENTS = [
    {"type": "gate_changed", "gate": "D7"},
    {"type": "delayed", "estimated_departure": clock.iso(10, 20)},
    {"type": "boarding", "gate": "D7"},
]


def test_each_person_hears_the_events_in_order(make_stack):
    recipients_load(n=N)
    stack = make_stack(config=FakeConfig(fail_ratio=0.25), env=FAST_SWEEP, beat=True)
    fake = stack.fake

    for body in EVENTS:
        post_event(stack, body)
    eventually(
        stack,
        lambda: sum(received(fake).values()) >= N * len(EVENTS),
        timeout=60,
        what=lambda: f"{sum(received(fake).values())} of {N * len(EVENTS)} sent",
    )

    templates = {}
    for record in fake.sent("twilio"):
        templates.setdefault(record.form["To"], []).append(record.form["ContentSid"])
    in_order = templates["whatsapp:+31620000000"]
    assert len(set(in_order)) == 3  # three different messages
    out_of_order = {to: seen for to, seen in templates.items() if seen != in_order}
    assert not out_of_order, (in_order, out_of_order)
    assert set(received(fake).values()) == {3}
