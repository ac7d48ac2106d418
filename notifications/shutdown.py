"""A worker's pool processes: lower CPU priority, and giving back what they have not started
when told to stop.

The pool processes lower their CPU priority by WORKER_NICE (default 10): on a machine the worker
shares with the web tier, the web processes answer the providers' webhooks first and the sends
take what CPU is left (a callback Twilio waits 15 s for is lost; a send waits in the database).
On a machine of its own the worker is not slowed by it.

A worker told to stop (SIGTERM, a deploy) gives back what it has not started.

Celery's warm shutdown lets running tasks finish; a batch would then send all its claimed
deliveries first. Instead the batch stops starting sends at once, records what is in flight,
releases the rest and queues it again before its task ends, so another worker takes it over
straight away (batch.stopping). In the prefork pool the signal reaches the main process only:
it passes it on to its pool processes as SIGUSR2, which each turns into the same flag.
"""

import logging
import os
import signal

from billiard.process import active_children
from celery.signals import worker_process_init, worker_shutting_down
from django.conf import settings

from notifications.services.batch import stopping

log = logging.getLogger(__name__)

STOP_SIGNAL = signal.SIGUSR2


def _stop(*_) -> None:
    stopping.set()


@worker_process_init.connect
def _listen_in_pool_process(**_) -> None:
    stopping.clear()
    signal.signal(STOP_SIGNAL, _stop)
    if settings.WORKER_NICE > 0:
        os.nice(settings.WORKER_NICE)


@worker_shutting_down.connect
def _tell_pool_processes(how: str = "", **_) -> None:
    stopping.set()  # a solo or threads pool sends in this process
    for child in active_children():
        try:
            os.kill(child.pid, STOP_SIGNAL)
        except ProcessLookupError:
            pass
    log.info("%s shutdown: batches give back what they have not started", how or "worker")
