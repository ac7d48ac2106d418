"""Twilio's 21610 (the person unsubscribed) is their opt-out, recorded as such: no more trip
messages until they opt in again, and START brings them back (it is not a dead address)."""

import pytest
from django.utils import timezone

from core.models import ContactPoint, Trip
from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.selectors import trip_recipient_contact_points
from notifications.services import delivery_accepted, message_create
from tests.channels_whatsapp.conftest import STATUS_PATH, load, post_twilio
from tests.webcare_inbox.conftest import receive

pytestmark = pytest.mark.django_db(transaction=True)


def recipients() -> list[int]:
    trip = Trip.objects.get(service="KL1001")
    return [row["id"] for row in trip_recipient_contact_points(trip=trip)]


def test_undelivered_21610_opts_the_address_out_until_start(client, make_booking, twilio):
    make_booking()
    anna = ContactPoint.objects.get(address="+31612345678")
    ContactPoint.objects.filter(pk=anna.pk).update(last_inbound_at=timezone.now())
    delivery = message_create(contact_point=anna, kind=MessageKind.AGENT_REPLY, text="Om 10:15.")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, status_rank=1)
    sid = "SM21610b1f0e9c8a4b3d2e1f0a9b8c7d6e5"
    delivery_accepted(delivery=delivery, provider_message_id=sid)
    callback = {**load("status_undelivered_63003"), "MessageSid": sid, "ErrorCode": "21610"}

    post_twilio(client, f"{STATUS_PATH}?d={delivery.pk}", callback)

    anna.refresh_from_db()
    assert not anna.opted_in and anna.unreachable_at is None
    assert anna.consent_records.last().source == (
        "provider opt-out: 21610: the recipient unsubscribed; needs a new opt-in"
    )
    assert recipients() == []

    receive("START", address=anna.address)

    anna.refresh_from_db()
    assert anna.opted_in and recipients() == [anna.pk]
