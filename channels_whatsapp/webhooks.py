"""Twilio's webhook forms → our services. Shared by the webhook views and the phone simulator.

Twilio adds fields without notice: everything it sent is kept in `raw`, and only what we use
is required.
"""

import logging
import re
import uuid
from collections.abc import Mapping

from channels_whatsapp.errors import error_reason, known_error
from core.models import Channel, InboundMessage
from core.phone import InvalidPhoneNumber, to_e164
from core.services import inbound_store
from notifications.services import delivery_status_record

log = logging.getLogger(__name__)

MAX_MEDIA = 10  # Twilio's own limit per WhatsApp message

# Twilio MessageStatus → ours. accepted/queued/sending all mean "Twilio has it, not out yet".
STATUS_MAP = {
    "accepted": "queued",
    "queued": "queued",
    "sending": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
    "undelivered": "undelivered",
}
# Inbound-message states and scheduling states say nothing about a message we sent.
IGNORED_STATUSES = {"receiving", "received", "scheduled", "canceled", "partially_delivered"}
FAILED_STATUSES = {"failed", "undelivered"}


class MalformedWebhook(ValueError):
    """A form lacking what we need; the message names the missing field."""


def _plain(form: Mapping) -> dict[str, str]:
    # Django's QueryDict gives lists from dict(); .dict() keeps the last value like .get().
    return form.dict() if hasattr(form, "dict") else {str(k): str(v) for k, v in form.items()}


def _require(data: dict[str, str], *names: str) -> None:
    missing = [name for name in names if not data.get(name, "").strip()]
    if missing:
        raise MalformedWebhook(
            f"missing field{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
        )


_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def _address(raw_from: str) -> str:
    """E.164 for a phone number; the address as given when WhatsApp hides the number."""
    given = raw_from.strip().removeprefix("whatsapp:")
    if _E164.fullmatch(given):
        return given  # what Twilio sends: E.164 already, as parsing would give it back
    try:
        return to_e164(raw_from)
    except InvalidPhoneNumber:
        return raw_from.strip().removeprefix("whatsapp:")[:64]


def _media(data: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"url": data[f"MediaUrl{i}"], "content_type": data.get(f"MediaContentType{i}", "")}
        for i in range(MAX_MEDIA)
        if data.get(f"MediaUrl{i}")
    ]


def inbound_fields(form: Mapping) -> dict:
    """A Twilio inbound message as the fields of core.services.inbound_row; MalformedWebhook
    names what is missing."""
    data = _plain(form)
    _require(data, "MessageSid", "From")
    return {
        "channel": Channel.WHATSAPP,
        "provider_message_id": data["MessageSid"],
        "from_address": _address(data["From"]),
        # People with a username hide their number; their business-scoped id is what stays.
        "provider_user_id": data.get("ExternalUserId") or data.get("WaId", ""),
        "profile_name": data.get("ProfileName", ""),
        "text": data.get("Body") or data.get("ButtonText", ""),
        "payload": data.get("ButtonPayload", ""),
        "media": _media(data),
        "raw": data,
    }


def accept_inbound(form: Mapping, *, announce: bool = True) -> tuple[InboundMessage, bool]:
    """Store a Twilio inbound message once per MessageSid; returns (row, created).

    Processing runs in the worker after commit. The webhook itself stores the messages that
    arrive together in one INSERT and hands new rows over many at once (views.py).
    """
    return inbound_store(**inbound_fields(form), announce=announce)


def _delivery_id(value: str | None) -> str | None:
    # The ?d= we put in StatusCallback; anything else is treated as absent rather than an error.
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def status_report(form: Mapping, delivery_id: str | None) -> dict | None:
    """A Twilio status callback as our status report (the fields status_report_store takes),
    or None for a status that says nothing about a message we sent."""
    data = _plain(form)
    _require(data, "MessageSid", "MessageStatus")
    twilio_status = data["MessageStatus"].strip().lower()
    status = STATUS_MAP.get(twilio_status)
    if status is None:
        if twilio_status not in IGNORED_STATUSES:
            log.warning("Twilio status %r for %s ignored", twilio_status, data["MessageSid"])
        return None
    failed = twilio_status in FAILED_STATUSES
    code = data.get("ErrorCode", "").strip() if failed else ""
    known = known_error(code)
    return {
        "channel": Channel.WHATSAPP,
        "provider_message_id": data["MessageSid"],
        "status": status,
        "error_code": code,
        "error_message": error_reason(code, f"Twilio reported {twilio_status}") if failed else "",
        "unreachable": bool(failed and known and known.unreachable),
        "opted_out": bool(failed and known and known.opted_out),
        "delivery_id": _delivery_id(delivery_id),
        # As we sent it (whatsapp:+E.164): what erasure looks for, without parsing it again.
        "address": data.get("To", "").strip().removeprefix("whatsapp:")[:64],
        "raw": data,
    }


def accept_status(form: Mapping, delivery_id: str | None) -> None:
    """Record a Twilio status callback at once (out-of-order and repeated ones are harmless).

    The webhook does not: it stores the report for the status lane (views.status)."""
    report = status_report(form, delivery_id)
    if report is not None:
        report.pop("address")
        delivery_status_record(**report)
