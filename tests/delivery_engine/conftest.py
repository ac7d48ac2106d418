"""The delivery engine under real PostgreSQL and Redis; providers faked over HTTP."""

import json
import uuid
from collections import Counter

import httpx
import pytest

from core.messaging import reset_adapters
from core.services import api_key_create
from notifications import ratelimit
from tests import clock
from tests.e2e.conftest import make_stack, wait_until  # noqa: F401  (make_stack: real processes)
from tests.fakes.providers import FakeConfig, FakeProviders

# Short sweeps, so that recovery shows within seconds instead of minutes.
FAST_SWEEP = {
    "DELIVERY_SWEEP_INTERVAL_SECONDS": "1",
    "DELIVERY_SWEEP_GRACE_SECONDS": "2",
    "DELIVERY_STUCK_AFTER_SECONDS": "4",
    "DELIVERY_RETRY_BASE_SECONDS": "0.3",
}


def delay(minutes_past_ten: int) -> dict:
    return {"type": "delayed", "estimated_departure": clock.iso(10, minutes_past_ten)}


def post_event(stack, body: dict, key: str | None = None) -> dict:
    api_key = getattr(stack, "api_key", None)
    if api_key is None:
        _, api_key = api_key_create(name="engine")
        stack.api_key = api_key
    response = httpx.post(
        f"{stack.web_url}/api/v1/trips/{clock.TRIP}/events",
        json=body,
        timeout=10,
        headers={"Authorization": f"Bearer {api_key}", "Idempotency-Key": key or uuid.uuid4().hex},
    )
    assert response.status_code == 202, response.text
    return response.json()


def received(fake: FakeProviders) -> Counter:
    """How many messages each WhatsApp address got (accepted sends only)."""
    return Counter(r.form["To"].removeprefix("whatsapp:") for r in fake.sent("twilio"))


def variables(record) -> dict:
    return json.loads(record.form.get("ContentVariables") or "{}")


@pytest.fixture
def fake_twilio(settings):
    """Twilio faked over HTTP, called in-process by the real adapter (no status callbacks)."""
    fake = FakeProviders(FakeConfig(callbacks=())).start()
    settings.TWILIO_ACCOUNT_SID = fake.config.twilio_account_sid
    settings.TWILIO_AUTH_TOKEN = fake.config.twilio_auth_token
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+31850000000"
    settings.TWILIO_API_BASE = fake.base_url
    settings.PUBLIC_BASE_URL = "http://testserver"
    settings.MESSAGING_ADAPTERS = {
        **settings.MESSAGING_ADAPTERS,
        "whatsapp": "channels_whatsapp.adapter.TwilioAdapter",
    }
    reset_adapters()
    ratelimit.reset()
    yield fake
    reset_adapters()
    ratelimit.reset()
    fake.stop()


def eventually(stack, predicate, *, timeout: float, what) -> None:
    """Wait for predicate(); on timeout fail with what() as it is then, and the processes' logs."""
    try:
        wait_until(predicate, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"{what()}\n{stack.logs()}") from None
