"""Messenger through Meta's Graph Send API: one OutboundMessage → one message id.

POST {MESSENGER_API_BASE}/{MESSENGER_API_VERSION}/{MESSENGER_PAGE_ID}/messages with the page
access token. Inside the 24-hour window the message is free text or a file; outside it, a
page-owned utility template (permission page_utility_messaging). Graph errors become a
DeliveryError that says whether trying again could help (see errors.py).
"""

import hashlib
import hmac
import logging
import mimetypes

import httpx
from django.conf import settings

from channels_messenger.errors import delivery_error_for
from core.messaging import ChannelAdapter, DeliveryError, OutboundMessage, Template

log = logging.getLogger(__name__)

# Connect fast, but give Meta time to answer: a read timeout after the request went out may
# mean the message was sent (the Send API has no idempotency key), so it should be rare.
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}
# Concurrent requests per process when a batch is sent at once.
CONNECTIONS = 32


class MessengerAdapter(ChannelAdapter):
    accepted_status = "sent"  # Messenger has no queued state: an answered send is a sent message

    def __init__(self, channel: str = "messenger") -> None:
        self.channel = channel
        self.sender = settings.MESSENGER_PAGE_ID  # Meta's send rate is counted per page
        self.url = (
            f"{settings.MESSENGER_API_BASE}/{settings.MESSENGER_API_VERSION}"
            f"/{settings.MESSENGER_PAGE_ID}/messages"
        )
        token = settings.MESSENGER_PAGE_ACCESS_TOKEN
        # The token goes in a header, not the query string, so that request logs never show it.
        # appsecret_proof lets the app require it in its Meta settings ("Require App Secret").
        proof = hmac.new(
            settings.MESSENGER_APP_SECRET.encode(), token.encode(), hashlib.sha256
        ).hexdigest()
        self._headers = {"Authorization": f"Bearer {token}"}
        self._params = {"appsecret_proof": proof}
        self._client: httpx.AsyncClient | None = None

    async def send(self, message: OutboundMessage) -> str:
        first, *captions = self._bodies(message)
        client = self._http()
        message_id = self._answer(await self._call(client.post(self.url, json=first)))
        for body in captions:
            try:
                self._answer(await self._call(client.post(self.url, json=body)))
            except DeliveryError as error:
                log.warning(
                    "delivery %s: file sent, caption failed: %s", message.delivery_id, error.message
                )
        return message_id

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self._client = None

    def _bodies(self, message: OutboundMessage) -> list[dict]:
        """The Graph requests for one message: the one whose id counts first, then a caption."""
        if message.template is not None:
            if message.media_url:
                # A utility template cannot carry a file, and a file alone is not allowed outside
                # the window: fail visibly rather than drop the document.
                raise DeliveryError(
                    "Messenger cannot send a file outside the 24-hour window; only a utility "
                    "template may be sent until the person writes again",
                    code="media_outside_window",
                    permanent=True,
                )
            return [template_body(message.to, message.template)]
        base = {"recipient": {"id": message.to}, **messaging_type_fields(message)}
        if not message.media_url:
            if not message.text.strip():
                raise DeliveryError(
                    "nothing to send: the message has no text, file or template",
                    code="empty",
                    permanent=True,
                )
            return [{**base, "message": {"text": message.text, **quick_replies(message)}}]
        # A Messenger message holds text or an attachment, never both: the file goes first (it
        # is what matters), then the text as its caption. A failed caption must not make the
        # file go out twice on retry, so it is only logged.
        bodies = [{**base, "message": {"attachment": attachment(message)}}]
        if message.text:
            bodies.append({**base, "message": {"text": message.text}})
        return bodies

    def _http(self) -> httpx.AsyncClient:
        # Made on first use inside the sending loop, and kept with it between batches.
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=TIMEOUT,
                headers=self._headers,
                params=self._params,
                limits=httpx.Limits(max_connections=CONNECTIONS),
            )
        return self._client

    @staticmethod
    async def _call(request) -> httpx.Response:
        try:
            return await request
        except httpx.TimeoutException as exc:
            raise DeliveryError(
                f"Messenger did not answer in time ({exc.__class__.__name__})", code="timeout"
            ) from exc
        except httpx.HTTPError as exc:
            raise DeliveryError(f"could not reach Messenger: {exc}", code="connection") from exc

    @staticmethod
    def _answer(response: httpx.Response) -> str:
        if response.is_success:
            message_id = _json(response).get("message_id")
            if message_id:
                return str(message_id)
            raise DeliveryError(
                f"Messenger answered {response.status_code} without a message_id",
                code=str(response.status_code),
            )
        raise delivery_error_for(response.status_code, _json(response), response.headers)


def messaging_type_fields(message: OutboundMessage) -> dict:
    kind = (message.messaging_type or "UPDATE").upper()
    if kind not in MESSAGING_TYPES:
        raise DeliveryError(
            f"unknown Messenger messaging_type {kind!r}", code="messaging_type", permanent=True
        )
    if kind != "MESSAGE_TAG":
        return {"messaging_type": kind}
    if not message.tag:
        raise DeliveryError(
            "messaging_type MESSAGE_TAG needs a tag (e.g. HUMAN_AGENT)",
            code="messaging_type",
            permanent=True,
        )
    return {"messaging_type": kind, "tag": message.tag}


def quick_replies(message: OutboundMessage) -> dict:
    """Send API quick replies: buttons above the composer; a tap comes back with its payload."""
    if not message.quick_replies:
        return {}
    return {
        "quick_replies": [
            {"content_type": "text", "title": title[:20], "payload": payload}
            for payload, title in message.quick_replies[:13]
        ]
    }


def template_body(psid: str, template: Template) -> dict:
    """A page-owned utility template with positional parameters {{1}}, {{2}}, …

    Meta's "Send a utility message" guide shows this shape (message.template with name,
    language.code and components of type body with text parameters); its examples are not
    consistent about messaging_type, which the Graph reference for /{page-id}/messages lists
    as RESPONSE, UPDATE, MESSAGE_TAG or UTILITY, so UTILITY is sent explicitly.
    """
    payload: dict = {"name": template.content_sid, "language": {"code": template.language}}
    values = template_parameters(template.variables)
    if values:
        payload["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": value} for value in values]}
        ]
    return {
        "recipient": {"id": psid},
        "messaging_type": "UTILITY",
        "message": {"template": payload},
    }


def template_parameters(variables: dict[str, str]) -> list[str]:
    """Values in placeholder order: "1", "2", … "10" (numerically, not as text)."""
    keys = sorted(variables, key=lambda k: (0, int(k)) if str(k).isdigit() else (1, 0))
    return [str(variables[k]) for k in keys]


def attachment(message: OutboundMessage) -> dict:
    return {
        "type": attachment_type(message.media_content_type, message.media_url),
        "payload": {"url": message.media_url, "is_reusable": True},
    }


def attachment_type(content_type: str, url: str) -> str:
    """Messenger's attachment types; a PDF (boarding pass) and anything unknown is a file."""
    content_type = (content_type or mimetypes.guess_type(url.split("?")[0])[0] or "").lower()
    for family in ("image", "video", "audio"):
        if content_type.startswith(family + "/"):
            return family
    return "file"


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
