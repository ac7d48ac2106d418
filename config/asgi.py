"""ASGI entry point: HTTP (Django) and WebSocket (the live inbox) in one process."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.handler import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config import embedded  # noqa: E402
from config.collector import collector_tune  # noqa: E402
from config.websocket import SameOriginValidator  # noqa: E402
from webcare_inbox.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
# Everything the process serves with is loaded: the collector need not look at it again.
collector_tune()


async def application(scope, receive, send):
    """Answer the lifespan protocol (starting the embedded worker) and route the rest."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if settings.EMBEDDED_WORKER:
                    embedded.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await router(scope, receive, send)
