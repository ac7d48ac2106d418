"""Delay 10:20, then 10:40, then 11:05 while the provider is down: once it is back, the
traveller gets 11:05 only — not three messages, and never an older time after a newer one."""

import time

import httpx
import pytest

from notifications.models import Delivery
from tests import clock
from tests.delivery_engine.conftest import FAST_SWEEP, delay, eventually, post_event, variables
from tests.delivery_engine.recipients import recipients_load
from tests.e2e.conftest import wait_until
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_only_the_latest_delay_goes_out(make_stack):
    recipients_load(n=3)
    stack = make_stack(config=FakeConfig(down=True), env=FAST_SWEEP, beat=True)
    fake = stack.fake

    first = post_event(stack, delay(20))
    wait_until(
        lambda: fake.refused_count(503) >= 3, timeout=20, message="the first delay was never tried"
    )
    second = post_event(stack, delay(40))
    last = post_event(stack, {"type": "delayed", "estimated_departure": clock.iso(11, 5)})
    # The provider comes back once all three are in (the last one fanned out) and the older ones
    # have settled: a send already in flight when a newer update arrives cannot be called back.
    wait_until(lambda: Delivery.objects.filter(event_id=last["id"]).count() == 3, timeout=20)
    wait_until(
        lambda: (
            not Delivery.objects.filter(event_id__in=[first["id"], second["id"]])
            .exclude(status="superseded")
            .exists()
        ),
        timeout=20,
        message="the older delays were not superseded while the provider was down",
    )
    fake.config.down = False

    eventually(
        stack,
        lambda: len(fake.sent("twilio")) >= 3,
        timeout=30,
        what=lambda: "nothing went out after the provider came back",
    )
    time.sleep(3)  # a sweep or two: time for anything older to go out, were it to
    sent = fake.sent("twilio")
    assert len(sent) == 3
    assert all(
        "11:05" in variables(r).values() and "10:20" not in variables(r).values() for r in sent
    )

    def counts(event):
        return httpx.get(
            f"{stack.web_url}/api/v1/events/{event['id']}",
            timeout=5,
            headers={"Authorization": f"Bearer {stack.api_key}"},
        ).json()["deliveries"]

    # The replaced updates count nowhere: they never went out.
    assert (
        counts(first)
        == counts(second)
        == {"pending": 0, "sent": 0, "delivered": 0, "read": 0, "failed": 0}
    )
    wait_until(lambda: counts(last)["delivered"] == 3, timeout=10, message=str(counts(last)))
