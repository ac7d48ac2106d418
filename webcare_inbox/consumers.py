"""The live inbox socket: authenticate, join groups, forward events. Nothing else happens here."""

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from webcare_inbox import realtime
from webcare_inbox.selectors import user_is_agent


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """Every agent hears "inbox"; a client follows one "conversation.<id>" at a time.

    Client → server: {"type": "subscribe", "conversation": <id>} or {"type": "unsubscribe"}.
    Server → client: the event dicts from webcare_inbox.realtime, and {"type": "subscribed", …}.
    """

    conversation_group: str | None = None

    async def connect(self) -> None:
        if not await database_sync_to_async(user_is_agent)(self.scope.get("user")):
            await self.close()
            return
        realtime.server_loop_remember(asyncio.get_running_loop())
        await self.channel_layer.group_add(realtime.INBOX_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        if self.channel_layer is None:
            return
        await self.channel_layer.group_discard(realtime.INBOX_GROUP, self.channel_name)
        await self._leave_conversation()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            content = json.loads(text_data or "")
        except ValueError:
            await self.send_json({"type": "error", "error": "messages must be JSON objects"})
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "subscribe":
            await self._subscribe(content.get("conversation"))
        elif kind == "unsubscribe":
            await self._leave_conversation()
            await self.send_json({"type": "subscribed", "conversation": None})
        else:
            await self.send_json({"type": "error", "error": "unknown message type; use subscribe or unsubscribe"})

    async def _subscribe(self, conversation) -> None:
        try:
            conversation_id = int(conversation)
        except (TypeError, ValueError):
            await self.send_json({"type": "error", "error": "subscribe needs a numeric conversation id"})
            return
        await self._leave_conversation()
        self.conversation_group = realtime.conversation_group(conversation_id)
        await self.channel_layer.group_add(self.conversation_group, self.channel_name)
        await self.send_json({"type": "subscribed", "conversation": conversation_id})

    async def _leave_conversation(self) -> None:
        if self.conversation_group:
            await self.channel_layer.group_discard(self.conversation_group, self.channel_name)
            self.conversation_group = None

    async def inbox_event(self, message: dict) -> None:
        await self.send_json(message["event"])
