"""Live inbox events: plain dicts with a "type", sent after commit to explicit groups.

Groups: "inbox" (every agent's list) and "conversation.<id>" (whoever has that thread open).
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
from webcare_inbox.models import Conversation, Message

log = logging.getLogger(__name__)

INBOX_GROUP = "inbox"
# The consumer method that forwards an event ("inbox.event" → InboxConsumer.inbox_event).
HANDLER = "inbox.event"

# The ASGI server's event loop, learned when the first socket connects. The in-memory layer's
# queues belong to that loop, so a worker thread (embedded mode) must hand its sends to it.
_server_loop: asyncio.AbstractEventLoop | None = None


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


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
            log.warning("live inbox event %s to %s not sent", data.get("type"), group, exc_info=True)


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
        Conversation.objects.select_related("customer", "contact_point", "assignee").filter(pk=conversation_id).first()
    )
    if conversation is None:
        return None
    return {"type": "conversation.updated", "conversation": selectors.conversation_summary(conversation)}


def _message_created(message_id: int) -> dict | None:
    message = Message.objects.select_related("author", "delivery").filter(pk=message_id).first()
    return {"type": "message.created", "message": selectors.message_data(message)} if message else None


def conversation_changed(*, conversation: Conversation) -> None:
    """The conversation's summary changed: every agent's list, and the thread header of whoever has it open."""
    pk = conversation.pk
    # Every agent socket is in the inbox group, so one send covers the open thread as well.
    event_send_on_commit(groups=[INBOX_GROUP], event=lambda: _conversation_updated(pk))


def message_added(*, message: Message) -> None:
    pk = message.pk
    event_send_on_commit(groups=[conversation_group(message.conversation_id)], event=lambda: _message_created(pk))


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
