"""The channel-adapter interface: one small adapter per channel with one verb, `send`.

Adapters are chosen by dotted path in settings.MESSAGING_ADAPTERS (like Django's EMAIL_BACKEND).
An adapter turns an OutboundMessage into one provider call and returns the provider's message id,
or raises DeliveryError saying whether trying again could help.

An adapter that talks HTTP may also offer `send_async` (the same verb as a coroutine) and set
`concurrent = True`: the sender then runs many sends at once over shared connections, so the
provider's latency, not ours, sets the pace. Adapters that touch the database (the sandbox)
keep the default and are called one message at a time.
"""

import asyncio
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Template:
    """A pre-approved template: Twilio ContentSid (HX…) or a Meta utility template name."""

    content_sid: str
    language: str
    variables: dict[str, str] = field(default_factory=dict)  # {"1": "Anna", "2": "KL1001", …}


@dataclass(frozen=True)
class OutboundMessage:
    delivery_id: str
    channel: str
    to: str  # WhatsApp: E.164; Messenger: PSID
    text: str = ""  # what the recipient reads (also sent as free text when there is no template)
    template: Template | None = None
    media_url: str = ""
    media_content_type: str = ""
    # Messenger only: RESPONSE (a reply), UPDATE (proactive, inside the window), MESSAGE_TAG + tag.
    messaging_type: str = "UPDATE"
    tag: str = ""
    status_callback: str = ""  # absolute URL the provider calls with status updates


class DeliveryError(Exception):
    """A send that did not go out.

    permanent: trying again cannot help (invalid number, blocked, outside the window…).
    retry_after: seconds the provider asked us to wait, when it said so.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        permanent: bool = False,
        retry_after: float | None = None,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code or "")
        self.permanent = permanent
        self.retry_after = retry_after
        # The address itself can't be reached (not just this message): skip it next time.
        self.unreachable = unreachable


class ChannelAdapter:
    channel: str = ""
    # Who the provider rate-limits: the WhatsApp sender number, the Messenger page.
    sender: str = ""
    # The status a message has once the provider answered our send.
    accepted_status: str = "queued"
    # True when send_async may run many sends at once (no database, shared connections).
    concurrent: bool = False

    def send(self, message: OutboundMessage) -> str:
        raise NotImplementedError

    async def send_async(self, message: OutboundMessage) -> str:
        """The same as send(), as a coroutine; only called when `concurrent` is true."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (called when a worker shuts down or settings change)."""


_local = threading.local()


def get_adapter(channel: str) -> ChannelAdapter:
    """The adapter for a channel, one per thread so HTTP connections are reused safely."""
    cache = getattr(_local, "adapters", None)
    if cache is None:
        cache = _local.adapters = {}
    path = settings.MESSAGING_ADAPTERS[channel]
    adapter = cache.get(channel)
    if adapter is None or adapter.__class__.__module__ + "." + adapter.__class__.__qualname__ != path:
        if adapter is not None:
            adapter.close()
        adapter = cache[channel] = import_string(path)(channel=channel)
    return adapter


def reset_adapters() -> None:
    for adapter in getattr(_local, "adapters", {}).values():
        adapter.close()
    _local.adapters = {}


def run_async(coroutine):
    """Run a coroutine on this thread's own event loop, kept between calls.

    Adapters keep their async connections (bound to a loop) from one batch to the next, so
    the loop must outlive a single call; one loop per thread keeps workers independent.
    """
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine)


def thread_loop() -> asyncio.AbstractEventLoop | None:
    """This thread's event loop, if run_async made one (adapters close their clients on it)."""
    loop = getattr(_local, "loop", None)
    return loop if loop is not None and not loop.is_closed() and not loop.is_running() else None
