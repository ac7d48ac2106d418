"""Twilio error codes we act on, in one place for the adapter and the status webhook.

Twilio publishes no "retryable" flag: this classification is ours (see PLATFORM.md).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownError:
    reason: str
    permanent: bool
    # The address itself cannot be reached, not just this one message: stop sending to it.
    unreachable: bool = False
    # The person unsubscribed at the provider: an opt-out like their STOP, until they opt in.
    opted_out: bool = False


KNOWN_ERRORS: dict[str, KnownError] = {
    "21211": KnownError(
        "the 'To' number is not a valid phone number", permanent=True, unreachable=True
    ),
    "21610": KnownError(
        "the recipient unsubscribed; needs a new opt-in", permanent=True, opted_out=True
    ),
    "63003": KnownError(
        "the address is inactive or invalid on WhatsApp", permanent=True, unreachable=True
    ),
    "63014": KnownError("the recipient blocked this sender", permanent=True, unreachable=True),
    "63016": KnownError("outside the 24-hour window; a template is required", permanent=True),
    "63017": KnownError("the account's rate limit was exceeded", permanent=False),
    "63018": KnownError(
        "the messaging tier's limit of people reached outside the window was exceeded",
        permanent=False,
    ),
    "63024": KnownError(
        "not a WhatsApp user, or WhatsApp's terms not accepted", permanent=True, unreachable=True
    ),
    "20429": KnownError("too many requests", permanent=False),
}


def known_error(code: str | int | None) -> KnownError | None:
    return KNOWN_ERRORS.get(str(code or ""))


def error_reason(code: str | int | None, fallback: str = "") -> str:
    """ "63016: outside the 24-hour window; a template is required"; Twilio's own text otherwise."""
    code = str(code or "")
    known = known_error(code)
    reason = known.reason if known else (fallback or f"Twilio error {code}")
    return f"{code}: {reason}" if code else reason
