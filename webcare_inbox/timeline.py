"""One thread as the person saw it: their messages, ours, agents' actions, and the proactive
notifications (trip updates, booking confirmation) that reached the same chat in the meantime."""

from datetime import timedelta

from django.db.models import Q

from core.models import Channel
from notifications.models import PROACTIVE_KINDS, Delivery, DeliveryStatus
from webcare_inbox.labels import MESSAGE_TITLE
from webcare_inbox.models import Conversation
from webcare_inbox.selectors import (
    ACTIVE_STATUSES,
    activity_data,
    conversation_messages,
    delivery_tick,
    display_time,
    message_data,
)

# A conversation also shows what we sent this chat shortly before it began: it is often what
# the person writes about ("my flight is delayed?").
NOTIFICATIONS_BEFORE = timedelta(hours=24)
MAX_NOTIFICATIONS = 100
# Proactive: sent because of a trip event, a booking, the trip's timeline or a document, not in
# answer to the person.
PROACTIVE = Q(event__isnull=False) | Q(kind__in=PROACTIVE_KINDS)


def conversation_timeline(*, conversation: Conversation) -> list[dict]:
    """Messages, agent actions and notifications in one thread, oldest first; each has a "kind"."""
    messages = conversation_messages(conversation=conversation)
    items = [{"kind": "message", **message_data(m)} for m in messages]
    entries = conversation.audit_entries.select_related("actor")
    items += [{"kind": "activity", **activity_data(e)} for e in entries]
    items += [notification_data(d) for d in conversation_notifications(conversation=conversation)]
    return sorted(items, key=_moment)


def _moment(item: dict) -> str:
    return item["at"] if item["kind"] == "activity" else item["created_at"]


def conversation_notifications(*, conversation: Conversation) -> list[Delivery]:
    """Proactive messages to this chat between the previous conversation and the next one."""
    siblings = Conversation.objects.filter(contact_point_id=conversation.contact_point_id)
    started = conversation.created_at
    previous = siblings.filter(created_at__lt=started).order_by("-created_at").first()
    following = siblings.filter(created_at__gt=started).order_by("created_at").first()
    since = conversation.created_at - NOTIFICATIONS_BEFORE
    if previous is not None:
        since = max(since, previous.last_message_at)
    rows = _shown().filter(contact_point_id=conversation.contact_point_id, created_at__gt=since)
    if following is not None:
        rows = rows.filter(created_at__lt=following.created_at)
    return list(rows.order_by("-created_at")[:MAX_NOTIFICATIONS])


def _shown():
    # Never the ones already in the thread as messages, nor the ones a newer update replaced
    # before they went out (the person never saw those).
    return (
        Delivery.objects.filter(PROACTIVE, inbox_message__isnull=True)
        .exclude(status=DeliveryStatus.SUPERSEDED)
        .select_related("trip")
    )


def notification_data(delivery: Delivery) -> dict:
    status, error = delivery_tick(delivery)
    return {
        "kind": "notification",
        "id": str(delivery.pk),
        "label": str(MESSAGE_TITLE.get(delivery.kind, delivery.get_kind_display())),
        "trip": delivery.trip.key if delivery.trip_id else "",
        "channel": Channel(delivery.channel).label,
        "text": delivery.text,
        # A file it carried (a boarding pass): agents open it at the link the person got.
        "file_url": delivery.media_url
        if delivery.media_url.startswith(("https://", "http://"))
        else "",
        "file_name": delivery.media_url.rsplit("/", 1)[-1] if delivery.media_url else "",
        "created_at": delivery.created_at.isoformat(),
        "time": display_time(delivery.created_at),
        "status": status,
        "error": error,
    }


def notifications_for_open_threads(
    *, delivery_ids: list, contact_point_ids: list | None = None
) -> list[tuple[int, dict]]:
    """(conversation id, notification) for each of these deliveries whose person has an open
    conversation on that chat: what the live inbox shows in the open thread. contact_point_ids:
    the addresses the deliveries went to, when the caller has them (the engine does)."""
    # First the open conversations (a fan-out's people mostly have none: one cheap query), then
    # only the deliveries of those people.
    if contact_point_ids is None:
        contact_point_ids = Delivery.objects.filter(pk__in=delivery_ids).values("contact_point_id")
    open_by_chat = dict(
        Conversation.objects.filter(
            contact_point_id__in=contact_point_ids, status__in=ACTIVE_STATUSES
        )
        .order_by("last_message_at")
        .values_list("contact_point_id", "id")
    )
    if not open_by_chat:
        return []
    deliveries = list(_shown().filter(pk__in=delivery_ids, contact_point_id__in=list(open_by_chat)))
    return [
        (open_by_chat[d.contact_point_id], notification_data(d))
        for d in deliveries
        if d.contact_point_id in open_by_chat
    ]
