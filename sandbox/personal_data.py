"""What the sandbox keeps: the outbox of its fake provider, addressed to people.

Erased with the person (by address), and kept no longer than deliveries' text is.
"""

from datetime import datetime

from django.db.models import Q

from core.data_protection import Person, holds
from core.models import ContactPoint
from sandbox.models import SandboxMessage


def _outbox(person: Person):
    by_address = Q(pk__in=[])
    for channel, address in person.addresses:
        by_address |= Q(channel=channel, to=address)
    return SandboxMessage.objects.filter(by_address)


def _erase_outbox(person: Person) -> int:
    return _outbox(person).delete()[0]


def _outbox_of(customer_ids: set[int]) -> Q:
    return Q(to__in=ContactPoint.objects.filter(customer_id__in=customer_ids).values("address"))


def _purge_outbox(cutoff: datetime) -> int:
    return SandboxMessage.objects.filter(created_at__lt=cutoff).delete()[0]


holds(
    SandboxMessage,
    erase=_erase_outbox,
    export=None,  # what the sandbox "sent" is each exported delivery's text
    mentions=("text", "template_variables"),
    owner=_outbox_of,
    retention={"delivery_text": _purge_outbox},
    order=30,
)
