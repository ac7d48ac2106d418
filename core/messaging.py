"""The channel-adapter interface: one small adapter per channel with one verb, `send`.

Adapters are chosen by dotted path in settings.MESSAGING_ADAPTERS (like Django's EMAIL_BACKEND).
An adapter turns an OutboundMessage into one provider call and returns the provider's message id,
or raises DeliveryError saying whether trying again could help.

`send` is a coroutine, the one send path: the sender runs many sends at once over the adapter's
kept-alive connections on the process's sending loop, so the provider's latency, not ours, sets
the pace. Synchronous code reaches it through `run()`, which waits for the coroutine while the
calling thread does the database work the coroutine hands back with `on_caller()` (the sandbox
stores what it "sent" that way; the batch records answers), on the caller's own connection.
"""

import asyncio
import os
import queue
import threading
import time
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from asgiref.sync import sync_to_async
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

    async def send(self, message: OutboundMessage) -> str:
        """The provider's message id; many may run at once on the sending loop."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections (on the sending loop, where they were made)."""

    def close(self) -> None:
        """Release connections (called when a worker shuts down or settings change)."""
        if sending_loop_running():
            run(self.aclose(), timeout=5)


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
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="messaging-loop", daemon=True
        )
        self.thread.start()


_loop_lock = threading.Lock()
_loop_thread: _LoopThread | None = None


def messaging_loop() -> asyncio.AbstractEventLoop:
    """The process's sending loop (a new one after a fork: threads do not survive it)."""
    global _loop_thread
    with _loop_lock:
        if _loop_thread is None or _loop_thread.pid != os.getpid():
            _loop_thread = _LoopThread()
        return _loop_thread.loop


def sending_loop_running() -> bool:
    """Does this process have a sending loop (adapters close their async clients on it)?"""
    current = _loop_thread
    return current is not None and current.pid == os.getpid()


class _Caller:
    """Work a coroutine hands back to the thread waiting in run(), done there in order."""

    def __init__(self) -> None:
        self.work: queue.SimpleQueue = queue.SimpleQueue()

    def serve(self, loop: asyncio.AbstractEventLoop, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                item = self.work.get(
                    timeout=None if deadline is None else max(0.0, deadline - time.monotonic())
                )
            except queue.Empty:
                return  # future.result() below raises the timeout
            if item is None:
                return
            fn, args, kwargs, answer = item
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # handed back to the awaiting coroutine
                loop.call_soon_threadsafe(_settle, answer, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, answer, result, None)


def _settle(answer: asyncio.Future, result, exc) -> None:
    if answer.cancelled():
        return
    if exc is not None:
        answer.set_exception(exc)
    else:
        answer.set_result(result)


_caller: ContextVar[_Caller | None] = ContextVar("messaging_caller", default=None)
T = TypeVar("T")


def run(coroutine: Coroutine[object, object, T], timeout: float | None = None) -> T:
    """Run a coroutine on the sending loop from synchronous code and return its result.

    Meanwhile this thread does what the coroutine hands back with on_caller(), so database work
    stays on this thread's connection (and inside a test's transaction).
    """
    loop = messaging_loop()
    if _loop_thread is not None and threading.current_thread() is _loop_thread.thread:
        coroutine.close()
        raise RuntimeError("run() called from the sending loop itself; await instead")
    caller = _Caller()

    async def with_caller():
        _caller.set(caller)
        return await coroutine

    future = asyncio.run_coroutine_threadsafe(with_caller(), loop)
    future.add_done_callback(lambda _: caller.work.put(None))
    caller.serve(loop, timeout)
    return future.result(0 if timeout is not None else None)


async def on_caller(fn: Callable[..., T], *args, **kwargs) -> T:
    """Call a synchronous function (database work) on the thread that run() the coroutine.

    Outside run() (an async view awaiting a send) it goes through asgiref's sync_to_async.
    """
    caller = _caller.get()
    if caller is None:
        return await sync_to_async(fn)(*args, **kwargs)
    answer = asyncio.get_running_loop().create_future()
    caller.work.put((fn, args, kwargs, answer))
    return await answer
