"""The live inbox over a real WebSocket stack (auth middleware, origin check) on the Redis channel
layer."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from config.asgi import application
from notifications.services import delivery_status_record
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation
from webcare_inbox.services import conversation_reply

ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def redis_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [django_settings.REDIS_URL], "prefix": "thuisfront-test-inbox"},
        }
    }
    yield
    settings.CHANNEL_LAYERS = django_settings.CHANNEL_LAYERS


def session_cookie(client, user) -> tuple[bytes, bytes]:
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def next_event(communicator, type_: str, timeout: float = 5.0) -> dict:
    """The next event of that type; others (list updates, earlier ticks) are skipped."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        event = await communicator.receive_json_from(timeout=max(left, 0.01))
        if event.get("type") == type_:
            return event


async def connect(cookie=None):
    headers = [ORIGIN] + ([cookie] if cookie else [])
    communicator = WebsocketCommunicator(application, "/ws/inbox/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.django_db(transaction=True)
async def test_agent_sees_a_new_inbound_message_appear(redis_layer, client, agent):
    assert "Redis" in type(get_channel_layer()).__name__
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, agent))
    assert connected

    await database_sync_to_async(receive)(
        "Mijn vlucht is geannuleerd, wat nu?", profile_name="Anna Jansen"
    )

    event = await next_event(socket, "conversation.updated")
    summary = event["conversation"]
    assert summary["name"] == "Anna Jansen" and summary["channel"] == "whatsapp"
    assert summary["preview"] == "Mijn vlucht is geannuleerd, wat nu?" and summary["unread"] == 1
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_open_thread_gets_new_messages_and_delivery_ticks(redis_layer, client, agent):
    await database_sync_to_async(receive)("Hello")
    conversation = await database_sync_to_async(Conversation.objects.get)()
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, agent))
    assert connected
    await socket.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    assert await next_event(socket, "subscribed") == {
        "type": "subscribed",
        "conversation": conversation.pk,
    }

    await database_sync_to_async(receive)("Are you there?")
    created = await next_event(socket, "message.created")
    assert (
        created["message"]["text"] == "Are you there?" and created["message"]["direction"] == "in"
    )

    reply = await database_sync_to_async(conversation_reply)(
        conversation=conversation, agent=agent, text="Yes!"
    )
    created = await next_event(socket, "message.created")
    assert created["message"]["id"] == reply.pk and created["message"]["author"] == "Agnes Agent"

    delivery = await database_sync_to_async(
        lambda: reply.delivery.__class__.objects.get(pk=reply.delivery_id)
    )()
    await database_sync_to_async(delivery_status_record)(
        channel="whatsapp", provider_message_id=delivery.provider_message_id, status="read"
    )
    status = await next_event(socket, "message.status")
    assert status == {
        "type": "message.status",
        "conversation_id": conversation.pk,
        "message_id": reply.pk,
        "status": "read",
        "error": "",
    }
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_anonymous_and_non_agent_sockets_are_refused(redis_layer, client):
    socket, connected = await connect()
    assert not connected

    visitor = await database_sync_to_async(User.objects.create_user)("visitor")
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, visitor))
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_bad_client_messages_get_a_clear_error(redis_layer, client, agent):
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, agent))
    assert connected

    await socket.send_to(text_data="not json")
    assert (await socket.receive_json_from())["error"] == "messages must be JSON objects"
    await socket.send_json_to({"type": "subscribe", "conversation": "<b>1</b>"})
    assert (await socket.receive_json_from())[
        "error"
    ] == "subscribe needs a numeric conversation id"
    await socket.disconnect()
