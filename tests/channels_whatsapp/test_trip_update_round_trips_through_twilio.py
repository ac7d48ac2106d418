"""A delay goes out through the Twilio adapter and comes back delivered through our webhook."""

import hashlib
import json

import pytest

from core.models import Trip
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import event_delivery_counts
from notifications.services import trip_event_publish
from tests import clock
from tests.channels_whatsapp.conftest import PUBLIC_BASE_URL, SENDER, load, post_twilio, sent_form

pytestmark = pytest.mark.django_db(transaction=True)


def publish_delay(trip: Trip):
    payload = {"estimated_departure": clock.iso(10, 15), "reason": "late arrival of the aircraft"}
    event, _ = trip_event_publish(
        trip=trip,
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key="delay-1",
        request_hash=hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest(),
    )
    return event


def report(client, call, status: str):
    """What Twilio does next: POST the status to the StatusCallback it was given, signed."""
    callback = sent_form(call)["StatusCallback"]
    assert callback.startswith(PUBLIC_BASE_URL + "/webhooks/whatsapp/twilio/status/?d=")
    form = {
        **load(f"status_{status}"),
        "MessageSid": call.response.json()["sid"],
        "SmsSid": call.response.json()["sid"],
    }
    response = post_twilio(client, callback.removeprefix(PUBLIC_BASE_URL), form)
    assert response.status_code == 204


def test_delay_is_sent_as_template_and_reported_delivered(client, twilio_api, make_booking):
    make_booking()
    assert len(twilio_api.calls) == 1  # the booking confirmation
    event = publish_delay(Trip.objects.get(service="KL1001"))

    assert len(twilio_api.calls) == 2
    delay = twilio_api.calls[1]
    form = sent_form(delay)
    assert (form["To"], form["From"]) == ("whatsapp:+31612345678", SENDER)
    assert form["ContentSid"].startswith("HX") and "Body" not in form  # outside the 24-hour window
    variables = json.loads(form["ContentVariables"])
    assert variables["1"] == "Anna de Vries" and "10:15" in variables.values()
    assert event_delivery_counts(event=event)["pending"] == 1  # Twilio has it, nothing reported yet

    report(client, delay, "delivered")
    report(client, delay, "sent")  # Twilio does not promise order

    assert event_delivery_counts(event=event) == {
        "pending": 0,
        "sent": 0,
        "delivered": 1,
        "read": 0,
        "failed": 0,
    }
    delivery = Delivery.objects.get(event=event)
    assert delivery.provider_message_id == delay.response.json()["sid"]
    assert delivery.status == DeliveryStatus.DELIVERED


def test_failure_outside_the_window_shows_as_failed_with_the_reason(
    client, twilio_api, make_booking
):
    make_booking()
    event = publish_delay(Trip.objects.get(service="KL1001"))
    delay = twilio_api.calls[1]

    report(client, delay, "sent")
    report(client, delay, "failed_63016")

    assert event_delivery_counts(event=event)["failed"] == 1
    delivery = Delivery.objects.get(event=event)
    assert delivery.error_message == "63016: outside the 24-hour window; a template is required"
