"""Each permanent Twilio error: failed at once with its code and a readable reason, never tried
again; an address that can never be reached is marked (agents see why) and skipped next time."""

import hashlib

import pytest

from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import event_delivery_counts
from notifications.services import sweep, trip_event_publish
from tests import clock
from tests.delivery_engine.conftest import received
from tests.delivery_engine.recipients import phone, recipients_load

pytestmark = pytest.mark.django_db(transaction=True)

# code → (reason shown, address unreachable from now on)
PERMANENT = {
    21211: ("not a valid phone number", True),
    21610: ("unsubscribed", False),  # an opt-out, not a dead address: START opts in again
    63003: ("inactive or invalid", True),
    63014: ("blocked this sender", True),
    63024: ("not a WhatsApp user", True),
    63016: ("outside the 24-hour window", False),
}


def publish(trip, key: str, minutes: int):
    payload = {"estimated_departure": clock.iso(10, minutes)}
    event, _ = trip_event_publish(
        trip=trip,
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key=key,
        request_hash=hashlib.sha256(key.encode()).hexdigest(),
    )
    return event


def test_each_permanent_code_fails_once_with_its_reason(fake_twilio):
    trip = recipients_load(n=len(PERMANENT) + 2)
    refused = {phone(i): code for i, code in enumerate(PERMANENT)}
    fake_twilio.config.refuse = refused

    event = publish(trip, "delay-1", 20)

    assert fake_twilio.refused_count(400) == len(PERMANENT)  # each tried exactly once
    assert received(fake_twilio) == {phone(len(PERMANENT)): 1, phone(len(PERMANENT) + 1): 1}
    for address, code in refused.items():
        delivery = Delivery.objects.get(event=event, contact_point__address=address)
        words, unreachable = PERMANENT[code]
        assert (delivery.status, delivery.error_code, delivery.attempts) == (
            DeliveryStatus.FAILED,
            str(code),
            1,
        )
        assert delivery.error_message.startswith(f"{code}: ") and words in delivery.error_message
        cp = ContactPoint.objects.get(address=address)
        assert (cp.unreachable_at is not None) is unreachable
        if unreachable:
            assert cp.unreachable_code == str(code) and words in cp.unreachable_reason
        if code == 21610:
            withdrawal = cp.consent_records.get(action="opt_out")
            assert not cp.opted_in and withdrawal.source.startswith("provider opt-out: 21610: ")
    assert event_delivery_counts(event=event) == {
        "pending": 2,
        "sent": 0,
        "delivered": 0,
        "read": 0,
        "failed": len(PERMANENT),
    }

    sweep()  # nothing failed is picked up again
    assert fake_twilio.refused_count() == len(PERMANENT)

    publish(trip, "delay-2", 40)  # the unreachable addresses are skipped next time
    assert fake_twilio.refused_count() == len(PERMANENT) + 1  # only the 63016 one is tried again
    assert received(fake_twilio)[phone(len(PERMANENT))] == 2
