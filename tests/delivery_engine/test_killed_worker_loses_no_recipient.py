"""A worker killed with SIGKILL in the middle of a fan-out: every recipient still gets the
message, and at most one gets it twice."""

import pytest

from tests.delivery_engine.conftest import FAST_SWEEP, delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 300


def test_sigkill_mid_fan_out(make_stack):
    recipients_load(n=N)
    # A slow provider pace, so the kill lands while most messages are still to go.
    # Status reports ("sent") carry our delivery id: what went out before the crash is known.
    stack = make_stack(config=FakeConfig(callbacks=("sent",)),
                       env={**FAST_SWEEP, "WHATSAPP_RATE_LIMIT": "150", "DELIVERY_STUCK_AFTER_SECONDS": "8"})
    fake = stack.fake

    post_event(stack, delay(20))
    eventually(stack, lambda: len(fake.sent("twilio")) >= 40, timeout=30, what=lambda: "the fan-out did not start")
    stack.kill("worker")
    at_kill = len(fake.sent("twilio"))
    assert at_kill < N

    stack.start_worker("worker2")
    stack.start_beat()
    eventually(stack, lambda: len(received(fake)) == N, timeout=60,
               what=lambda: f"{len(received(fake))} of {N} recipients reached")
    doubled = [address for address, count in received(fake).items() if count > 1]
    assert len(doubled) <= 1, doubled
