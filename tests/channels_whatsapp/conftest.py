"""Twilio credentials, signed webhook posts and a fake Messages API, as Twilio speaks them."""

import json
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from twilio.request_validator import RequestValidator

from core.messaging import reset_adapters
from tests.fakes.twilio_api import TwilioApiMock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"
ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"
AUTH_TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SENDER = "whatsapp:+31850000000"
API_BASE = "https://twilio.fake.test"
MESSAGES_URL = f"{API_BASE}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
# Twilio calls the public origin; the test client talks to the internal host "testserver".
PUBLIC_BASE_URL = "https://hooks.thuisfront.example"
INBOUND_PATH = "/webhooks/whatsapp/twilio/"
STATUS_PATH = "/webhooks/whatsapp/twilio/status/"


def load(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def sign(url: str, form: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def post_twilio(client, path: str, form: dict, *, signature: str | None = None):
    """POST a form the way Twilio does: urlencoded, signed over the public URL."""
    if signature is None:
        signature = sign(PUBLIC_BASE_URL + path, form)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(
        path, data=urlencode(form), content_type="application/x-www-form-urlencoded", **headers
    )


async def apost_twilio(client, path: str, form: dict):
    """post_twilio for Django's AsyncClient: many at once with asyncio.gather."""
    return await client.post(
        path,
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": sign(PUBLIC_BASE_URL + path, form)},
    )


def sent_form(call) -> dict[str, str]:
    return dict(parse_qsl(call.request.body, keep_blank_values=True))


@pytest.fixture
def twilio(settings):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_WHATSAPP_FROM = SENDER
    settings.TWILIO_API_BASE = API_BASE
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.MESSAGING_ADAPTERS = {
        **settings.MESSAGING_ADAPTERS,
        "whatsapp": "channels_whatsapp.adapter.TwilioAdapter",
    }
    reset_adapters()
    yield settings
    reset_adapters()


@pytest.fixture
def twilio_api(twilio):
    """Twilio's Messages API: 201 with a fresh SM… sid per send, as in the recorded answer."""

    def created(request):
        form = dict(parse_qsl(request.body))
        body = {
            **load("message_created"),
            "sid": "SM" + uuid.uuid4().hex,
            "to": form["To"],
            "body": form.get("Body", ""),
        }
        return 201, {"Content-Type": "application/json"}, json.dumps(body)

    with TwilioApiMock() as mock:
        mock.add_callback(MESSAGES_URL, created)
        yield mock
