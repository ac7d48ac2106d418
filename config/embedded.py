"""Embedded mode: a Celery worker and beat inside the web process, on the in-memory broker.

The same tasks run as in services mode; only the transport differs. The worker runs in a
thread (as celery.contrib.testing does), so it shares the process's in-memory broker.
"""

import logging
import threading

from celery.beat import EmbeddedService

from config.celery import LANES, app

log = logging.getLogger(__name__)
_started = threading.Event()


def start() -> None:
    """Start the embedded worker and beat once per process."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(
        target=_run_worker, args=(app, LANES), name="embedded-celery-worker", daemon=True
    ).start()
    beat = EmbeddedService(app, thread=True)
    beat.start()
    log.info("embedded Celery worker and beat started (in-memory broker)")


def _run_worker(app, lanes) -> None:
    # Built inside its own thread: creating the worker closes Django's database connections,
    # which Django refuses to do from the ASGI event loop that calls start().
    worker = app.WorkController(
        pool_cls="threads",
        concurrency=4,
        loglevel="INFO",
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        queues=list(lanes),  # interactive first
    )
    worker.start()
