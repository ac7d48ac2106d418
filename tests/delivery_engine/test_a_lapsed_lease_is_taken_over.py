"""A claim holds while its worker renews the lease; once the lease runs out, the lease sweep
gives the delivery to another worker at once (a slow worker keeps its own)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.services import (
    leases_sweep,
    status_report_store,
    status_reports_apply,
    sweep,
    trip_event_publish,
)
from notifications.services.claims import deliveries_claim, deliveries_lease_renew
from tests import clock
from tests.delivery_engine.conftest import received
from tests.delivery_engine.recipients import phone, recipients_load

pytestmark = pytest.mark.django_db


def _publish_delay(trip, key: str) -> None:
    """A delay, published in the test's transaction: its deliveries written, not yet queued."""
    trip_event_publish(
        trip=trip,
        type="delayed",
        data={"estimated_departure": clock.iso(10, 20)},
        payload={"estimated_departure": clock.iso(10, 20)},
        idempotency_key=key,
        request_hash=key,
    )


def test_the_renewed_claim_stays_and_the_lapsed_one_goes_out_once(fake_twilio, settings):
    trip = recipients_load(n=2)
    _publish_delay(trip, "lease")  # in the test's transaction: written, not yet queued
    slow, dead = Delivery.objects.order_by("customer_id")
    now = timezone.now()
    assert sorted(deliveries_claim(ids=[slow.pk, dead.pk], now=now)) == sorted([slow.pk, dead.pk])

    lease = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    assert leases_sweep(now=now + lease / 2) == {"taken_over": 0}  # both still held
    deliveries_lease_renew(ids=[slow.pk], until=now + 3 * lease)  # the slow worker's heartbeat

    assert leases_sweep(now=now + 2 * lease) == {"taken_over": 1}

    slow.refresh_from_db()
    dead.refresh_from_db()
    assert slow.status == DeliveryStatus.SENDING  # its worker is still on it: nobody else sends
    assert dead.status == DeliveryStatus.QUEUED  # queued again at once, and sent by another task
    assert received(fake_twilio) == {phone(1): 1}


def test_a_lapsed_claim_whose_callback_waits_is_not_sent_again(fake_twilio, settings):
    """The worker died after Twilio took the message and before it recorded the answer; the
    "sent" callback, carrying our id, waits for its status run: the send went out, so the lease
    sweep leaves the claim to that run instead of sending it again."""
    trip = recipients_load(n=1)
    _publish_delay(trip, "lease-callback")
    delivery = Delivery.objects.get()
    now = timezone.now()
    assert deliveries_claim(ids=[delivery.pk], now=now) == [delivery.pk]
    status_report_store(
        channel="whatsapp",
        provider_message_id="SM" + "7" * 32,
        status=DeliveryStatus.SENT,
        delivery_id=delivery.pk,
        address=phone(0),
    )

    lease = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    assert leases_sweep(now=now + 2 * lease) == {"taken_over": 0}
    assert sweep(now=now + 100 * lease)["unstuck"] == 0

    status_reports_apply()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_message_id) == (DeliveryStatus.SENT, "SM" + "7" * 32)
    assert leases_sweep(now=now + 3 * lease) == {"taken_over": 0}
    assert received(fake_twilio) == {}  # never sent by anyone here
