"""WhatsApp through Twilio: one Messages.json call per send, failures classified for retry.

`send` uses twilio-python's synchronous client on one pooled session; `send_async` its asyncio
client (create_async) on one aiohttp session per worker thread, so a batch runs many sends at
once over kept-alive connections.
"""

import base64
import contextvars
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import aiohttp
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException
from twilio.http import AsyncHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from channels_whatsapp.errors import error_reason, known_error
from core.messaging import ChannelAdapter, DeliveryError, OutboundMessage, run_async, thread_loop

TWILIO_DEFAULT_BASE = "https://api.twilio.com"
# Long enough for a slow Twilio answer, short enough that a hung connection frees the worker.
TIMEOUT_SECONDS = 10.0


class _HttpClient(TwilioHttpClient):
    """Twilio's client on one pooled session, sent to TWILIO_API_BASE, keeping the last answer.

    The last answer is kept because TwilioRestException drops the response headers, and a
    429 or 503 may carry the Retry-After we must honour.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__(pool_connections=True, timeout=TIMEOUT_SECONDS)
        self.base_url = base_url.rstrip("/")
        self.last_response: Response | None = None

    def request(self, method: str, url: str, **kwargs) -> Response:
        if url.startswith(TWILIO_DEFAULT_BASE):
            url = self.base_url + url[len(TWILIO_DEFAULT_BASE) :]
        self.last_response = None
        self.last_response = super().request(method, url, **kwargs)
        return self.last_response

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


# The answer to the current coroutine's request: each concurrent send runs in its own task
# (own context), so a 429's Retry-After is read from the right answer.
_last_async_response: contextvars.ContextVar[Response | None] = contextvars.ContextVar(
    "twilio_response", default=None
)
# Concurrent requests per worker thread; Twilio's own guidance is to stay far below 100.
ASYNC_CONNECTIONS = 32


class _AsyncHttpClient(AsyncHttpClient):
    """twilio-python's asyncio client interface on one aiohttp session, sent to TWILIO_API_BASE."""

    def __init__(self, base_url: str) -> None:
        super().__init__(None, True, TIMEOUT_SECONDS)
        self.base_url = base_url.rstrip("/")
        self.session: aiohttp.ClientSession | None = None

    async def request(
        self,
        method,
        url,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ) -> Response:
        if url.startswith(TWILIO_DEFAULT_BASE):
            url = self.base_url + url[len(TWILIO_DEFAULT_BASE) :]
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=ASYNC_CONNECTIONS),
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            )
        _last_async_response.set(None)
        headers = dict(headers or {})
        if auth:
            headers["Authorization"] = (
                "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            )
        async with self.session.request(
            method.upper(),
            url,
            params=params,
            data=data,
            headers=headers,
            allow_redirects=allow_redirects,
        ) as answer:
            response = Response(answer.status, await answer.text(), answer.headers)
        _last_async_response.set(response)
        return response

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


class TwilioAdapter(ChannelAdapter):
    accepted_status = "queued"  # Twilio answers 201 "queued"; "sent" comes by status callback
    concurrent = True

    def __init__(self, channel: str = "whatsapp") -> None:
        missing = [name for name in settings.TWILIO_SETTINGS if not getattr(settings, name)]
        if missing:
            raise ImproperlyConfigured(f"WhatsApp through Twilio needs {', '.join(missing)}")
        self.channel = channel
        self.sender = settings.TWILIO_WHATSAPP_FROM  # Twilio's rate limit is per sender number
        self._http = _HttpClient(settings.TWILIO_API_BASE)
        self._client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self._http
        )
        self._async_http = _AsyncHttpClient(settings.TWILIO_API_BASE)
        self._async_client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self._async_http
        )

    def send(self, message: OutboundMessage) -> str:
        try:
            created = self._client.messages.create(**self._fields(message))
        except TwilioException as exc:
            raise self._rest_error(message, exc) from exc
        except requests.Timeout as exc:
            raise DeliveryError(
                "timed out waiting for Twilio (the message may have gone out)", code="timeout"
            ) from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"could not reach Twilio: {exc}", code="connection") from exc
        return created.sid

    async def send_async(self, message: OutboundMessage) -> str:
        try:
            created = await self._async_client.messages.create_async(**self._fields(message))
        except TwilioException as exc:
            raise self._rest_error(message, exc, _last_async_response.get()) from exc
        except TimeoutError as exc:
            raise DeliveryError(
                "timed out waiting for Twilio (the message may have gone out)", code="timeout"
            ) from exc
        except aiohttp.ClientError as exc:
            raise DeliveryError(f"could not reach Twilio: {exc}", code="connection") from exc
        return created.sid

    def close(self) -> None:
        self._http.close()
        loop = thread_loop()
        if loop is not None and self._async_http.session is not None:
            run_async(self._async_http.close(), timeout=5)

    def _fields(self, message: OutboundMessage) -> dict:
        to = message.to if message.to.startswith("whatsapp:") else f"whatsapp:{message.to}"
        fields = {"to": to, "from_": self.sender}
        if message.status_callback:
            fields["status_callback"] = message.status_callback
        if message.template is not None:
            # Outside the window only the approved template may go: no Body, no MediaUrl.
            fields["content_sid"] = message.template.content_sid
            variables = {str(k): str(v) for k, v in message.template.variables.items()}
            fields["content_variables"] = json.dumps(variables, ensure_ascii=False)
            return fields
        if message.text:
            fields["body"] = message.text
        if message.media_url:
            fields["media_url"] = [message.media_url]
        return fields

    def _rest_error(
        self, message: OutboundMessage, exc: TwilioException, response: Response | None = None
    ) -> DeliveryError:
        response = response if response is not None else self._http.last_response
        status = int(getattr(exc, "status", 0) or 0)
        twilio_code = getattr(exc, "code", None)
        if not twilio_code or twilio_code == status:  # no Twilio code: the body was not JSON
            return DeliveryError(
                f"Twilio answered HTTP {status}",
                code=str(status),
                permanent=400 <= status < 500 and status != 429,
                retry_after=_retry_after(response),
            )
        code = str(twilio_code)
        retry_after = _retry_after(response)
        known = known_error(code)
        if known is not None:
            permanent, unreachable = known.permanent, known.unreachable
        else:
            # A request Twilio refused stays refused; throttling and its own faults pass.
            permanent = 400 <= status < 500 and status != 429
            unreachable = False
        opted_out = bool(known and known.opted_out)
        twilio_text = (
            getattr(exc, "msg", "") or getattr(exc, "detail", "") or getattr(exc, "title", "")
        )
        return DeliveryError(
            error_reason(code, _strip_prefix(twilio_text)),
            code=code,
            permanent=permanent,
            retry_after=None if permanent else retry_after,
            unreachable=unreachable,
            opted_out=opted_out,
        )


def _strip_prefix(text: str) -> str:
    # twilio-python prefixes "Unable to create record: "; the rest is Twilio's own words.
    return str(text or "").split(": ", 1)[-1]


def _retry_after(response: Response | None) -> float | None:
    """Seconds from a Retry-After header, given either as seconds or as an HTTP date."""
    value = (response.headers or {}).get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
