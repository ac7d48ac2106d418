"""Reads for the sandbox pages: a person's chat as their phone shows it, and the operator's view."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from core.models import ContactPoint, InboundMessage, Passenger, Trip
from core.services import chat_links
from notifications.models import Delivery, MessageTemplate, TripEvent
from notifications.selectors import event_delivery_counts
from sandbox import access
from sandbox.models import SandboxMessage


@dataclass(frozen=True)
class ChatItem:
    at: datetime
    outgoing: bool  # from the person's point of view: True = they sent it
    text: str
    status: str = ""  # our messages: pending/sent/delivered/read/failed
    template: bool = False  # sent as an approved template; `text` is what the phone renders
    media_url: str = ""
    media_content_type: str = ""
    link_ref: str = ""  # an m.me?ref= link they opened
    key: str = ""
    file_id: int = 0  # a file the phone received (SandboxMessage id): opened and pictured from it
    filename: str = ""
    file_size: int = 0
    pages: int = 0


def phone_contact_points() -> list[ContactPoint]:
    """Everyone on a sandbox channel; a real channel's people never appear, nor erased people."""
    rows = access.contact_points().filter(customer__erased_at__isnull=True)
    rows = rows.select_related("customer")
    return list(rows.order_by("customer__given_name", "customer_id", "channel"))


def _delivery_statuses(channel: str, provider_ids: list[str]) -> dict[str, str]:
    rows = Delivery.objects.filter(channel=channel, provider_message_id__in=provider_ids)
    return dict(rows.values_list("provider_message_id", "status"))


def _tick(status: str, read: bool) -> str:
    if read or status == "read":
        return "read"
    if status in ("failed", "undelivered"):
        return "failed"
    if status in ("sent", "delivered"):
        return status
    return "pending"


# How the provider fills an approved template's body: {{1}}, {{2}} … from ContentVariables.
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def _template_bodies(channel: str, sent: list[SandboxMessage]) -> dict[str, str]:
    sids = {m.template_sid for m in sent if m.template_sid}
    rows = MessageTemplate.objects.filter(channel=channel, content_sid__in=sids)
    return dict(rows.values_list("content_sid", "body"))


def _as_the_phone_shows(message: SandboxMessage, bodies: dict[str, str]) -> str:
    """A template arrives as its approved text with the variables filled in, never as its id."""
    body = bodies.get(message.template_sid)
    if not message.template_sid or body is None:
        return message.text
    values = message.template_variables or {}
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), "")), body)


def phone_chat(*, contact_point: ContactPoint) -> list[ChatItem]:
    """What we sent the person and what they sent us, oldest first."""
    sent = list(
        SandboxMessage.objects.filter(channel=contact_point.channel, to=contact_point.address)
    )
    statuses = _delivery_statuses(contact_point.channel, [m.provider_message_id for m in sent])
    bodies = _template_bodies(contact_point.channel, sent)
    items = [
        ChatItem(
            at=m.created_at,
            outgoing=False,
            text=_as_the_phone_shows(m, bodies),
            status=_tick(statuses.get(m.provider_message_id, ""), m.read_at is not None),
            template=bool(m.template_sid),
            media_url=m.media_url,
            media_content_type=m.media_content_type,
            key=m.provider_message_id,
            file_id=m.pk if m.media_file is not None else 0,
            filename=m.media_filename,
            file_size=len(m.media_file or b""),
            pages=m.media_pages,
        )
        for m in sent
    ]
    addresses = [contact_point.address, f"{contact_point.channel}:{contact_point.address}"]
    received = InboundMessage.objects.filter(
        Q(contact_point=contact_point) | Q(from_address__in=addresses),
        channel=contact_point.channel,
    )
    for m in received:
        link = m.payload if m.kind == InboundMessage.Kind.REFERRAL else ""
        media = m.media[0] if m.media and isinstance(m.media[0], dict) else {}
        items.append(
            ChatItem(
                at=m.sent_at,
                outgoing=True,
                text=m.text,
                link_ref=link,
                media_url=media.get("url", ""),
                media_content_type=media.get("content_type", ""),
                key=m.provider_message_id,
            )
        )
    return sorted(items, key=lambda i: i.at)


def phone_file(*, contact_point: ContactPoint, pk: int) -> SandboxMessage | None:
    """A file this phone received, as the provider fetched it."""
    return (
        SandboxMessage.objects.filter(
            pk=pk, channel=contact_point.channel, to=contact_point.address
        )
        .exclude(media_file=None)
        .first()
    )


def follow_codes() -> list[Passenger]:
    """Codes a relative could send (or open as a ?ref= link) to follow a traveller (not erased)."""
    rows = access.passengers().filter(customer__erased_at__isnull=True).select_related("booking")
    return list(rows.order_by("booking__reference", "pax_id")[:50])


@dataclass(frozen=True)
class ConfirmationPage:
    """What a traveller's booking confirmation page offers: their own opt-in links."""

    passenger: Passenger
    links: list[tuple[str, str]]  # (channel, link) as the bookings API has them; sandbox channels
    opted_in_on: list[str]  # the channels they already get their messages on


def confirmation_pages() -> list[ConfirmationPage]:
    """Sandbox travellers' own opt-in links, those who have not opted in anywhere first."""
    channels = access.sandbox_channels()
    rows = access.passengers().filter(customer__erased_at__isnull=True).select_related("booking")
    rows = rows.prefetch_related("customer__contact_points")
    pages = []
    for passenger in rows.order_by("booking__reference", "pax_id")[:50]:
        links = chat_links(code=passenger.opt_in_code)
        addresses = passenger.customer.contact_points.all()
        opted_in = {cp.get_channel_display() for cp in addresses if cp.opted_in}
        pages.append(
            ConfirmationPage(
                passenger=passenger,
                links=[(channel, link) for channel, link in links.items() if channel in channels],
                opted_in_on=sorted(opted_in),
            )
        )
    return sorted(pages, key=lambda page: bool(page.opted_in_on))


# --- Operator panel ---------------------------------------------------------------------------


def operator_trips() -> list[Trip]:
    return list(access.trips().order_by("-local_date", "scheduled_departure")[:50])


@dataclass(frozen=True)
class EventRow:
    event: TripEvent
    counts: dict[str, int]


def trip_recent_events(*, trip: Trip, limit: int = 10) -> list[EventRow]:
    events = TripEvent.objects.filter(trip=trip).order_by("-created_at")[:limit]
    return [EventRow(event=e, counts=event_delivery_counts(event=e)) for e in events]


def recent_deliveries(*, trip: Trip | None = None, limit: int = 25) -> list[Delivery]:
    rows = Delivery.objects.filter(channel__in=access.sandbox_channels())
    rows = rows.select_related("customer", "contact_point", "trip").order_by("-created_at")
    if trip is not None:
        rows = rows.filter(trip=trip)
    return list(rows[:limit])
