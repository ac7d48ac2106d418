"""On the wire: inside the 24-hour window a document is a file with a caption (Twilio MediaUrl +
Body; a Messenger file attachment, then the caption); outside it WhatsApp gets the approved
media template (its URL variable is the document's signed path) and Messenger a utility
template that links to the document."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import ContactPoint
from notifications.catalogue import sandbox_template_id
from notifications.models import Delivery
from tests.api.helpers import booking_body
from tests.channels_messenger.conftest import PSID, SEND_URL, graph, graph_sends, messenger  # noqa: F401
from tests.channels_whatsapp.conftest import (  # noqa: F401
    MESSAGES_URL,
    PUBLIC_BASE_URL,
    sent_form,
    twilio,
    twilio_api,
)
from tests.documents.conftest import document_body, post_document

CAPTION = (
    "Beste Anna de Vries, hier is uw instapkaart voor vlucht KL1001 naar Londen op {day}. "
    "Stoel 12A, gate D7, boarding vanaf 08:30. Goede reis!"
)


def _window(channel: str, open_: bool) -> None:
    ContactPoint.objects.filter(channel=channel).update(
        last_inbound_at=timezone.now() - timedelta(hours=1) if open_ else None
    )


def _document_link() -> str:
    delivery = Delivery.objects.get(kind="boarding_pass")
    assert delivery.media_url.startswith(settings.PUBLIC_BASE_URL + "/documents/")
    assert delivery.media_url.endswith("/instapkaart-KL1001.pdf")
    return delivery.media_url


@pytest.fixture
def day():
    from tests.clock import spoken_day

    return spoken_day("nl")


@pytest.mark.django_db(transaction=True)
def test_whatsapp_inside_the_window_is_media_with_a_caption(api, twilio_api, day):
    api.put_booking("ABC123", booking_body())
    _window("whatsapp", open_=True)
    twilio_api.calls.reset()
    assert post_document(api, document_body()).status_code == 202
    [call] = [c for c in twilio_api.calls if c.request.url == MESSAGES_URL]
    form = sent_form(call)
    assert form["MediaUrl"] == _document_link()
    assert form["Body"] == CAPTION.format(day=day)
    assert "ContentSid" not in form


@pytest.mark.django_db(transaction=True)
def test_whatsapp_outside_the_window_is_the_approved_media_template(api, twilio_api, day):
    api.put_booking("ABC123", booking_body())
    _window("whatsapp", open_=False)
    twilio_api.calls.reset()
    assert post_document(api, document_body()).status_code == 202
    [call] = [c for c in twilio_api.calls if c.request.url == MESSAGES_URL]
    form = sent_form(call)
    assert form["ContentSid"] == sandbox_template_id("whatsapp", "boarding_pass", "nl", "formal")
    assert "MediaUrl" not in form and "Body" not in form
    variables = json.loads(form["ContentVariables"])
    link = _document_link()
    assert variables["6"] == link.removeprefix(PUBLIC_BASE_URL + "/")  # media: <origin>/{{6}}
    assert variables["5"] == "Stoel 12A, gate D7, boarding vanaf 08:30."


@pytest.fixture
def on_messenger(api, messenger, graph_sends):
    body = booking_body()
    body["passengers"][0]["contacts"] = [{"channel": "messenger", "address": PSID, "opt_in": True}]
    api.put_booking("ABC123", body)


@pytest.mark.django_db(transaction=True)
def test_messenger_inside_the_window_is_a_file_then_its_caption(
    api, on_messenger, graph_sends, day
):
    _window("messenger", open_=True)
    before = len(graph_sends.calls)
    assert post_document(api, document_body()).status_code == 202
    file, caption = [json.loads(c.request.content) for c in graph_sends.calls[before:]]
    link = _document_link()
    assert file["message"] == {
        "attachment": {"type": "file", "payload": {"url": link, "is_reusable": True}}
    }
    assert caption["message"]["text"] == CAPTION.format(day=day) + f" Uw instapkaart: {link}"
    assert file["messaging_type"] == "UPDATE"


@pytest.mark.django_db(transaction=True)
def test_messenger_outside_the_window_is_a_utility_template_linking_to_it(
    api, on_messenger, graph_sends
):
    _window("messenger", open_=False)
    before = len(graph_sends.calls)
    assert post_document(api, document_body()).status_code == 202
    [call] = graph_sends.calls[before:]
    sent = json.loads(call.request.content)
    assert sent["messaging_type"] == "UTILITY"
    template = sent["message"]["template"]
    assert template["name"] == "thuisfront_boarding_pass_nl_formal"
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[-1] == _document_link()
    assert Delivery.objects.get(kind="boarding_pass").status == "sent"
