"""The phone simulator's actions: reading what we sent, and writing back as the person.

Writing back goes through the channel apps' own webhook code with the providers' wire format,
so a message typed here is handled exactly like one from a real phone.
"""

from django.db import transaction
from django.utils import timezone

from core.models import Channel, ContactPoint
from notifications.services import delivery_status_record
from sandbox import wire
from sandbox.models import SandboxMessage


def sandbox_messages_mark_read(*, channel: str, address: str) -> int:
    """The person has the chat open: everything we sent them is read, as WhatsApp would report."""
    now = timezone.now()
    unread = list(
        SandboxMessage.objects.filter(channel=channel, to=address, read_at__isnull=True).values_list(
            "pk", "provider_message_id"
        )
    )
    for pk, provider_message_id in unread:
        with transaction.atomic():
            claimed = SandboxMessage.objects.filter(pk=pk, read_at__isnull=True).update(read_at=now)
            if claimed:
                delivery_status_record(
                    channel=channel, provider_message_id=provider_message_id, status="read", at=now
                )
    return len(unread)


def _display_name(contact_point: ContactPoint) -> str:
    return contact_point.profile_name or contact_point.customer.full_name


def sandbox_inbound_send(*, contact_point: ContactPoint, text: str) -> None:
    """Deliver `text` to our webhook code as if the person typed it on their phone."""
    if contact_point.channel == Channel.WHATSAPP:
        from channels_whatsapp.webhooks import accept_inbound

        accept_inbound(
            wire.twilio_inbound_form(
                from_e164=contact_point.address, text=text, profile_name=_display_name(contact_point)
            )
        )
    else:
        from channels_messenger.webhooks import accept_events

        accept_events(wire.messenger_message_event(psid=contact_point.address, text=text))


def sandbox_link_open(*, contact_point: ContactPoint, ref: str) -> None:
    """The person opens an m.me/<page>?ref=<ref> link: Meta sends a referral event."""
    if contact_point.channel != Channel.MESSENGER:
        raise ValueError("only a Messenger identity can open an m.me link")
    from channels_messenger.webhooks import accept_events

    accept_events(wire.messenger_referral_event(psid=contact_point.address, ref=ref))
