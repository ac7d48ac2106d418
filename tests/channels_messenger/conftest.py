"""Messenger configured against a fake Graph API (respx) and Meta-format webhook fixtures."""

import copy
import hashlib
import hmac
import json
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import respx
from django.utils import timezone

from core.messaging import reset_adapters
from core.models import ContactPoint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "messenger"
PAGE_ID = "1000000000001"
PSID = "6024899027565234"
TOKEN = "EAAPageToken"
APP_SECRET = "messenger-app-secret"
VERIFY_TOKEN = "verify-me"
SEND_URL = f"https://graph.facebook.com/v25.0/{PAGE_ID}/messages"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_events(client, payload, *, secret: str = APP_SECRET, header: str | None = None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "HTTP_X_HUB_SIGNATURE_256": header if header is not None else signature(body, secret)
    }
    return client.post(
        "/webhooks/messenger/", data=body, content_type="application/json", **headers
    )


def now_ms(offset: timedelta = timedelta()) -> int:
    return int((time.time() + offset.total_seconds()) * 1000)


def delivery_event(psid: str, mids: list[str], watermark: int) -> dict:
    payload = copy.deepcopy(fixture("webhook_delivery"))
    item = payload["entry"][0]["messaging"][0]
    item["sender"]["id"] = psid
    item["delivery"] = {"mids": mids, "watermark": watermark} if mids else {"watermark": watermark}
    return payload


def read_event(psid: str, watermark: int) -> dict:
    payload = copy.deepcopy(fixture("webhook_read"))
    item = payload["entry"][0]["messaging"][0]
    item["sender"]["id"] = psid
    item["read"]["watermark"] = watermark
    return payload


@pytest.fixture
def messenger(settings):
    """Messenger credentials set and the real adapter selected (no sandbox)."""
    settings.MESSENGER_PAGE_ID = PAGE_ID
    settings.MESSENGER_PAGE_ACCESS_TOKEN = TOKEN
    settings.MESSENGER_APP_SECRET = APP_SECRET
    settings.MESSENGER_VERIFY_TOKEN = VERIFY_TOKEN
    settings.MESSENGER_API_BASE = "https://graph.facebook.com"
    settings.MESSENGER_API_VERSION = "v25.0"
    settings.MESSAGING_ADAPTERS = {
        **settings.MESSAGING_ADAPTERS,
        "messenger": "channels_messenger.adapter.MessengerAdapter",
    }
    reset_adapters()
    yield settings
    reset_adapters()


@pytest.fixture
def graph():
    """The Graph API, faked at the HTTP edge; nothing else may be called."""
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
def graph_sends(graph):
    """Every send answered like Meta does, each with its own message id."""
    counter = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        counter["n"] += 1
        body = json.loads(request.content)
        return httpx.Response(
            200,
            json={"recipient_id": body["recipient"]["id"], "message_id": f"m_sent-{counter['n']}"},
        )

    return graph.post(SEND_URL).mock(side_effect=answer)


@pytest.fixture
def messenger_person(make_booking):
    """Anna, opted in on Messenger through her booking; returns her contact point."""
    make_booking("MSG001", [("P1", "Anna", "de Vries", "nl", "formal", PSID)], channel="messenger")
    return ContactPoint.objects.get(channel="messenger", address=PSID)


def open_window(contact_point: ContactPoint, ago: timedelta = timedelta(hours=1)) -> None:
    contact_point.last_inbound_at = timezone.now() - ago
    contact_point.save(update_fields=["last_inbound_at"])
