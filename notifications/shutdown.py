"""A worker told to stop (SIGTERM, a deploy) gives back what it has not started.

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

from notifications.services.batch import stopping

log = logging.getLogger(__name__)

STOP_SIGNAL = signal.SIGUSR2


def _stop(*_) -> None:
    stopping.set()


@worker_process_init.connect
def _listen_in_pool_process(**_) -> None:
    stopping.clear()
    signal.signal(STOP_SIGNAL, _stop)


@worker_shutting_down.connect
def _tell_pool_processes(how: str = "", **_) -> None:
    stopping.set()  # a solo or threads pool sends in this process
    for child in active_children():
        try:
            os.kill(child.pid, STOP_SIGNAL)
        except ProcessLookupError:
            pass
    log.info("%s shutdown: batches give back what they have not started", how or "worker")
