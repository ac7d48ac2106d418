"""Update groups through the real edges: signed Twilio and Meta webhooks, the REST API, and the
sandbox outbox (SandboxMessage rows are what each phone received)."""

import copy
import json
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from core.models import Passenger
from core.services import api_key_create
from sandbox import wire
from sandbox.models import SandboxMessage
from tests.api.helpers import Api
from tests.channels_messenger.conftest import APP_SECRET, signature

AUTH_TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PUBLIC_BASE_URL = "https://hooks.thuisfront.example"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ANNA = "+31612345678"


@pytest.fixture
def webhooks(settings):
    """Signatures checked as in production; sends go to the sandbox outbox."""
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.MESSENGER_APP_SECRET = APP_SECRET
    settings.MESSENGER_PAGE_ID = wire.SANDBOX_PAGE_ID  # the page the events are for
    settings.WHATSAPP_PUBLIC_NUMBER = "+31850000000"
    settings.MESSENGER_PAGE_NAME = "thuisfront.demo"
    return settings


class Phones:
    """People writing to us on WhatsApp and Messenger, through the webhooks."""

    def __init__(self, client) -> None:
        self.client = client

    def whatsapp(self, number: str, text: str, *, profile: str = "", media: dict | None = None):
        form = wire.twilio_inbound_form(from_e164=number, text=text, profile_name=profile)
        if media:
            form.update(
                {
                    "NumMedia": "1",
                    "MediaUrl0": media["url"],
                    "MediaContentType0": media["content_type"],
                }
            )
        path = "/webhooks/whatsapp/twilio/"
        signed = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, form)
        response = self.client.post(
            path,
            data=urlencode(form),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_TWILIO_SIGNATURE=signed,
        )
        assert response.status_code == 200, response.content
        return response

    def _messenger(self, payload: dict):
        body = json.dumps(payload).encode()
        response = self.client.post(
            "/webhooks/messenger/",
            data=body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=signature(body),
        )
        assert response.status_code == 200, response.content
        return response

    def messenger(self, psid: str, text: str):
        return self._messenger(wire.messenger_message_event(psid=psid, text=text))

    def open_link(self, psid: str, ref: str, *, new_thread: bool = False):
        """m.me/<page>?ref=<ref>: a referral, or in a new thread Get Started carrying the
        referral."""
        if not new_thread:
            return self._messenger(wire.messenger_referral_event(psid=psid, ref=ref))
        payload = copy.deepcopy(wire.messenger_referral_event(psid=psid, ref=ref))
        item = payload["entry"][0]["messaging"][0]
        item["postback"] = {
            "title": "Get Started",
            "payload": "GET_STARTED",
            "referral": item.pop("referral"),
        }
        return self._messenger(payload)


@pytest.fixture
def phones(client, webhooks):
    return Phones(client)


def received(address: str) -> list[str]:
    """What one phone received from us, oldest first."""
    return list(
        SandboxMessage.objects.filter(to=address)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )


def forget_sent() -> None:
    SandboxMessage.objects.all().delete()


@pytest.fixture
def api(db) -> Api:
    _, key = api_key_create(name="booking engine")
    return Api(key)


def trip_key(departure) -> str:
    return f"KL1001/{departure.astimezone(AMSTERDAM).date().isoformat()}"


def booking(passengers: list[tuple], *, departure=None) -> dict:
    """A booking on KL1001 AMS → LHR leaving in two hours; passengers
    (id, given, family, language, channel, address)."""
    departure = departure or (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    return {
        "passengers": [
            {
                "id": p[0],
                "given_name": p[1],
                "family_name": p[2],
                "language": p[3],
                "formality": "informal",
                "contacts": [{"channel": p[4], "address": p[5], "opt_in": True}] if p[5] else [],
            }
            for p in passengers
        ],
        "segments": [
            {
                "trip": trip_key(departure),
                "origin": "AMS",
                "destination": "LHR",
                "scheduled_departure": departure.isoformat(),
                "scheduled_arrival": (departure + timedelta(minutes=80)).isoformat(),
                "passengers": [p[0] for p in passengers],
            },
        ],
    }


@pytest.fixture
def anna(api):
    """Anna de Vries books KL1001 (Dutch, WhatsApp); returns her follow code and trip key."""
    body = booking([("P1", "Anna", "de Vries", "nl", "whatsapp", ANNA)])
    response = api.put_booking("GRP001", body)
    assert response.status_code == 201, response.content
    return {
        "code": response.json()["passengers"][0]["follow_code"],
        "trip": body["segments"][0]["trip"],
    }


def follow_code(reference: str, pax: str = "P1") -> str:
    return Passenger.objects.get(booking__reference=reference, pax_id=pax).follow_code


def trip_time(trip: str, minutes: int, airport: str = "AMS") -> tuple[str, str]:
    """The trip's scheduled departure plus `minutes`: (ISO for the API, hh:mm as read at
    `airport`)."""
    from core.airports import local_time
    from core.models import Trip

    service, day = trip.split("/")
    moment = Trip.objects.get(service=service, local_date=day).scheduled_departure + timedelta(
        minutes=minutes
    )
    local = local_time(moment, airport)
    return local.isoformat(), local.strftime("%H:%M")
