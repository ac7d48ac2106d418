"""Half-configured Twilio stops start-up with an error naming what is missing."""

import pytest
from django.core.checks import run_checks


def twilio_errors() -> list:
    return [e for e in run_checks() if e.id in ("thuisfront.E001", "thuisfront.E002")]


@pytest.fixture
def unset(settings):
    for name in settings.TWILIO_SETTINGS:
        setattr(settings, name, "")
    return settings


def test_nothing_set_is_the_sandbox_and_fine(unset):
    assert twilio_errors() == []


def test_everything_set_is_fine(unset):
    unset.TWILIO_ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"
    unset.TWILIO_AUTH_TOKEN = "token"
    unset.TWILIO_WHATSAPP_FROM = "whatsapp:+31850000000"
    assert twilio_errors() == []


def test_some_but_not_all_names_the_missing_ones(unset):
    unset.TWILIO_ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"

    (error,) = twilio_errors()

    assert error.id == "thuisfront.E001"
    assert error.msg == (
        "WhatsApp through Twilio is partly configured: "
        "TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM are not set"
    )


def test_one_missing_is_named_alone(unset):
    unset.TWILIO_ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"
    unset.TWILIO_WHATSAPP_FROM = "whatsapp:+31850000000"

    (error,) = twilio_errors()

    assert error.msg.endswith(": TWILIO_AUTH_TOKEN is not set")


@pytest.mark.parametrize(
    "sender", ["+31850000000", "whatsapp:0850000000", "whatsapp:+3185", "whatsapp: +31850000000"]
)
def test_a_sender_not_in_whatsapp_e164_form_is_an_error(unset, sender):
    unset.TWILIO_ACCOUNT_SID = "ACa1b2c3d4e5f60718293a4b5c6d7e8f90"
    unset.TWILIO_AUTH_TOKEN = "token"
    unset.TWILIO_WHATSAPP_FROM = sender

    (error,) = twilio_errors()

    assert error.id == "thuisfront.E002"
    assert repr(sender) in error.msg
