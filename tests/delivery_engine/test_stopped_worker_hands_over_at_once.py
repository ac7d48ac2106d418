"""A worker stopped for a deploy (SIGTERM) in the middle of a fan-out: it stops starting sends,
gives back what it had not started, and another worker carries on at once — no sweep runs here
(no beat), so nothing can have waited for one; nobody hears the message twice."""

import pytest

from tests.delivery_engine.conftest import delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 600
CONCURRENCY = 16  # DELIVERY_SEND_CONCURRENCY's default


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
    at_ask = len(fake.sent("twilio"))
    stack.stop("worker")  # SIGTERM: Celery's warm shutdown
    at_exit = len(fake.sent("twilio"))
    assert at_exit < N, "the fan-out was over before the stop"
    # Its two batches (300 each) had most of their sends to go; after the signal only what was
    # in flight (at most DELIVERY_SEND_CONCURRENCY a batch) and what the rate let start before
    # the flag was seen (100 msg/s, a fifth of a second at most) went out; the rest was given back.
    assert at_exit - at_ask <= 2 * CONCURRENCY + 20, (at_ask, at_exit, stack.logs())

    stack.start_worker("worker2")
    eventually(
        stack,
        lambda: len(received(fake)) == N,
        timeout=30,
        what=lambda: f"{len(received(fake))} of {N} recipients reached",
    )
    assert set(received(fake).values()) == {1}
