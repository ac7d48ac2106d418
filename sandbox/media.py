"""Files the sandbox provider fetches, as Twilio and Meta fetch a MediaUrl when they send.

The fetch goes through our own URL configuration in-process (the sandbox is a transport, not
the internet): the same view, signature check and expiry a provider's GET meets. What comes
back is kept with the sandbox message, as the phone keeps a received file, with a picture of
its first page for the chat bubble.
"""

import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pypdfium2
from django.conf import settings
from django.test import Client

from core.messaging import DeliveryError, OutboundMessage
from notifications.models import MessageTemplate

_FILENAME = re.compile(r'filename="([^"]+)"')
PREVIEW_WIDTH = 240  # pixels: a chat bubble's picture


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    filename: str
    body: bytes
    preview: bytes  # PNG of the first page, for a PDF
    pages: int


def template_media_url(channel: str, message: OutboundMessage) -> str:
    """A WhatsApp media template's file: "<PUBLIC_BASE_URL>/{{n}}" with n its media_path."""
    if message.template is None or channel != "whatsapp":
        return ""
    row = MessageTemplate.objects.filter(
        channel=channel, content_sid=message.template.content_sid
    ).first()
    if row is None or "media_path" not in row.variables:
        return ""
    number = str(row.variables.index("media_path") + 1)
    path = message.template.variables.get(number, "")
    return f"{settings.PUBLIC_BASE_URL}/{path}" if path else ""


def is_ours(url: str) -> bool:
    """A file Thuisfront serves itself: the sandbox fetches it (it cannot reach the internet)."""
    parts, origin = urlsplit(url), urlsplit(settings.PUBLIC_BASE_URL)
    return (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)


def fetch(url: str) -> Fetched:
    """GET our file as the provider would; DeliveryError 63019 (Twilio's) when it cannot."""
    parts = urlsplit(url)
    origin = urlsplit(settings.PUBLIC_BASE_URL)
    client = Client(HTTP_HOST=origin.netloc, **({"wsgi.url_scheme": origin.scheme}))
    answer = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    if answer.status_code != 200:
        raise DeliveryError(
            f"63019: media failed to download (HTTP {answer.status_code})",
            code="63019",
            permanent=True,
        )
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    content_type = answer.get("Content-Type", "").split(";")[0]
    match = _FILENAME.search(answer.get("Content-Disposition", ""))
    filename = match[1] if match else parts.path.rsplit("/", 1)[-1]
    preview, pages = _preview(body) if content_type == "application/pdf" else (b"", 0)
    return Fetched(url, content_type, filename, body, preview, pages)


def _preview(pdf: bytes) -> tuple[bytes, int]:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    page = document[0]
    picture = page.render(scale=PREVIEW_WIDTH / page.get_width()).to_pil()
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), len(document)
