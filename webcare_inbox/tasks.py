"""Thin tasks: take ids, load, call one service."""

from celery import shared_task

from core.models import InboundMessage
from webcare_inbox import services


@shared_task(acks_late=True)
def inbound_process(inbound_id: str) -> bool:
    """Harmless when delivered twice: the service claims the message before it routes it."""
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    return services.inbound_process(inbound=inbound) if inbound else False


@shared_task
def inbound_sweep() -> int:
    return services.inbound_sweep()


@shared_task
def conversations_wake() -> int:
    """Beat: snoozed conversations whose time has come open again."""
    from webcare_inbox.workflow import conversations_wake as wake

    return wake()
