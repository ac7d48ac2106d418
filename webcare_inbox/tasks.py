"""Thin tasks: take ids, load, call one service."""

from celery import shared_task

from core.models import InboundMessage
from notifications.models import Lane
from webcare_inbox import selectors, services
from webcare_inbox.workflow import conversations_wake as wake


@shared_task(acks_late=True)
def inbound_process(inbound_id: str) -> bool:
    """Harmless when delivered twice: the service claims the message before it routes it."""
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    return services.inbound_process(inbound=inbound) if inbound else False


@shared_task
def inbound_sweep() -> int:
    """Beat: re-queue inbound messages that were stored but never processed."""
    ids = selectors.inbound_unprocessed_ids()
    for pk in ids:
        inbound_process.apply_async(args=[str(pk)], queue=Lane.INTERACTIVE)
    return len(ids)


@shared_task
def conversations_wake() -> int:
    """Beat: snoozed conversations whose time has come open again."""
    return wake()
