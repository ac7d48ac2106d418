import itertools

import pytest

from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus, MessageKind, StatusEvent
from notifications.services import delivery_accepted, delivery_status_record, message_create


@pytest.fixture
def delivery(make_booking):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    return message_create(contact_point=cp, kind=MessageKind.AGENT_REPLY, text="hi")


def record(d, status, **kw):
    return delivery_status_record(
        channel="whatsapp", provider_message_id="SM1", status=status, delivery_id=d.pk, **kw
    )


@pytest.mark.django_db
@pytest.mark.parametrize("order", list(itertools.permutations(["sent", "delivered", "read"])))
def test_any_order_of_callbacks_ends_read(delivery, order):
    for status in order:
        record(delivery, status)
        record(delivery, status)  # and every one twice
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READ
    assert delivery.sent_at and delivery.delivered_at and delivery.read_at
    assert StatusEvent.objects.filter(provider_message_id="SM1").count() == 3


@pytest.mark.django_db
def test_failed_then_delivered_is_delivered_but_delivered_then_failed_stays(delivery):
    record(delivery, "failed", error_code="63016")
    record(delivery, "delivered")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    other = Delivery.objects.create(
        dedupe_key="x",
        kind="agent_reply",
        customer=delivery.customer,
        contact_point=delivery.contact_point,
        channel="whatsapp",
    )
    delivery_status_record(
        channel="whatsapp", provider_message_id="SM2", status="delivered", delivery_id=other.pk
    )
    delivery_status_record(
        channel="whatsapp", provider_message_id="SM2", status="failed", delivery_id=other.pk
    )
    other.refresh_from_db()
    assert other.status == DeliveryStatus.DELIVERED


@pytest.mark.django_db
def test_callback_before_the_send_was_recorded_is_applied_afterwards(delivery):
    # The provider reports before our worker stored its answer, and without our delivery id.
    assert (
        delivery_status_record(channel="whatsapp", provider_message_id="SM9", status="delivered")
        is None
    )
    Delivery.objects.filter(pk=delivery.pk).update(status="sending", status_rank=1)
    delivery_accepted(delivery=delivery, provider_message_id="SM9", status="queued")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_message_id) == (DeliveryStatus.DELIVERED, "SM9")
    assert delivery.queued_at and delivery.delivered_at
