"""What Twilio receives from the adapter: the exact form, Basic auth, on TWILIO_API_BASE."""

import json
from base64 import b64encode

from channels_whatsapp.adapter import TwilioAdapter
from core.messaging import OutboundMessage, Template, run
from tests.channels_whatsapp.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    MESSAGES_URL,
    SENDER,
    load,
    sent_form,
)
from tests.fakes.twilio_api import TwilioApiMock

CALLBACK = "https://hooks.thuisfront.example/webhooks/whatsapp/twilio/status/?d=0b6f1c1e-8d55-4c4f-9a43-3f0c1b2a9d10"


def message(**fields) -> OutboundMessage:
    return OutboundMessage(
        delivery_id="0b6f1c1e-8d55-4c4f-9a43-3f0c1b2a9d10",
        channel="whatsapp",
        to="+31612345678",
        status_callback=CALLBACK,
        **fields,
    )


def test_free_text_inside_the_window_goes_as_body(twilio):
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=201, json=load("message_created"))
        sid = run(TwilioAdapter("whatsapp").send(message(text="Om 10:15, mevrouw De Vries.")))

        assert sid == "SM7d2b1f0e9c8a4b3d2e1f0a9b8c7d6e5f"
        request = mock.calls[0].request
        assert request.url == MESSAGES_URL  # the fake base, not api.twilio.com
        assert (
            request.headers["Authorization"]
            == "Basic " + b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        )
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert sent_form(mock.calls[0]) == {
            "To": "whatsapp:+31612345678",
            "From": SENDER,
            "Body": "Om 10:15, mevrouw De Vries.",
            "StatusCallback": CALLBACK,
        }


def test_outside_the_window_only_the_template_goes(twilio):
    template = Template(
        "HX0123456789abcdef0123456789abcdef",
        "nl",
        {"1": "Anna de Vries", "2": "KL1001", "3": "10:15"},
    )
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=201, json=load("message_created"))
        run(
            TwilioAdapter("whatsapp").send(
                message(
                    text="Beste Anna de Vries, …",
                    template=template,
                    media_url="https://x.example/a.pdf",
                )
            )
        )

        form = sent_form(mock.calls[0])
        assert set(form) == {
            "To",
            "From",
            "ContentSid",
            "ContentVariables",
            "StatusCallback",
        }  # no Body, no MediaUrl
        assert form["ContentSid"] == "HX0123456789abcdef0123456789abcdef"
        assert json.loads(form["ContentVariables"]) == {
            "1": "Anna de Vries",
            "2": "KL1001",
            "3": "10:15",
        }
        assert form["StatusCallback"] == CALLBACK


def test_media_goes_as_media_url_with_its_caption(twilio):
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=201, json=load("message_created"))
        run(
            TwilioAdapter("whatsapp").send(
                message(
                    text="Uw instapkaart",
                    media_url="https://hooks.thuisfront.example/media/bp.pdf",
                    media_content_type="application/pdf",
                )
            )
        )

        form = sent_form(mock.calls[0])
        assert form["MediaUrl"] == "https://hooks.thuisfront.example/media/bp.pdf"
        assert form["Body"] == "Uw instapkaart"


def test_no_status_callback_field_when_none_is_given(twilio):
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=201, json=load("message_created"))
        run(
            TwilioAdapter("whatsapp").send(
                OutboundMessage(delivery_id="d", channel="whatsapp", to="+31612345678", text="hi")
            )
        )

        assert "StatusCallback" not in sent_form(mock.calls[0])
