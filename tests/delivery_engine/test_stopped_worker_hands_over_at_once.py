"""A worker stopped for a deploy (SIGTERM) in the middle of a fan-out: it stops starting sends,
gives back what it had not started, and another worker carries on at once — no sweep runs here
(no beat), so nothing can have waited for one; nobody hears the message twice."""

import time

import pytest

from tests.delivery_engine.conftest import delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 600


def test_sigterm_mid_fan_out_hands_the_rest_over(make_stack):
    recipients_load(n=N)
    # 100 msg/s: the fan-out takes six seconds, so the stop lands in the middle of it.
    stack = make_stack(
        config=FakeConfig(callbacks=()),
        env={"WHATSAPP_RATE_LIMIT": "100", "DELIVERY_SEND_BATCH": "300"},
    )
    fake = stack.fake

    post_event(stack, delay(20))
    eventually(
        stack,
        lambda: len(fake.sent("twilio")) >= 60,
        timeout=30,
        what=lambda: "the fan-out did not start",
    )
    asked = time.monotonic()
    stack.stop("worker")  # SIGTERM: Celery's warm shutdown
    stopped_in = time.monotonic() - asked
    at_stop = len(fake.sent("twilio"))
    assert at_stop < N, "the fan-out was over before the stop"
    # Finishing the batches would have taken (N - at_stop) / 100 s: they gave the rest back.
    assert stopped_in < 0.5 * (N - at_stop) / 100, (stopped_in, at_stop)

    stack.start_worker("worker2")
    eventually(
        stack,
        lambda: len(received(fake)) == N,
        timeout=30,
        what=lambda: f"{len(received(fake))} of {N} recipients reached",
    )
    assert set(received(fake).values()) == {1}
