"""A provider failing 30% of sends with 5xx and throttling with 429 + Retry-After: everyone
gets the message exactly once, and the event's counts end up all delivered."""

import httpx
import pytest

from tests.delivery_engine.conftest import FAST_SWEEP, delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.e2e.conftest import wait_until
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 40


def test_transient_failures_are_retried_until_delivered_once(make_stack):
    recipients_load(n=N)
    stack = make_stack(
        config=FakeConfig(fail_ratio=0.3, throttle_ratio=0.1, retry_after=1),
        env=FAST_SWEEP,
        beat=True,
    )
    fake = stack.fake

    event = post_event(stack, delay(20))
    eventually(
        stack,
        lambda: len(received(fake)) == N,
        timeout=60,
        what=lambda: f"{len(received(fake))} of {N} reached",
    )
    assert fake.refused_count(503) > 0 and fake.refused_count(429) > 0
    assert set(received(fake).values()) == {1}

    def counts():
        return httpx.get(
            f"{stack.web_url}/api/v1/events/{event['id']}",
            timeout=5,
            headers={"Authorization": f"Bearer {stack.api_key}"},
        ).json()["deliveries"]

    wait_until(lambda: counts()["delivered"] == N, timeout=20, message=str(counts()))
    assert counts() == {"pending": 0, "sent": 0, "delivered": N, "read": 0, "failed": 0}
