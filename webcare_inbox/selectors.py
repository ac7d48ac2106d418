"""Reads for the inbox: who may use it, the 24-hour window, and what the pages and events show."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, Prefetch, Q
from django.utils import dateformat, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.airports import local_time
from core.models import Booking, Channel, ContactPoint, Customer, InboundMessage, Segment, Trip
from notifications.models import Delivery, DeliveryStatus
from notifications.services import ReplyWindow, reply_window
from webcare_inbox.labels import ACTION_LABELS, DELIVERY_KIND, HANDOVER_REASON, TRIP_STATUS, label
from webcare_inbox.models import Conversation, Message

AGENTS_GROUP = "agents"
ACTIVE_STATUSES = (
    Conversation.Status.OPEN,
    Conversation.Status.PENDING,
    Conversation.Status.SNOOZED,
)


def user_is_agent(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=AGENTS_GROUP).exists()


_MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


def agents_mentioned(*, text: str, author=None) -> list:
    """Agents named as @username in a note (not the author themselves)."""
    from django.contrib.auth import get_user_model

    names = {name.rstrip(".").lower() for name in _MENTION.findall(text)}
    if not names:
        return []
    users = get_user_model().objects.filter(
        is_active=True, username__iregex=r"^(" + "|".join(re.escape(n) for n in names) + r")$"
    )
    return [u for u in users if user_is_agent(u) and (author is None or u.pk != author.pk)]


def display_time(moment: datetime | None) -> str:
    """ "1 Dec 10:15" (English) or "1 dec 10:15" (Dutch), in the active language."""
    if not moment:
        return ""
    pattern = "j b H:i" if (get_language() or "").startswith("nl") else "j M H:i"
    return dateformat.format(timezone.localtime(moment), pattern)


# --- The 24-hour window -----------------------------------------------------------------------


class Window(ReplyWindow):
    """What an agent may send now: free text ("open"), tagged free text ("human_agent"),
    or nothing."""

    @property
    def can_reply(self) -> bool:
        return self.state != "closed"

    @property
    def explanation(self) -> str:
        if self.state == "open":
            return _("24-hour window open until %(until)s.") % {"until": display_time(self.until)}
        if self.state == "human_agent":
            return _(
                "The 24-hour window closed at %(closed)s; a reply goes out with "
                "Messenger's HUMAN_AGENT tag until %(until)s."
            ) % {"closed": display_time(self.closed_at), "until": display_time(self.until)}
        if self.closed_at is None:
            return _(
                "This person has not written to us on this channel; "
                "only an approved template can be sent."
            )
        return _(
            "The 24-hour window closed at %(closed)s; only an approved template can be sent."
        ) % {"closed": display_time(self.closed_at)}


def contact_point_window(*, contact_point: ContactPoint, now: datetime | None = None) -> Window:
    """The rule notifications applies when the reply is sent (reply_window), as shown here."""
    window = reply_window(contact_point=contact_point, now=now)
    return Window(window.state, until=window.until, closed_at=window.closed_at)


# --- Conversations ----------------------------------------------------------------------------


def conversation_active_for(*, contact_point: ContactPoint) -> Conversation | None:
    """The person's open conversation on this channel, or the one that moved from it to another
    channel (channel_switch.py): one history, whichever channel they write on."""
    active = Conversation.objects.filter(status__in=ACTIVE_STATUSES).order_by("-last_message_at")
    return (
        active.filter(contact_point=contact_point).first()
        or active.filter(
            customer_id=contact_point.customer_id,
            audit_entries__action="channel_switched",
            messages__inbound__contact_point=contact_point,
        ).first()
    )


def first_response_times(*, since: datetime, limit: int = 200) -> list[tuple[datetime, timedelta]]:
    """(started, wait until the first agent reply) of recent conversations an agent answered."""
    rows = (
        Conversation.objects.filter(created_at__gte=since)
        .annotate(
            first_reply=Min(
                "messages__created_at",
                filter=Q(
                    messages__direction=Message.Direction.OUTBOUND, messages__author__isnull=False
                ),
            )
        )
        .filter(first_reply__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "first_reply")[:limit]
    )
    return [(started, max(reply - started, timedelta(0))) for started, reply in rows]


def conversation_messages(*, conversation: Conversation) -> list[Message]:
    return list(conversation.messages.select_related("author", "delivery"))


def conversation_trip_ids(*, conversation_id: int, limit: int = 50) -> list[int]:
    """The trips the thread's context panel shows: the conversation's and its person's."""
    conversation = Conversation.objects.filter(pk=conversation_id).only("customer_id", "trip_id")
    conversation = conversation.first()
    if conversation is None:
        return []
    ids = Trip.objects.filter(segments__passengers__customer_id=conversation.customer_id)
    ids = list(ids.order_by("-scheduled_departure").values_list("id", flat=True).distinct()[:limit])
    return (
        ids + [conversation.trip_id]
        if conversation.trip_id and conversation.trip_id not in ids
        else ids
    )


