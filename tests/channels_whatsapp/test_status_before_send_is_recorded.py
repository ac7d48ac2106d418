"""Twilio can call back before our worker has stored its answer to the send: nothing is lost."""

import pytest

from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.services import delivery_accepted, message_create
from tests.channels_whatsapp.conftest import STATUS_PATH, load, post_twilio

pytestmark = pytest.mark.django_db
SID = "SM7d2b1f0e9c8a4b3d2e1f0a9b8c7d6e5f"


@pytest.fixture
def sending(make_booking, twilio):
    """A delivery a worker has claimed and handed to Twilio, whose answer is not stored yet."""
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    delivery = message_create(contact_point=cp, kind=MessageKind.AGENT_REPLY, text="Om 10:15.")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, status_rank=1)
    return delivery


def test_early_delivered_with_our_id_survives_the_late_accept(client, sending):
    response = post_twilio(client, f"{STATUS_PATH}?d={sending.pk}", load("status_delivered"))
    assert response.status_code == 204

    delivery_accepted(delivery=sending, provider_message_id=SID, status="queued")

    sending.refresh_from_db()
    assert (sending.status, sending.provider_message_id) == (DeliveryStatus.DELIVERED, SID)
    assert sending.queued_at and sending.delivered_at


def test_early_callback_without_our_id_is_kept_and_applied_on_accept(client, sending):
    assert post_twilio(client, STATUS_PATH, load("status_read")).status_code == 204
    sending.refresh_from_db()
    assert sending.status == DeliveryStatus.SENDING  # nothing to attach it to yet

    delivery_accepted(delivery=sending, provider_message_id=SID, status="queued")

    sending.refresh_from_db()
    assert sending.status == DeliveryStatus.READ
