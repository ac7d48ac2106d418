"""Status callbacks in any order, each more than once: every delivery ends at its highest
status, and GET /api/v1/events/{id} counts what the providers reported, once."""

import hashlib
import random
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from core.services import api_key_create
from notifications.models import Delivery, DeliveryStatus
from notifications.services import trip_event_publish
from tests import clock
from tests.delivery_engine.recipients import recipients_load

pytestmark = pytest.mark.django_db(transaction=True)

# What the provider reports for each message, and what the delivery must show in the end.
STORIES = [
    (["sent", "delivered", "read"], DeliveryStatus.READ),
    (["sent", "delivered"], DeliveryStatus.DELIVERED),
    (["sent"], DeliveryStatus.SENT),
    (["sent", "failed"], DeliveryStatus.FAILED),
    (["sent", "undelivered", "delivered"], DeliveryStatus.DELIVERED),  # a second device got it
    (["queued"], DeliveryStatus.QUEUED),
]


def callback(client, fake, delivery, status):
    url = f"http://testserver/webhooks/whatsapp/twilio/status/?d={delivery.pk}"
    form = {
        "MessageSid": delivery.provider_message_id,
        "MessageStatus": status,
        "AccountSid": fake.config.twilio_account_sid,
        "To": "whatsapp:" + delivery.contact_point.address,
    }
    if status in ("failed", "undelivered"):
        form["ErrorCode"] = "63016"
    signature = RequestValidator(fake.config.twilio_auth_token).compute_signature(url, form)
    response = client.post(
        url.removeprefix("http://testserver"),
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code in (200, 204)


def test_shuffled_and_repeated_callbacks(client, fake_twilio):
    per_story = 4
    trip = recipients_load(n=len(STORIES) * per_story)
    payload = {"estimated_departure": clock.iso(10, 20)}
    event, _ = trip_event_publish(
        trip=trip,
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key="d1",
        request_hash=hashlib.sha256(b"d1").hexdigest(),
    )
    deliveries = list(
        Delivery.objects.filter(event=event).select_related("contact_point").order_by("customer_id")
    )
    assert all(d.provider_message_id for d in deliveries)

    reports, expected = [], {}
    for n, delivery in enumerate(deliveries):
        statuses, final = STORIES[n % len(STORIES)]
        expected[delivery.pk] = final
        reports += [(delivery, s) for s in statuses] * 3  # every report three times
    random.Random(4).shuffle(reports)
    for delivery, status in reports:
        callback(client, fake_twilio, delivery, status)

    for delivery in Delivery.objects.filter(event=event):
        assert delivery.status == expected[delivery.pk], delivery.contact_point_id
        assert delivery.queued_at is not None
        if expected[delivery.pk] in (DeliveryStatus.READ, DeliveryStatus.DELIVERED):
            assert delivery.sent_at and delivery.delivered_at
    _, key = api_key_create(name="counts")
    counts = client.get(f"/api/v1/events/{event.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()[
        "deliveries"
    ]
    assert counts == {
        "pending": per_story,
        "sent": per_story,
        "delivered": 2 * per_story,
        "read": per_story,
        "failed": per_story,
    }
