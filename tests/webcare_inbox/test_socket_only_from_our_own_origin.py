"""The inbox's WebSocket is opened only from this site's pages: the Origin's scheme, host and port
must be the public origin (or the one the socket was opened on), not just the same host name."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.webcare_inbox.test_live_events_reach_agents import session_cookie


async def opens(cookie, origin: str, host: str | None = None, scheme: str = "ws") -> bool:
    headers = [(b"origin", origin.encode()), cookie]
    if host:
        headers.append((b"host", host.encode()))
    socket = WebsocketCommunicator(application, "/ws/inbox/", headers=headers)
    socket.scope["scheme"] = scheme
    connected, _ = await socket.connect()
    await socket.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "host", "scheme", "accepted"),
    [
        ("http://testserver", None, "ws", True),  # PUBLIC_BASE_URL in the tests
        ("http://localhost:1", None, "ws", False),
        ("http://localhost:1", "localhost:8000", "ws", False),
        ("http://localhost:8000", "localhost:8000", "ws", True),  # the page's own origin
        ("https://localhost:8000", "localhost:8000", "ws", False),  # another scheme
        ("https://localhost", "localhost", "wss", True),
        ("http://testserver:8080", None, "ws", False),  # another port
        ("https://testserver", None, "ws", False),
        ("http://evil.example", "evil.example", "ws", False),  # not an allowed host
        ("null", None, "ws", False),
        ("", None, "ws", False),
    ],
)
async def test_socket_only_from_our_own_origin(client, agent, origin, host, scheme, accepted):
    cookie = await database_sync_to_async(session_cookie)(client, agent)

    assert await opens(cookie, origin, host, scheme) is accepted
