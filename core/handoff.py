"""Hand-offs from async webhook views to the workers, one per short window instead of one per
request.

A webhook stores what it was sent (one INSERT) and answers; queueing a Celery task costs about
as much again. `WindowedHandOff.add` collects what the requests of one window stored, and when
the window ends, `hand_off(items)` runs once for all of them, in a thread (it talks to the
broker), while the event loop goes on answering. Whatever was stored is in the database
already: a process that dies inside a window loses no row, only the hand-off, and the sweeps
pick those rows up.

Eager (tests, CELERY_TASK_ALWAYS_EAGER) the hand-off runs before the request is answered.
"""

import asyncio
import contextvars
import logging
import weakref
from collections.abc import Callable

from asgiref.sync import SyncToAsync, ThreadSensitiveContext, sync_to_async
from celery import current_app
from django.db import connection

log = logging.getLogger(__name__)


class WindowedHandOff:
    def __init__(self, name: str, hand_off: Callable[[list], None], window: float) -> None:
        self.name, self.hand_off, self.window = name, hand_off, window
        self._waiting: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def add(self, item) -> None:
        """After `item` was committed: `hand_off` gets it within the window."""
        if current_app.conf.task_always_eager:
            await sync_to_async(self.hand_off)([item])
            return
        loop = asyncio.get_running_loop()
        items = self._waiting.get(loop)
        if items is None:
            items = self._waiting[loop] = []
            loop.call_later(self.window, self._window_ends, loop)
        items.append(item)

    def _window_ends(self, loop: asyncio.AbstractEventLoop) -> None:
        items = self._waiting.pop(loop, [])
        if items:
            loop.run_in_executor(None, self.hand_off, items).add_done_callback(self._done)

    def _done(self, future) -> None:
        if future.exception() is not None:  # the rows wait for the sweeps
            log.warning("%s hand-off failed: %s", self.name, type(future.exception()).__name__)


def connection_release() -> None:
    """Give this thread's database connection back to the pool at once (DATABASE_POOL_SIZE),
    not when the request ends: a webhook holds one only for its INSERT, so a few connections
    serve many requests at once. Without a pool, or inside a transaction, nothing happens."""
    pooled = bool((connection.settings_dict.get("OPTIONS") or {}).get("pool"))
    if pooled and not connection.in_atomic_block:
        connection.close()


class GroupInsert:
    """Rows that async webhook views store, written together: one INSERT and one commit for
    the requests that arrive while the previous one runs (group commit).

    `await store(row)` returns once the row is committed (with what `store_many` said of it), so
    a webhook still answers only what is stored. An idle process stores each row on its own at
    once; under a storm the rows of the requests waiting meanwhile go in one statement, which
    costs PostgreSQL (and the trip to the database thread) about what one row did. If it fails,
    every request in it gets the error (the provider's retry brings the row again).

    store_many(rows) → one result per row, in order (None for a plain bulk INSERT).
    """

    def __init__(self, store_many: Callable[[list], list | None]) -> None:
        self.store_many = store_many
        self._queues: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        # Names the inserts' own thread (one runs at a time) to asgiref; never entered.
        self._own_thread = ThreadSensitiveContext()

    async def store(self, row):
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _InsertQueue()
        stored = loop.create_future()
        queue.waiting.append((row, stored))
        if not queue.running:
            queue.running = True
            # The drain outlives the request that starts it: its sync part runs on a thread of
            # its own, not on that request's (which serves that request only, while it lasts).
            # A sync caller above (the test client) still runs it on the caller's thread.
            context = contextvars.copy_context()
            context.run(SyncToAsync.thread_sensitive_context.set, self._own_thread)
            loop.create_task(self._drain(queue), context=context)
        return await stored

    async def _drain(self, queue: "_InsertQueue") -> None:
        try:
            while queue.waiting:
                group, queue.waiting = queue.waiting, []
                try:
                    rows = [row for row, _ in group]
                    results = await sync_to_async(self._store)(rows)
                except Exception as exc:  # each waiting request answers with it
                    for _, stored in group:
                        if not stored.done():
                            stored.set_exception(exc)
                else:
                    for (_, stored), result in zip(group, results, strict=True):
                        if not stored.done():
                            stored.set_result(result)
        finally:
            queue.running = False

    def _store(self, rows: list) -> list:
        try:
            results = self.store_many(rows)
        finally:
            connection_release()
        return [None] * len(rows) if results is None else results


class _InsertQueue:
    def __init__(self) -> None:
        self.waiting: list = []
        self.running = False
