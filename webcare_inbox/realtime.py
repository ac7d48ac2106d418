"""Live inbox events: plain dicts with a "type", sent after commit to explicit groups.

Groups: "inbox" (every agent: conversations without a team), "inbox.team.<id>" (that team's
agents), "inbox.admins" (admins see every conversation), "inbox.agent.<id>" (one agent: mentions)
and "conversation.<id>" (whoever has that thread open: messages, activity, presence).
Events are built when the transaction commits, from the database, so a client never sees
something that was rolled back and always gets the latest state (a reply whose send already
finished arrives with its tick).
"""

import asyncio
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from webcare_inbox import selectors
from webcare_inbox.models import AuditEntry, Conversation, Message
from webcare_inbox.timeline import notifications_for_open_threads

log = logging.getLogger(__name__)

INBOX_GROUP = "inbox"
ADMINS_GROUP = "inbox.admins"
# The consumer method that forwards an event ("inbox.event" → InboxConsumer.inbox_event).
HANDLER = "inbox.event"

# The ASGI server's event loop, learned when the first socket connects. The in-memory layer's
# queues belong to that loop, so a worker thread (embedded mode) must hand its sends to it.
_server_loop: asyncio.AbstractEventLoop | None = None


def trip_group(trip_id: int) -> str:
    """Whoever has a thread open whose context panel shows this trip."""
    return f"inbox.trip.{trip_id}"


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def team_group(team_id: int) -> str:
    return f"inbox.team.{team_id}"


def agent_group(user_id: int) -> str:
    return f"inbox.agent.{user_id}"


def list_groups(team_id: int | None) -> list[str]:
    """Who may see a conversation in their list."""
    return [INBOX_GROUP] if team_id is None else [team_group(team_id), ADMINS_GROUP]


def server_loop_remember(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def event_send_on_commit(*, groups: list[str], event: dict | Callable[[], dict | None]) -> None:
    transaction.on_commit(lambda: event_send(groups=groups, event=event))


def event_send(*, groups: list[str], event: dict | Callable[[], dict | None]) -> None:
    data = event() if callable(event) else event
    layer = get_channel_layer()
    if data is None or layer is None:
        return
    for group in groups:
        try:
            _group_send(layer, group, {"type": HANDLER, "event": data})
        except Exception:  # the database is the truth; a reload shows what a lost event would have
            log.warning(
                "live inbox event %s to %s not sent", data.get("type"), group, exc_info=True
            )


def _group_send(layer, group: str, message: dict) -> None:
    loop = _server_loop
    if isinstance(layer, InMemoryChannelLayer) and loop is not None and loop.is_running():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            return
    async_to_sync(layer.group_send)(group, message)


# --- The events -------------------------------------------------------------------------------


def _conversation_updated(conversation_id: int) -> dict | None:
    conversation = (
        Conversation.objects.select_related("customer", "contact_point", "assignee", "team")
        .prefetch_related("labels")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        return None
    return {
        "type": "conversation.updated",
        "conversation": selectors.conversation_summary(conversation),
    }


def _message_created(message_id: int) -> dict | None:
    message = Message.objects.select_related("author", "delivery").filter(pk=message_id).first()
    return (
        {"type": "message.created", "message": selectors.message_data(message)} if message else None
    )


def conversation_changed(*, conversation: Conversation, previous_team_id: int | None = -1) -> None:
    """The summary changed: the lists of everyone who may see it (their open thread header too).

    When the conversation moved to another team, the agents who can no longer see it are told
    to drop it, without its contents.
    """
    pk = conversation.pk
    groups = list_groups(conversation.team_id)
    event_send_on_commit(groups=groups, event=lambda: _conversation_updated(pk))
    if previous_team_id != -1 and previous_team_id != conversation.team_id:
        gone = [g for g in list_groups(previous_team_id) if g not in groups and g != ADMINS_GROUP]
        if gone:
            event_send_on_commit(
                groups=gone, event={"type": "conversation.hidden", "conversation_id": pk}
            )


def activity_added(*, entry) -> None:
    """An agent action, for the thread's activity lines."""
    pk = entry.pk
    event_send_on_commit(
        groups=[conversation_group(entry.conversation_id)], event=lambda: _activity_created(pk)
    )


def mentioned(*, message: Message, user_ids: list[int]) -> None:
    pk = message.pk
    event_send_on_commit(groups=[agent_group(u) for u in user_ids], event=lambda: _mention(pk))


def _activity_created(entry_id: int) -> dict | None:
    entry = AuditEntry.objects.select_related("actor").filter(pk=entry_id).first()
    return (
        {"type": "activity.created", "activity": selectors.activity_data(entry)} if entry else None
    )


def _mention(message_id: int) -> dict | None:
    message = (
        Message.objects.select_related(
            "author", "conversation__customer", "conversation__contact_point"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return None
    return {
        "type": "mention",
        "conversation_id": message.conversation_id,
        "url": f"/inbox/c/{message.conversation_id}/",
        "author": selectors.user_name(message.author),
        "name": selectors.person_name(message.conversation),
    }


def message_added(*, message: Message) -> None:
    pk = message.pk
    event_send_on_commit(
        groups=[conversation_group(message.conversation_id)], event=lambda: _message_created(pk)
    )


def message_status_changed(*, message: Message) -> None:
    status, error = selectors.delivery_tick(message.delivery)
    event = {
        "type": "message.status",
        "conversation_id": message.conversation_id,
        "message_id": message.pk,
        "status": status,
        "error": error,
    }
    event_send_on_commit(groups=[conversation_group(message.conversation_id)], event=event)


def notifications_changed(*, delivery_ids: list, contact_point_ids: list | None = None) -> None:
    """Proactive messages that went out (or failed): shown in the person's open thread.

    Called after commit; each is sent whole, so the thread adds it or updates its tick.
    contact_point_ids, the addresses they went to, when the caller knows them.
    """
    shown = notifications_for_open_threads(
        delivery_ids=delivery_ids, contact_point_ids=contact_point_ids
    )
    for conversation_id, notification in shown:
        event = {
            "type": "notification",
            "conversation_id": conversation_id,
            "notification": notification,
        }
        event_send(groups=[conversation_group(conversation_id)], event=event)


def trip_updated(*, trip) -> None:
    """A trip's live status moved: threads showing it refresh their context panel."""
    event = {"type": "trip.updated", "trip_id": trip.pk, "trip": trip.key}
    event_send(groups=[trip_group(trip.pk)], event=event)
