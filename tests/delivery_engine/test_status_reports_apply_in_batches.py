"""Status reports applied many at once keep the rules of one at a time: never backwards, every
transition's first time kept, a report before our send waits for it, the same report twice
counts once."""

import hashlib
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, StatusEvent, StatusReport
from notifications.services import (
    delivery_accepted,
    status_report_store,
    status_reports_apply,
    trip_event_publish,
)
from tests import clock
from tests.delivery_engine.recipients import recipients_load

pytestmark = pytest.mark.django_db(transaction=True)


def _event_deliveries(n: int) -> list[Delivery]:
    trip = recipients_load(n=n)
    payload = {"estimated_departure": clock.iso(10, 20)}
    event, _ = trip_event_publish(
        trip=trip,
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key="b1",
        request_hash=hashlib.sha256(b"b1").hexdigest(),
    )
    return list(
        Delivery.objects.filter(event=event).select_related("contact_point").order_by("customer_id")
    )


def _store(delivery: Delivery, status: str, at, *, with_id: bool = True) -> None:
    status_report_store(
        channel="whatsapp",
        provider_message_id=delivery.provider_message_id,
        status=status,
        delivery_id=delivery.pk if with_id else None,
        address=delivery.contact_point.address,
        raw={"MessageSid": delivery.provider_message_id, "MessageStatus": status},
        at=at,
    )


def _apply_all(limit: int) -> int:
    runs = 0
    while status_reports_apply(limit=limit):
        runs += 1
    return runs


def test_reports_in_any_order_across_small_batches(fake_twilio):
    deliveries = _event_deliveries(12)
    assert all(d.provider_message_id for d in deliveries)
    start = timezone.now()
    times = {
        "sent": start,
        "delivered": start + timedelta(seconds=5),
        "read": start + timedelta(seconds=9),
    }
    reports = [(d, s) for d in deliveries for s in ("sent", "delivered", "read")] * 2
    random.Random(7).shuffle(reports)
    for delivery, status in reports:
        _store(delivery, status, times[status])

    assert _apply_all(limit=7) == -(-len(reports) // 7)  # every batch of 7, none twice
    assert not StatusReport.objects.exists()
    for delivery in Delivery.objects.filter(pk__in=[d.pk for d in deliveries]):
        assert delivery.status == DeliveryStatus.READ
        # A later report arriving first never hides an earlier transition's time.
        assert (delivery.sent_at, delivery.delivered_at, delivery.read_at) == (
            times["sent"],
            times["delivered"],
            times["read"],
        )
    events = StatusEvent.objects.filter(
        provider_message_id__in=[d.provider_message_id for d in deliveries]
    )
    assert events.count() == 3 * len(deliveries) and not events.filter(applied=False).exists()

    # A late "sent" for a read message changes nothing.
    _store(deliveries[0], "sent", start + timedelta(seconds=60))
    _apply_all(limit=7)
    again = Delivery.objects.get(pk=deliveries[0].pk)
    assert (again.status, again.sent_at) == (DeliveryStatus.READ, times["sent"])


def test_a_report_before_our_send_was_recorded_waits_for_it(fake_twilio):
    [delivery] = _event_deliveries(1)
    sid = delivery.provider_message_id
    Delivery.objects.filter(pk=delivery.pk).update(
        provider_message_id="", status=DeliveryStatus.SENDING, status_rank=1
    )
    _store(delivery, "delivered", timezone.now(), with_id=False)  # no ?d=: found by id only
    _apply_all(limit=10)
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENDING
    assert StatusEvent.objects.filter(provider_message_id=sid, applied=False).exists()

    delivery_accepted(delivery=Delivery.objects.get(pk=delivery.pk), provider_message_id=sid)
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED


def test_a_report_with_our_id_finds_the_delivery_before_its_send_is_recorded(fake_twilio):
    [delivery] = _event_deliveries(1)
    sid = delivery.provider_message_id
    Delivery.objects.filter(pk=delivery.pk).update(
        provider_message_id="", status=DeliveryStatus.SENDING, status_rank=1
    )
    _store(delivery, "read", timezone.now())
    _apply_all(limit=10)
    after = Delivery.objects.get(pk=delivery.pk)
    assert (after.status, after.provider_message_id) == (DeliveryStatus.READ, sid)
