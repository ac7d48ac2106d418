"""The sandbox provider: what a channel without credentials uses (make demo, most tests).

Like Django's locmem mail backend, it keeps what was sent (SandboxMessage rows, which the phone
simulator shows) and then reports statuses the way a provider would, through the same status
service the real webhooks use: sent, then delivered; read when the phone simulator shows it.
"""

import uuid

from core.messaging import ChannelAdapter, DeliveryError, OutboundMessage, on_caller
from sandbox.media import fetch, is_ours, template_media_url
from sandbox.models import SandboxMessage
from sandbox.tasks import sandbox_report_status

# Addresses that behave like a real provider's failures, for demos and tests (valid numbers, so
# they can be entered through the bookings API).
FAILING_ADDRESSES = {
    "+31612000063": DeliveryError(
        "63003: the address is not reachable on WhatsApp",
        code="63003",
        permanent=True,
        unreachable=True,
    ),
}


class SandboxAdapter(ChannelAdapter):
    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.accepted_status = "queued" if channel == "whatsapp" else "sent"

    async def send(self, message: OutboundMessage) -> str:
        # What it "sends" is stored: on the thread that runs the batch, on its connection.
        return await on_caller(self._store, message)

    def _store(self, message: OutboundMessage) -> str:
        if message.to in FAILING_ADDRESSES:
            raise FAILING_ADDRESSES[message.to]
        prefix = "SM" if self.channel == "whatsapp" else "m_"
        provider_id = prefix + uuid.uuid4().hex
        # Like Twilio and Meta, the file is fetched when the message is sent (ours: a file
        # elsewhere, such as a photo a traveller shared, stays a link).
        media_url = message.media_url or template_media_url(self.channel, message)
        file = fetch(media_url) if media_url and is_ours(media_url) else None
        SandboxMessage.objects.create(
            channel=self.channel,
            provider_message_id=provider_id,
            to=message.to,
            text=message.text,
            template_sid=message.template.content_sid if message.template else "",
            template_variables=message.template.variables if message.template else {},
            media_url=media_url,
            media_content_type=file.content_type if file else message.media_content_type,
            media_filename=file.filename if file else "",
            media_file=file.body if file else None,
            media_preview=file.preview if file else None,
            media_pages=file.pages if file else 0,
            messaging_type=message.messaging_type if self.channel == "messenger" else "",
            tag=message.tag,
            status_callback=message.status_callback,
        )
        sandbox_report_status.apply_async(args=[self.channel, provider_id, "sent"], countdown=0.2)
        sandbox_report_status.apply_async(
            args=[self.channel, provider_id, "delivered"], countdown=1.0
        )
        return provider_id
