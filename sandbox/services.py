"""The phone simulator's actions: reading what we sent, and writing back as the person.

Writing back goes through the channel apps' own webhook code with the providers' wire format,
so a message typed here is handled exactly like one from a real phone.
"""

import secrets

from django.db import transaction
from django.utils import timezone

from channels_messenger.webhooks import accept_events
from channels_whatsapp.webhooks import accept_inbound
from core.models import Channel, ContactPoint, Passenger
from core.services import contact_point_for_inbound
from notifications.services import delivery_status_record
from sandbox import wire
from sandbox.models import SandboxMessage


def sandbox_messages_mark_read(*, channel: str, address: str) -> int:
    """The person has the chat open: everything we sent them is read, as WhatsApp would report."""
    now = timezone.now()
    unread = list(
        SandboxMessage.objects.filter(
            channel=channel, to=address, read_at__isnull=True
        ).values_list("pk", "provider_message_id")
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
        accept_inbound(
            wire.twilio_inbound_form(
                from_e164=contact_point.address,
                text=text,
                profile_name=_display_name(contact_point),
            )
        )
    else:
        accept_events(wire.messenger_message_event(psid=contact_point.address, text=text))


def sandbox_link_open(*, contact_point: ContactPoint, ref: str) -> None:
    """The person opens an m.me/<page>?ref=<ref> link: Meta sends a referral event."""
    if contact_point.channel != Channel.MESSENGER:
        raise ValueError("only a Messenger identity can open an m.me link")
    accept_events(wire.messenger_referral_event(psid=contact_point.address, ref=ref))


def sandbox_new_psid() -> str:
    """A Messenger identity nobody has yet, as if a new person opened our page."""
    return f"sandbox-psid-{secrets.token_hex(5)}"


def sandbox_new_number() -> str:
    """A Dutch mobile number nobody in the sandbox has (and not the one that always fails)."""
    while True:
        number = f"+3161299{secrets.randbelow(10**4):04d}"
        if not ContactPoint.objects.filter(channel=Channel.WHATSAPP, address=number).exists():
            return number


def sandbox_own_opt_in_open(
    *, passenger: Passenger, channel: str, number: str = ""
) -> ContactPoint:
    """The traveller opens their own opt-in link from the booking confirmation page.

    Messenger: a new identity opens m.me/<page>?ref=<opt_in_code> into a new thread (Get Started
    with the link's referral). WhatsApp: wa.me/<number>?text=<opt_in_code> sends the code from
    `number`. Returns the contact point the phone simulator shows next; its chat fills as the worker
    handles the message, exactly as the webhooks would.
    """
    code = passenger.opt_in_code
    if channel == Channel.MESSENGER:
        psid = sandbox_new_psid()
        contact_point = contact_point_for_inbound(channel=channel, address=psid)
        accept_events(wire.messenger_get_started_event(psid=psid, ref=code))
        return contact_point
    name = f"{passenger.given_name} {passenger.family_name}".strip()
    contact_point = contact_point_for_inbound(
        channel=channel, address=number, provider_user_id=number.lstrip("+"), profile_name=name
    )
    accept_inbound(wire.twilio_inbound_form(from_e164=number, text=code, profile_name=name))
    return contact_point