# --- What the pages and the live events show ----------------------------------------------------


def person_name(conversation: Conversation) -> str:
    cp = conversation.contact_point
    return conversation.customer.full_name or cp.profile_name or cp.address


def user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


_user_name = user_name


def conversation_summary(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "url": f"/inbox/c/{conversation.pk}/",
        "name": person_name(conversation),
        "channel": conversation.channel,
        "channel_label": Channel(conversation.channel).label,
        "preview": conversation.last_message_preview,
        "last_message_at": conversation.last_message_at.isoformat(),
        "time": display_time(conversation.last_message_at),
        "status": conversation.status,
        "assignee": _user_name(conversation.assignee),
        "assignee_id": conversation.assignee_id,
        "team": conversation.team.name if conversation.team_id else "",
        "team_id": conversation.team_id,
        # Names of labels, from the prefetch when there is one (the list), else one query.
        "labels": [label.name for label in conversation.labels.all()],
        "unread": conversation.unread,
        "handled_by": conversation.handled_by,
        "handover_reason": conversation.handover_reason,
        "snoozed_until": display_time(conversation.snoozed_until)
        if conversation.status == "snoozed"
        else "",
        "csat_score": conversation.csat_score,
    }


def activity_data(entry) -> dict:
    return {
        "id": entry.pk,
        "conversation_id": entry.conversation_id,
        "actor": _user_name(entry.actor) or _("automation"),
        "action": entry.action,
        "text": activity_text(entry),
        "at": entry.at.isoformat(),
        "time": display_time(entry.at),
    }


def activity_text(entry) -> str:
    """One line in the thread: what was done (translated), with its detail."""
    action = ACTION_LABELS.get(entry.action, entry.action)
    detail = label(HANDOVER_REASON, entry.detail) if entry.detail else ""
    return f"{action}: {detail}" if detail else str(action)


_TICK = {
    DeliveryStatus.PENDING: "pending",
    DeliveryStatus.SENDING: "pending",
    DeliveryStatus.QUEUED: "pending",
    DeliveryStatus.SENT: "sent",
    DeliveryStatus.DELIVERED: "delivered",
    DeliveryStatus.READ: "read",
    DeliveryStatus.FAILED: "failed",
    DeliveryStatus.UNDELIVERED: "failed",
    DeliveryStatus.SUPERSEDED: "failed",
}


def delivery_tick(delivery: Delivery | None) -> tuple[str, str]:
    """(pending|sent|delivered|read|failed, the reason when it failed)."""
    if delivery is None:
        return "", ""
    tick = _TICK.get(delivery.status, "pending")
    if tick != "failed":
        return tick, ""
    reason = delivery.error_message or "not delivered"
    return tick, f"{reason} ({delivery.error_code})" if delivery.error_code else reason


def _safe_media(media: list) -> list[dict]:
    """Only web links become links: a provider payload must never smuggle in javascript: URLs."""
    items = []
    for item in media if isinstance(media, list) else []:
        url = str(item.get("url", "")) if isinstance(item, dict) else ""
        if url.startswith(("https://", "http://")):
            items.append(
                {"url": url, "content_type": str(item.get("content_type", "") or "attachment")}
            )
    return items


CHANNEL_NAMES = {"whatsapp": "WhatsApp", "messenger": "Messenger"}


def message_data(message: Message) -> dict:
    status, error = delivery_tick(message.delivery)
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "direction": message.direction,
        # What the person actually received (an automated message's wording is settled when sent).
        "text": (
            message.delivery.text if message.delivery and message.delivery.text else message.text
        ),
        "media": _safe_media(message.media),
        "author": _user_name(message.author),
        "automated": message.automated,
        "created_at": message.created_at.isoformat(),
        "time": display_time(message.created_at),
        "status": status,
        "error": error,
        "tag": message.delivery.tag if message.delivery else "",
        "channel": message.channel,
        "channel_label": CHANNEL_NAMES.get(message.channel, message.channel),
    }


# --- The context panel --------------------------------------------------------------------------


def _consent(cp: ContactPoint) -> str:
    if cp.unreachable_at:
        return _("unreachable since %(time)s (%(reason)s)") % {
            "time": display_time(cp.unreachable_at),
            "reason": cp.unreachable_reason or cp.unreachable_code,
        }
    if cp.opted_in and cp.opted_in_at:
        return _("opted in %(time)s (%(source)s)") % {
            "time": display_time(cp.opted_in_at),
            "source": cp.opt_in_source,
        }
    if cp.opted_in:
        return _("opted in")
    if cp.opted_out_at:
        return _("opted out %(time)s") % {"time": display_time(cp.opted_out_at)}
    return _("no consent for proactive messages")


