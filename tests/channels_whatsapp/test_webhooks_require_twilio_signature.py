"""Only Twilio, signing over the public URL with our Auth Token, gets anything stored."""

import pytest

from core.models import InboundMessage
from notifications.models import StatusEvent
from tests.channels_whatsapp.conftest import (
    INBOUND_PATH,
    PUBLIC_BASE_URL,
    STATUS_PATH,
    load,
    post_twilio,
    sign,
)

pytestmark = pytest.mark.django_db


def test_signed_inbound_is_answered_with_empty_twiml(client, twilio):
    response = post_twilio(client, INBOUND_PATH, load("inbound_text"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.decode().endswith("<Response/>")
    assert InboundMessage.objects.filter(
        provider_message_id="SM5c0f8d9e2b7a4f1c9e3d6a8b0c2e4f61"
    ).exists()


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        ("", "missing X-Twilio-Signature"),
        ("bm90IGEgc2lnbmF0dXJl", "invalid X-Twilio-Signature"),
        # Signed with someone else's token.
        (
            sign(PUBLIC_BASE_URL + INBOUND_PATH, load("inbound_text"), token="f" * 32),
            "invalid X-Twilio-Signature",
        ),
        # Signed over the internal host: Twilio never saw that URL.
        (
            sign("http://testserver" + INBOUND_PATH, load("inbound_text")),
            "invalid X-Twilio-Signature",
        ),
    ],
)
def test_unsigned_or_wrongly_signed_inbound_is_refused(client, twilio, signature, reason):
    response = post_twilio(client, INBOUND_PATH, load("inbound_text"), signature=signature)

    assert response.status_code == 403
    assert response.content.decode() == reason
    assert not InboundMessage.objects.exists()


def test_a_form_changed_after_signing_is_refused(client, twilio):
    form = load("inbound_text")
    signature = sign(PUBLIC_BASE_URL + INBOUND_PATH, form)

    response = post_twilio(client, INBOUND_PATH, {**form, "Body": "STOP"}, signature=signature)

    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_status_signature_covers_the_query(client, twilio):
    form = load("status_delivered")
    signed_without_query = sign(PUBLIC_BASE_URL + STATUS_PATH, form)
    path = STATUS_PATH + "?d=0b6f1c1e-8d55-4c4f-9a43-3f0c1b2a9d10"

    assert post_twilio(client, path, form, signature=signed_without_query).status_code == 403
    assert not StatusEvent.objects.exists()
    assert post_twilio(client, path, form).status_code == 204
    assert StatusEvent.objects.filter(status="delivered").count() == 1


def test_without_twilio_credentials_the_webhooks_refuse_everything(client, twilio):
    twilio.TWILIO_AUTH_TOKEN = ""
    form = load("inbound_text")

    inbound = post_twilio(
        client, INBOUND_PATH, form, signature=sign(PUBLIC_BASE_URL + INBOUND_PATH, form, token="")
    )
    status = post_twilio(client, STATUS_PATH, load("status_sent"))

    assert (inbound.status_code, status.status_code) == (403, 403)
    assert inbound.content.decode() == "WhatsApp through Twilio is not configured here"
    assert not InboundMessage.objects.exists() and not StatusEvent.objects.exists()


def test_only_post_is_allowed(client, twilio):
    assert client.get(INBOUND_PATH).status_code == 405
    assert client.get(STATUS_PATH).status_code == 405
