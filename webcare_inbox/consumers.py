"""The live inbox socket: authenticate, join groups, forward events. Nothing else happens here."""

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from webcare_inbox import realtime
from webcare_inbox.listing import conversation_visible, teams_of
from webcare_inbox.selectors import conversation_trip_ids, user_is_agent, user_name

PRESENCE_STATES = ("viewing", "typing", "idle")


def _agent_groups(user) -> list[str] | None:
    """The list groups this user hears, or None when they are not an agent."""
    if not user_is_agent(user):
        return None
    groups = [realtime.INBOX_GROUP, realtime.agent_group(user.pk)]
    if user.is_superuser:
        groups.append(realtime.ADMINS_GROUP)
    groups += [realtime.team_group(pk) for pk in teams_of(user).values_list("id", flat=True)]
    return groups


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """An agent hears the lists they may see; a client follows one "conversation.<id>" at a time.

    Client → server: {"type": "subscribe", "conversation": <id>}, {"type": "unsubscribe"},
    {"type": "presence", "state": "viewing"|"typing"|"idle"} (told to the others in the thread).
    While a thread is open the client also hears its trips ("trip.updated").
    Server → client: the event dicts from webcare_inbox.realtime, {"type": "subscribed", …} and
    {"type": "presence", "conversation_id", "agent_id", "agent", "state"} ("left" when one goes).
    """

    conversation_group: str | None = None
    conversation_id: int | None = None
    groups_joined: list[str] = []
    trip_groups: list[str] = []  # the open thread's trips: their live status

    async def connect(self) -> None:
        user = self.scope.get("user")
        groups = await database_sync_to_async(_agent_groups)(user)
        if groups is None:
            await self.close()
            return
        self.user_id = user.pk
        self.user_name = user_name(user)
        realtime.server_loop_remember(asyncio.get_running_loop())
        self.groups_joined = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        if self.channel_layer is None:
            return
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
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
        elif kind == "presence" and content.get("state") in PRESENCE_STATES:
            await self._presence(content["state"])
        else:
            await self.send_json(
                {
                    "type": "error",
                    "error": "unknown message type; use subscribe, unsubscribe or presence",
                }
            )

    async def _subscribe(self, conversation) -> None:
        try:
            conversation_id = int(conversation)
        except (TypeError, ValueError):
            await self.send_json(
                {"type": "error", "error": "subscribe needs a numeric conversation id"}
            )
            return
        if not await database_sync_to_async(conversation_visible)(
            user=self.scope["user"], conversation_id=conversation_id
        ):
            await self.send_json({"type": "error", "error": "no such conversation"})
            return
        await self._leave_conversation()
        self.conversation_id = conversation_id
        self.conversation_group = realtime.conversation_group(conversation_id)
        await self.channel_layer.group_add(self.conversation_group, self.channel_name)
        trips = await database_sync_to_async(conversation_trip_ids)(conversation_id=conversation_id)
        self.trip_groups = [realtime.trip_group(pk) for pk in trips]
        for group in self.trip_groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json({"type": "subscribed", "conversation": conversation_id})

    async def _presence(self, state: str) -> None:
        if not self.conversation_group:
            return
        await self.channel_layer.group_send(
            self.conversation_group,
            {
                "type": realtime.HANDLER,
                "event": {
                    "type": "presence",
                    "conversation_id": self.conversation_id,
                    "agent_id": self.user_id,
                    "agent": self.user_name,
                    "state": state,
                },
            },
        )

    async def _leave_conversation(self) -> None:
        if self.conversation_group:
            await self._presence("left")
            await self.channel_layer.group_discard(self.conversation_group, self.channel_name)
            for group in self.trip_groups:
                await self.channel_layer.group_discard(group, self.channel_name)
            self.trip_groups = []
            self.conversation_group = None
            self.conversation_id = None

    async def inbox_event(self, message: dict) -> None:
        await self.send_json(message["event"])
