"""What the delivery engine holds about people (core/data_protection.py is the seam).

A delivery stays as an anonymous row when its person is erased or its text has been kept long
enough: kind, channel, status and times keep the event counts and KPIs true; what was said goes.
"""

from datetime import datetime

from django.db.models import Q

from core.data_protection import Person, holds, holds_none
from notifications.models import (
    STATUS_RANK,
    Delivery,
    DeliveryStatus,
    MessageTemplate,
    ScheduledMessage,
    StatusEvent,
    StatusReport,
    TripEvent,
)

_UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
_TEXT_CLEARED = {
    "text": "",
    "template_variables": {},
    "context": {},
    "media_url": "",
    "error_message": "",
}


def _deliveries(person: Person):
    return Delivery.objects.filter(
        Q(customer_id__in=person.customer_ids) | Q(contact_point_id__in=person.contact_point_ids)
    )


def _erase_deliveries(person: Person) -> int:
    rows = _deliveries(person)
    # What has not gone out yet never will: the person is gone.
    rows.filter(status__in=_UNSENT).update(
        status=DeliveryStatus.SUPERSEDED, status_rank=STATUS_RANK[DeliveryStatus.SUPERSEDED]
    )
    changed = 0
    for pk in rows.exclude(dedupe_key__startswith="erased:").values_list("pk", flat=True):
        changed += Delivery.objects.filter(pk=pk).update(dedupe_key=f"erased:{pk}", **_TEXT_CLEARED)
    return changed


def _export_deliveries(person: Person) -> list[dict]:
    return list(
        _deliveries(person).values(
            "kind",
            "channel",
            "status",
            "text",
            "template_variables",
            "media_url",
            "error_code",
            "error_message",
            "created_at",
            "sent_at",
            "delivered_at",
            "read_at",
            "failed_at",
        )
    )


def _purge_delivery_text(cutoff: datetime) -> int:
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(status__in=_UNSENT)
    return old.filter(
        ~Q(text="") | ~Q(template_variables={}) | ~Q(context={}) | ~Q(media_url="")
    ).update(text="", template_variables={}, context={}, media_url="")


def _status_events(person: Person):
    by_address = Q()
    for channel, address in person.addresses:
        if channel == "whatsapp":
            by_address |= Q(raw__To=f"whatsapp:{address}") | Q(raw__From=f"whatsapp:{address}")
        else:
            by_address |= Q(raw__sender__id=address) | Q(raw__recipient__id=address)
    mine = _deliveries(person)
    return StatusEvent.objects.filter(
        Q(delivery__in=mine)
        | Q(
            provider_message_id__in=mine.exclude(provider_message_id="").values(
                "provider_message_id"
            )
        )
        | by_address
    )


def _erase_status_events(person: Person) -> int:
    return _status_events(person).exclude(raw={}).update(raw={})


def _purge_status_raw(cutoff: datetime) -> int:
    return StatusEvent.objects.filter(received_at__lt=cutoff).exclude(raw={}).update(raw={})


holds(
    Delivery,
    erase=_erase_deliveries,
    export=_export_deliveries,
    # A relative's message names the traveller it is about.
    mentions=("text", "template_variables", "context", "error_message"),
    owner="customer",
    retention={"delivery_text": _purge_delivery_text},
    order=30,
)
holds(
    StatusEvent,
    erase=_erase_status_events,
    export=None,  # the status history is in each exported delivery
    retention={"raw_payloads": _purge_status_raw},
    order=30,
)


def _status_reports(person: Person):
    # A callback still waiting to be applied: to whom it went, and for which of our deliveries.
    addresses = [address for _, address in person.addresses]
    return StatusReport.objects.filter(
        Q(address__in=addresses) | Q(delivery_id__in=_deliveries(person).values("pk"))
    )


def _erase_status_reports(person: Person) -> int:
    return _status_reports(person).delete()[0]


def _purge_status_reports(cutoff: datetime) -> int:
    # Applied within seconds and deleted; one still here is one no worker ever took.
    return StatusReport.objects.filter(received_at__lt=cutoff).delete()[0]


holds(
    StatusReport,
    erase=_erase_status_reports,
    export=None,  # applied, it is the status history of the exported deliveries
    retention={"status_reports": _purge_status_reports},
    order=30,
)
holds_none(TripEvent, why="a trip event as the travel company sent it; it names no one")
holds_none(MessageTemplate, why="the approved wording with placeholders; names no one")


def _scheduled(person: Person):
    return ScheduledMessage.objects.filter(customer_id__in=person.customer_ids)


def _erase_scheduled(person: Person) -> int:
    # What was waiting for the person never goes: they are gone.
    return _scheduled(person).delete()[0]


def _export_scheduled(person: Person) -> list[dict]:
    return list(_scheduled(person).values("kind", "trip__service", "due_at", "status"))


holds(
    ScheduledMessage,
    erase=_erase_scheduled,
    export=_export_scheduled,
    owner="customer",
    order=30,
)
