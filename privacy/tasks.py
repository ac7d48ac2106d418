"""The periodic purge (celery beat: settings.CELERY_BEAT_SCHEDULE["privacy-retention"])."""

import logging

from celery import shared_task

from privacy.services import retention_purge

log = logging.getLogger(__name__)


@shared_task(name="privacy.tasks.retention_purge", acks_late=True)
def retention_purge_task() -> dict[str, int]:
    done = retention_purge()
    if done:
        log.info("retention purge: %s", ", ".join(f"{k} {n}" for k, n in sorted(done.items())))
    return done
