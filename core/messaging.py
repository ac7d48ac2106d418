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
import os
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
    # Buttons under a free text, as (payload, title): Messenger quick replies; others ignore them.
    quick_replies: tuple[tuple[str, str], ...] = ()


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
        opted_out: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code or "")
        self.permanent = permanent
        self.retry_after = retry_after
        # The address itself can't be reached (not just this message): skip it next time.
        self.unreachable = unreachable
        # The person unsubscribed at the provider (Twilio 21610): recorded as their opt-out.
        self.opted_out = opted_out


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

# The URL name of the view a channel's provider calls with status updates, registered by the
# channel app (AppConfig.ready); a channel without one gets no status callback.
_status_callback_views: dict[str, str] = {}


def status_callback_view_register(*, channel: str, url_name: str) -> None:
    _status_callback_views[channel] = url_name


def status_callback_view(channel: str) -> str | None:
    return _status_callback_views.get(channel)


def get_adapter(channel: str) -> ChannelAdapter:
    """The adapter for a channel, one per thread so HTTP connections are reused safely."""
    cache = getattr(_local, "adapters", None)
    if cache is None:
        cache = _local.adapters = {}
    path = settings.MESSAGING_ADAPTERS[channel]
    adapter = cache.get(channel)
    if (
        adapter is None
        or adapter.__class__.__module__ + "." + adapter.__class__.__qualname__ != path
    ):
        if adapter is not None:
            adapter.close()
        adapter = cache[channel] = import_string(path)(channel=channel)
    return adapter


def reset_adapters() -> None:
    for adapter in getattr(_local, "adapters", {}).values():
        adapter.close()
    _local.adapters = {}


class _LoopThread:
    """One event loop per process, running in its own thread, kept between batches.

    Adapters keep their async connections (bound to a loop) from one batch to the next; the
    caller's thread stays free to record answers in the database while sends are under way.
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="messaging-loop", daemon=True).start()


_loop_lock = threading.Lock()
_loop_thread: _LoopThread | None = None


def messaging_loop() -> asyncio.AbstractEventLoop:
    """The process's sending loop (a new one after a fork: threads do not survive it)."""
    global _loop_thread
    with _loop_lock:
        if _loop_thread is None or _loop_thread.pid != os.getpid():
            _loop_thread = _LoopThread()
        return _loop_thread.loop


def run_async(coroutine, timeout: float | None = None):
    """Run a coroutine on the sending loop and wait for its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, messaging_loop()).result(timeout)


def thread_loop() -> asyncio.AbstractEventLoop | None:
    """The sending loop if this process has one (adapters close their async clients on it)."""
    current = _loop_thread
    return current.loop if current is not None and current.pid == os.getpid() else None
