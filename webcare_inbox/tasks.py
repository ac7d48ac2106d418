"""Thin tasks: take ids, load, call one service."""

import logging

from celery import shared_task

from core.models import InboundMessage
from notifications.models import Lane
from webcare_inbox import selectors, services
from webcare_inbox.workflow import conversations_wake as wake

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def inbound_process(inbound_id: str) -> bool:
    """Harmless when delivered twice: the service claims the message before it routes it."""
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    return services.inbound_process(inbound=inbound) if inbound else False


@shared_task(acks_late=True)
def inbounds_process(inbound_ids: list[str]) -> int:
    """Messages that came in the same moment, one after the other; one that fails leaves the
    rest to go on (the sweep tries it again)."""
    done = 0
    for inbound in InboundMessage.objects.filter(pk__in=inbound_ids).order_by("received_at"):
        try:
            done += bool(services.inbound_process(inbound=inbound))
        except Exception as exc:
            log.warning(
                "inbound message %s not processed (%s); the sweep tries again",
                inbound.pk,
                type(exc).__name__,
            )
    return done


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
