"""A worker killed with SIGKILL in the middle of a fan-out: every recipient still gets the
message within 60 s of the kill, and at most one person hears it twice.

The dead worker's claims are taken over when their lease runs out (DELIVERY_LEASE_SECONDS, 15 s,
found by the lease sweep every 5 s); the sweep timings are production's, so nothing here waits
for DELIVERY_STUCK_AFTER_SECONDS or the minute-long sweep. A send the provider accepted but
whose answer the dead worker had not yet recorded cannot be known as sent unless its status
callback got in first: that is the at-least-once edge, the last sends before the kill. The
callbacks carry our delivery id and come in long before a lease runs out, so the sends the dead
worker had on the wire are known as sent and not made again; one may still slip between the
provider's answer and its callback."""

import time

import pytest

from tests.delivery_engine.conftest import delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 300
CONCURRENCY = 16  # DELIVERY_SEND_CONCURRENCY's default


def test_sigkill_mid_fan_out(make_stack):
    recipients_load(n=N)
    # A slow provider pace, so the kill lands while most messages are still to go.
    # Status reports ("sent") carry our delivery id: what went out before the crash is known.
    stack = make_stack(
        config=FakeConfig(callbacks=("sent",)),
        env={"WHATSAPP_RATE_LIMIT": "150", "DELIVERY_RETRY_BASE_SECONDS": "0.3"},
    )
    fake = stack.fake

    post_event(stack, delay(20))
    eventually(
        stack,
        lambda: len(fake.sent("twilio")) >= 40,
        timeout=30,
        what=lambda: "the fan-out did not start",
    )
    stack.kill("worker")
    killed_at = time.monotonic()
    at_kill = len(fake.sent("twilio"))
    assert at_kill < N

    stack.start_worker("worker2")
    stack.start_beat()
    eventually(
        stack,
        lambda: len(received(fake)) == N,
        timeout=60 - (time.monotonic() - killed_at),
        what=lambda: f"{len(received(fake))} of {N} recipients reached",
    )
    doubled = [address for address, count in received(fake).items() if count > 1]
    # Around the kill: the last sends before it, or one the dead worker had on the wire.
    around_kill = fake.sent("twilio")[at_kill - CONCURRENCY : at_kill + CONCURRENCY]
    in_flight = {r.form["To"].removeprefix("whatsapp:") for r in around_kill}
    assert len(doubled) <= 1 and set(doubled) <= in_flight, (doubled, at_kill)
