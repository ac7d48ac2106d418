"""Page events from Meta (or the phone simulator, which speaks the same JSON) → services.

`{"object": "page", "entry": [{"id", "time", "messaging": [item, …]}, …]}`: one POST can hold
several entries and each entry several items, so every one is handled. Meta delivers at least
once; every item is stored under a provider id that is the same on a retry.
"""

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from core.services import (
    contact_point_for_inbound,
    contact_point_opt_in,
    contact_point_opt_out,
    inbound_store,
)
from notifications.services import deliveries_mark_up_to, delivery_status_record

log = logging.getLogger(__name__)

CHANNEL = "messenger"
# A watermark is Meta's timestamp of the last message delivered/read; we stamp a message as
# sent when Meta's answer reaches us, a little later. Without this slack the newest message
# would never be marked by its own watermark.
WATERMARK_SLACK = timedelta(seconds=2)
# Meta sends attachment types, not MIME types; these keep `startswith("image/")` meaningful.
CONTENT_TYPES = {
    "image": "image/*",
    "video": "video/*",
    "audio": "audio/*",
    "file": "application/octet-stream",
}


def accept_events(payload: dict) -> int:
    """Handle every messaging item of every entry; returns how many were handled."""
    handled = 0
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for item in entry.get("messaging") or []:
            if isinstance(item, dict):
                handled += _accept_item(item)
    return handled


def _accept_item(item: dict) -> int:
    psid = str((item.get("sender") or {}).get("id") or "")
    if not psid:
        log.warning("messenger item without a sender id ignored: %s", sorted(item))
        return 0
    sent_at = from_timestamp(item.get("timestamp"))
    handled = 0
    if isinstance(item.get("message"), dict):
        handled += _message(item, psid, sent_at)
    if isinstance(item.get("postback"), dict):
        handled += _postback(item, psid, sent_at)
    if isinstance(item.get("referral"), dict):
        handled += _referral(item, item["referral"], psid, sent_at)
    if isinstance(item.get("delivery"), dict):
        handled += _delivery(item, psid)
    if isinstance(item.get("read"), dict):
        handled += _read(item, psid)
    if isinstance(item.get("optin"), dict):
        handled += _optin(item["optin"], psid, sent_at)
    return handled


# Meta's own opt-out: the person turned off a page's notification messages in Messenger.
OPT_OUT_STATUS, OPT_IN_STATUS = "STOP_NOTIFICATIONS", "RESUME_NOTIFICATIONS"


def _optin(optin: dict, psid: str, sent_at: datetime) -> int:
    """Stopping the page's notifications counts as STOP; resuming them as the person's opt-in."""
    status = str(optin.get("notification_messages_status") or "")
    if status not in (OPT_OUT_STATUS, OPT_IN_STATUS):
        return 0
    cp = contact_point_for_inbound(channel=CHANNEL, address=psid)
    if status == OPT_OUT_STATUS and (cp.opted_in or cp.opted_out_at is None):
        contact_point_opt_out(
            contact_point=cp, source="Messenger: stopped notifications", at=sent_at
        )
    elif status == OPT_IN_STATUS:
        contact_point_opt_in(
            contact_point=cp, source="Messenger: resumed notifications", at=sent_at
        )
    return 1


def _message(item: dict, psid: str, sent_at: datetime) -> int:
    message = item["message"]
    if message.get("is_echo"):
        return 0  # our own message (or a page admin's) coming back
    inbound_store(
        channel=CHANNEL,
        provider_message_id=str(
            message.get("mid")
            or stable_id("message", psid, item.get("timestamp"), message.get("text"))
        ),
        from_address=psid,
        kind="message",
        text=str(message.get("text") or ""),
        payload=str((message.get("quick_reply") or {}).get("payload") or ""),
        media=media(message),
        raw=item,
        sent_at=sent_at,
    )
    handled = 1
    if isinstance(message.get("referral"), dict):
        handled += _referral(item, message["referral"], psid, sent_at)
    return handled


def _postback(item: dict, psid: str, sent_at: datetime) -> int:
    postback = item["postback"]
    payload = str(postback.get("payload") or "")
    inbound_store(
        channel=CHANNEL,
        provider_message_id=str(
            postback.get("mid") or stable_id("postback", psid, item.get("timestamp"), payload)
        ),
        from_address=psid,
        kind="postback",
        text=str(postback.get("title") or ""),
        payload=payload,
        raw=item,
        sent_at=sent_at,
    )
    handled = 1
    # An m.me?ref= link that opens a new thread arrives as the Get Started postback's referral.
    if isinstance(postback.get("referral"), dict):
        handled += _referral(item, postback["referral"], psid, sent_at)
    return handled


def _referral(item: dict, referral: dict, psid: str, sent_at: datetime) -> int:
    ref = str(referral.get("ref") or "")
    inbound_store(
        channel=CHANNEL,
        provider_message_id=stable_id("referral", psid, item.get("timestamp"), ref),
        from_address=psid,
        kind="referral",
        payload=ref,
        raw=item,
        sent_at=sent_at,
    )
    return 1


def _delivery(item: dict, psid: str) -> int:
    delivery = item["delivery"]
    mids = delivery.get("mids")
    for mid in mids if isinstance(mids, list) else []:
        delivery_status_record(
            channel=CHANNEL, provider_message_id=str(mid), status="delivered", raw=item
        )
    # mids may be missing (older clients); the watermark is always there and covers the rest.
    if delivery.get("watermark") is not None:
        deliveries_mark_up_to(
            channel=CHANNEL,
            address=psid,
            status="delivered",
            watermark=from_timestamp(delivery["watermark"]) + WATERMARK_SLACK,
        )
    return 1


def _read(item: dict, psid: str) -> int:
    watermark = item["read"].get("watermark")
    if watermark is None:
        return 0
    deliveries_mark_up_to(
        channel=CHANNEL,
        address=psid,
        status="read",
        watermark=from_timestamp(watermark) + WATERMARK_SLACK,
    )
    return 1


def media(message: dict) -> list[dict]:
    found = []
    for attachment in message.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        payload = attachment.get("payload")
        url = payload.get("url") if isinstance(payload, dict) else None
        if url:  # fallback shares and locations have no file
            kind = str(attachment.get("type") or "file")
            found.append(
                {
                    "url": str(url),
                    "content_type": CONTENT_TYPES.get(kind, "application/octet-stream"),
                }
            )
    return found


def from_timestamp(value) -> datetime:
    """Meta's timestamps are epoch milliseconds (some examples show seconds, as strings)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return datetime.now(UTC)
    if number < 1e11:  # seconds: 1e11 ms is 1973, 1e11 s is far in the future
        number *= 1000
    return datetime.fromtimestamp(number / 1000, tz=UTC)


def stable_id(kind: str, psid: str, timestamp, detail) -> str:
    """The same event delivered twice gets the same id (Meta gives none for referrals)."""
    digest = hashlib.sha256(f"{psid}|{timestamp}|{detail or ''}".encode()).hexdigest()[:40]
    return f"{kind}:{digest}"
