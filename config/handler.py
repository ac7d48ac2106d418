"""Django's ASGI handler, with each request's thread taken from the threads the process keeps.

Under ASGI, Django runs a request's sync code (its signals, a sync view, closing the response) in
a thread of the request's own: asgiref starts a new thread for every request, and a second one
to join the first when the request ends. Starting and joining threads costs more than many a
request itself (measured here: milliseconds a request on a virtual machine). This handler gives
each request a thread that is idle, starting one only when all are busy, so the threads are
made once and used again; the rule stays the same: one request's sync code runs on one thread,
one request at a time on it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

# Threads kept for the next requests; more run while more requests are in flight at once.
KEEP_IDLE = 32


class _RequestThread(ThreadPoolExecutor):
    """One thread, knowing whether it still runs or holds work.

    A call queued behind a running one and then cancelled (the client went away) is done while
    the thread still runs the first: so what runs is counted, not only what was queued last.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self._last = None
        self._running = 0
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        self._last = super().submit(self._run, fn, args, kwargs)
        return self._last

    def _run(self, fn, args, kwargs):
        with self._lock:
            self._running += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with self._lock:
                self._running -= 1

    @property
    def busy(self) -> bool:
        with self._lock:
            running = self._running
        return running > 0 or (self._last is not None and not self._last.done())


class KeptThreadsASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self._idle: list[_RequestThread] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # Django refuses it
        thread = self._idle.pop() if self._idle else _RequestThread()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            self._release(thread)

    def _release(self, thread: _RequestThread) -> None:
        # A request cancelled mid-call (the client went away) may leave its thread busy: that
        # thread finishes on its own and ends, and is not given to the next request.
        if thread.busy or len(self._idle) >= KEEP_IDLE:
            thread.shutdown(wait=False)
        else:
            self._idle.append(thread)


def get_asgi_application() -> KeptThreadsASGIHandler:
    """As django.core.asgi.get_asgi_application, with this handler."""
    django.setup(set_prefix=False)
    return KeptThreadsASGIHandler()