def _moved(live, scheduled, airport: str) -> str:
    """The scheduled time, when the live one differs from it ("was 09:00")."""
    return local_time(scheduled, airport).strftime("%H:%M") if live != scheduled else ""


def trip_row(trip: Trip) -> dict:
    """The trip as it stands: live departure and arrival (actual, else estimated), gate, status."""
    return {
        "key": trip.key,
        "route": f"{trip.origin} → {trip.destination}",
        "departure": local_time(trip.departure, trip.origin).strftime("%-d %b %H:%M"),
        "departed": trip.actual_departure is not None,
        "scheduled": _moved(trip.departure, trip.scheduled_departure, trip.origin),
        "arrival": local_time(trip.arrival, trip.destination).strftime("%H:%M"),
        "arrived": trip.actual_arrival is not None,
        "scheduled_arrival": _moved(trip.arrival, trip.scheduled_arrival, trip.destination),
        "status": trip.status,
        "status_label": label(TRIP_STATUS, trip.status),
        "gate": trip.gate,
        "terminal": trip.terminal,
        "baggage_belt": trip.baggage_belt,
        "reason": trip.status_reason,
    }


@dataclass(frozen=True)
class PanelSection:
    """A card another app adds to the person's context panel, after their bookings.

    `template` is rendered with `rows`, what `rows(customer)` returns for the person shown.
    """

    template: str
    rows: Callable[[Customer], list[dict]]


_PANEL_SECTIONS: list[PanelSection] = []


def panel_section_register(section: PanelSection) -> None:
    """Feature apps add their cards when they load (update_groups.apps); shown in that order."""
    if section not in _PANEL_SECTIONS:
        _PANEL_SECTIONS.append(section)


@dataclass(frozen=True)
class ThreadSection:
    """A strip another app adds under the thread's head (contact_reasons.apps: the suggested
    contact reason). `template` is rendered with `section`, what `context(conversation, user)`
    returns; nothing is shown when it returns None."""

    template: str
    context: Callable[[Conversation, object], dict | None]


_THREAD_SECTIONS: list[ThreadSection] = []


def thread_section_register(section: ThreadSection) -> None:
    if section not in _THREAD_SECTIONS:
        _THREAD_SECTIONS.append(section)


def thread_sections(*, conversation: Conversation, user) -> list[dict]:
    shown = []
    for section in _THREAD_SECTIONS:
        context = section.context(conversation, user)
        if context is not None:
            shown.append({"template": section.template, "section": context})
    return shown


def customer_context(*, customer: Customer, deliveries: int = 20) -> dict:
    segments = (
        Segment.objects.filter(passengers__customer=customer)
        .select_related("trip")
        .order_by("position")
    )
    bookings = (
        Booking.objects.filter(passengers__customer=customer)
        .distinct()
        .prefetch_related(Prefetch("segments", queryset=segments, to_attr="own_segments"))
        .order_by("-created_at")
    )
    sent = (
        Delivery.objects.filter(customer=customer)
        .exclude(kind="agent_reply")
        .select_related("trip")
        .order_by("-created_at")[:deliveries]
    )
    return {
        "customer": customer,
        "sections": [
            {"template": section.template, "rows": section.rows(customer)}
            for section in _PANEL_SECTIONS
        ],
        "contact_points": [
            {
                "channel": Channel(cp.channel).label,
                "address": cp.address,
                "consent": _consent(cp),
                "opted_in": cp.opted_in,
            }
            for cp in customer.contact_points.order_by("channel", "address")
        ],
        "bookings": [
            {"reference": b.reference, "trips": [trip_row(s.trip) for s in b.own_segments]}
            for b in bookings
        ],
        "deliveries": [
            {
                "kind": label(DELIVERY_KIND, d.kind),
                "channel": Channel(d.channel).label,
                "trip": d.trip.key if d.trip else "",
                "time": display_time(d.created_at),
                "status": delivery_tick(d)[0],
                "error": delivery_tick(d)[1],
            }
            for d in sent
        ],
    }


INBOUND_MAX_ATTEMPTS = 10
INBOUND_SWEEP_AFTER = timedelta(seconds=30)


def inbound_unprocessed_ids(*, now: datetime | None = None, limit: int = 1000) -> list:
    """Inbound messages stored but never processed (lost task, failed run), due for another try."""
    now = now or timezone.now()
    return list(
        InboundMessage.objects.filter(
            processed_at__isnull=True,
            received_at__lt=now - INBOUND_SWEEP_AFTER,
            attempts__lt=INBOUND_MAX_ATTEMPTS,
        ).values_list("id", flat=True)[:limit]
    )
