"""Twilio's refusals become DeliveryErrors that say whether trying again can help."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from channels_whatsapp import adapter as twilio_adapter
from channels_whatsapp.adapter import TwilioAdapter
from core.messaging import DeliveryError, OutboundMessage, run
from tests.channels_whatsapp.conftest import MESSAGES_URL, load
from tests.fakes.twilio_api import TwilioApiMock

ERRORS = load("error_responses")
MESSAGE = OutboundMessage(
    delivery_id="d1", channel="whatsapp", to="+31612345678", text="Uw vlucht is vertraagd."
)


def send_against(
    status: int, body=None, headers: dict | None = None, raw: str | None = None
) -> DeliveryError:
    with TwilioApiMock() as mock:
        if raw is not None:
            mock.post(MESSAGES_URL, status=status, body=raw, headers=headers or {})
        else:
            mock.post(MESSAGES_URL, status=status, json=body, headers=headers or {})
        with pytest.raises(DeliveryError) as caught:
            run(TwilioAdapter("whatsapp").send(MESSAGE))
    return caught.value


@pytest.mark.parametrize(
    ("code", "unreachable", "reason"),
    [
        ("21211", True, "21211: the 'To' number is not a valid phone number"),
        ("21610", False, "21610: the recipient unsubscribed; needs a new opt-in"),
        ("63003", True, "63003: the address is inactive or invalid on WhatsApp"),
        ("63014", True, "63014: the recipient blocked this sender"),
        ("63024", True, "63024: not a WhatsApp user, or WhatsApp's terms not accepted"),
        ("63016", False, "63016: outside the 24-hour window; a template is required"),
    ],
)
def test_permanent_errors_are_not_retried(twilio, code, unreachable, reason):
    error = send_against(ERRORS[code]["status"], ERRORS[code]["body"])

    assert (error.code, error.permanent, error.unreachable) == (code, True, unreachable)
    assert error.opted_out is (code == "21610")
    assert error.message == reason
    assert error.retry_after is None


@pytest.mark.parametrize("code", ["63017", "63018", "20429", "20500"])
def test_rate_limits_and_twilio_faults_are_retried(twilio, code):
    error = send_against(ERRORS[code]["status"], ERRORS[code]["body"])

    assert (error.code, error.permanent, error.unreachable) == (code, False, False)
    assert error.message.startswith(f"{code}: ")


def test_retry_after_in_seconds_is_honoured(twilio):
    error = send_against(429, ERRORS["20429"]["body"], headers={"Retry-After": "7"})

    assert not error.permanent and error.retry_after == 7.0


def test_retry_after_as_a_date_is_honoured(twilio):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    error = send_against(
        503, None, headers={"Retry-After": later}, raw="<html>Service Unavailable</html>"
    )

    assert (error.code, error.permanent) == ("503", False)
    assert error.message == "Twilio answered HTTP 503"
    assert 25 <= error.retry_after <= 31


def test_bare_http_429_is_retried(twilio):
    error = send_against(429, None, raw="Too Many Requests")

    assert (error.code, error.permanent, error.retry_after) == ("429", False, None)


def test_an_unknown_refusal_is_permanent_and_keeps_twilios_words(twilio):
    error = send_against(400, ERRORS["21606"]["body"])

    assert (error.code, error.permanent, error.unreachable) == ("21606", True, False)
    assert error.message == (
        "21606: The From phone number whatsapp:+31850000000 is not a valid, message-capable "
        "Twilio phone number for this destination."
    )


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        ("hang", "timeout"),
        ("disconnect", "connection"),
    ],
)
def test_network_failures_are_retried(twilio, failure, code, monkeypatch):
    monkeypatch.setattr(twilio_adapter, "TIMEOUT_SECONDS", 0.5)
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, failure=failure)
        with pytest.raises(DeliveryError) as caught:
            run(TwilioAdapter("whatsapp").send(MESSAGE))

    assert (caught.value.code, caught.value.permanent, caught.value.unreachable) == (
        code,
        False,
        False,
    )
