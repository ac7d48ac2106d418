"""What Twilio and Meta would POST to our webhooks, built for someone typing in the phone simulator.

Field names and shapes follow the providers' real inbound payloads, so the simulator exercises the
same parsing code as production.
"""

import time
import uuid

from django.conf import settings

# Used when no real account or page is configured (the sandbox).
SANDBOX_ACCOUNT_SID = "AC" + "5a4db0c5" * 4
SANDBOX_PAGE_ID = "100000000000001"


def page_id() -> str:
    return settings.MESSENGER_PAGE_ID or SANDBOX_PAGE_ID


def twilio_inbound_form(*, from_e164: str, text: str, profile_name: str = "") -> dict[str, str]:
    """A Twilio WhatsApp inbound-message webhook form, as Twilio posts it."""
    sid = "SM" + uuid.uuid4().hex
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": settings.TWILIO_ACCOUNT_SID or SANDBOX_ACCOUNT_SID,
        "From": f"whatsapp:{from_e164}",
        "To": f"whatsapp:{settings.WHATSAPP_PUBLIC_NUMBER}",
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "MessageType": "text",
        "SmsStatus": "received",
        "ProfileName": profile_name,
        "WaId": from_e164.lstrip("+"),
        "ApiVersion": "2010-04-01",
    }


def _page_event(psid: str, item: dict) -> dict:
    now_ms = int(time.time() * 1000)
    page = page_id()
    messaging = {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now_ms, **item}
    return {"object": "page", "entry": [{"id": page, "time": now_ms, "messaging": [messaging]}]}


def messenger_message_event(*, psid: str, text: str) -> dict:
    """A Meta page webhook carrying one text message from a person."""
    return _page_event(psid, {"message": {"mid": "m_" + uuid.uuid4().hex, "text": text}})


def messenger_referral_event(*, psid: str, ref: str) -> dict:
    """What Meta sends when a person opens an m.me/<page>?ref=<ref> link into an existing thread."""
    return _page_event(
        psid, {"referral": {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}}
    )


def messenger_get_started_event(*, psid: str, ref: str) -> dict:
    """What Meta sends when an m.me/<page>?ref=<ref> link opens a new thread: the person taps
    Get Started, and the postback carries the link's referral."""
    referral = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
    postback = {
        "mid": "m_" + uuid.uuid4().hex,
        "title": "Get Started",
        "payload": "GET_STARTED",
        "referral": referral,
    }
    return _page_event(psid, {"postback": postback})
