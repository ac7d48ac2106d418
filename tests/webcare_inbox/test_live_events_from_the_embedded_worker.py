"""Embedded mode: the Celery worker is a thread of the web process and the layer is in memory."""

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from webcare_inbox.realtime import INBOX_GROUP, event_send


@pytest.fixture
def memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.mark.django_db(transaction=True)
async def test_event_from_a_worker_thread_reaches_the_socket(memory_layer, client, agent):
    await database_sync_to_async(client.force_login)(agent)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    socket = WebsocketCommunicator(
        application, "/ws/inbox/", headers=[(b"origin", b"http://testserver"), cookie]
    )
    assert (await socket.connect())[0]

    # A plain thread, like the embedded worker's: not one that asgiref started for this loop.
    # Nothing else wakes the server's loop meanwhile, as on an idle server.
    started = asyncio.get_running_loop().time()
    threading.Thread(
        target=event_send,
        kwargs={
            "groups": [INBOX_GROUP],
            "event": {"type": "conversation.updated", "conversation": {"id": 7}},
        },
    ).start()
    assert await socket.receive_json_from(timeout=5) == {
        "type": "conversation.updated",
        "conversation": {"id": 7},
    }
    # At once, not whenever the server's loop happens to wake up for something else.
    assert asyncio.get_running_loop().time() - started < 1
    await socket.disconnect()
