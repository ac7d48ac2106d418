"""The inbox's WebSocket is opened only by this site's own pages.

Channels' AllowedHostsOriginValidator compares the Origin's host name with ALLOWED_HOSTS and
nothing else, so `Origin: http://localhost:1` passed. Here scheme, host and port must all match:
one of settings.WEBSOCKET_ALLOWED_ORIGINS (PUBLIC_BASE_URL and any named), or the very origin the
socket was opened on (its Host, with ws → http and wss → https) when that host is allowed.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(value: str) -> tuple[str, str, int] | None:
    """("https", "thuisfront.example", 443) for an origin or base URL; None for anything else."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.scheme, parts.hostname.lower(), port


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return ""


def origin_allowed(scope) -> bool:
    origin = _origin(_header(scope, b"origin"))
    if origin is None:
        return False
    allowed = {_origin(o) for o in settings.WEBSOCKET_ALLOWED_ORIGINS}
    if origin in allowed:
        return True
    host = _header(scope, b"host")
    if not host or not validate_host(host.rsplit(":", 1)[0].lower(), settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return origin == _origin(f"{scheme}://{host}")


class SameOriginValidator:
    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
