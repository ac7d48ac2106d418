"""Thin tasks: the purge of expired PDFs (beat, DOCUMENTS_PURGE_INTERVAL_SECONDS)."""

from celery import shared_task

from documents import services


@shared_task(acks_late=True)
def documents_purge() -> int:
    return services.documents_purge()
