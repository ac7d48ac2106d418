"""WhatsApp through Twilio: one Messages.json call per send, failures classified for retry.

`send` is a coroutine on twilio-python's own asyncio client (`messages.create_async`: its
resources build the request and read the answer), with the HTTP underneath given to it as
twilio-python allows (`Client(http_client=...)`, an AsyncTwilioHttpClient): one aiohttp session
per process kept between batches, so a batch runs many sends at once over kept-alive
connections, and the form encoded once per send rather than through aiohttp's form machinery.
The client's loggers log every request's headers at INFO; that costs more than the send itself
at volume, so they are set to WARNING."""

import contextvars
import json
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import aiohttp
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from channels_whatsapp.errors import error_reason, known_error
from core.messaging import ChannelAdapter, DeliveryError, OutboundMessage

TWILIO_DEFAULT_BASE = "https://api.twilio.com"
# Long enough for a slow Twilio answer, short enough that a hung connection frees the worker.
TIMEOUT_SECONDS = 10.0
# Concurrent requests per process; Twilio's own guidance is to stay far below 100.
CONNECTIONS = 32

for _name in ("twilio.http_client", "twilio.async_http_client"):
    logging.getLogger(_name).setLevel(logging.WARNING)

# The answer to the current coroutine's request: each concurrent send runs in its own task
# (own context), so a 429's Retry-After is read from the right answer (TwilioRestException
# drops the response headers).
_last_response: contextvars.ContextVar[Response | None] = contextvars.ContextVar(
    "twilio_response", default=None
)


class _HttpClient(AsyncTwilioHttpClient):
    """Twilio's asyncio client sent to TWILIO_API_BASE, on a session made on the sending loop."""

    def __init__(self, base_url: str) -> None:
        super().__init__(pool_connections=False, timeout=TIMEOUT_SECONDS)
        self.base_url = base_url.rstrip("/")

    async def request(
        self,
        method: str,
        url: str,
        params: dict | None = None,
        data: dict | None = None,
        headers: dict | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """The request twilio-python's resources make, sent as its own client sends it (a form
        body, Basic auth, the client's headers), with the form encoded here in one call: the
        base client hands aiohttp a dict, whose multipart-or-form machinery costs more per
        send than the rest of the request. It neither logs the request nor keeps it."""
        if url.startswith(TWILIO_DEFAULT_BASE):
            url = self.base_url + url[len(TWILIO_DEFAULT_BASE) :]
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=CONNECTIONS),
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            )
        _last_response.set(None)
        headers = dict(headers or {})
        if auth:  # as a header: aiohttp's BasicAuth object is deprecated
            headers["Authorization"] = aiohttp.encode_basic_auth(*auth)
        body = None
        if data:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        async with self.session.request(
            method.upper(),
            url,
            params=params,
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
            allow_redirects=allow_redirects,
        ) as answer:
            response = Response(answer.status, await answer.text(), answer.headers)
        _last_response.set(response)
        return response

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        self.session = None


class TwilioAdapter(ChannelAdapter):
    accepted_status = "queued"  # Twilio answers 201 "queued"; "sent" comes by status callback

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

    async def send(self, message: OutboundMessage) -> str:
        try:
            created = await self._client.messages.create_async(**self._fields(message))
        except TwilioException as exc:
            raise self._rest_error(exc, _last_response.get()) from exc
        except TimeoutError as exc:
            raise DeliveryError(
                "timed out waiting for Twilio (the message may have gone out)", code="timeout"
            ) from exc
        except aiohttp.ClientError as exc:
            raise DeliveryError(f"could not reach Twilio: {exc}", code="connection") from exc
        return created.sid

    async def aclose(self) -> None:
        await self._http.close()

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

    @staticmethod
    def _rest_error(exc: TwilioException, response: Response | None) -> DeliveryError:
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
