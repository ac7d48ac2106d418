import hashlib

import pytest

from core.models import Trip
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import event_delivery_counts
from notifications.services import trip_event_publish
from sandbox.models import SandboxMessage
from tests import clock


def publish(trip, type="delayed", key="k1", **data):
    payload = {k: v for k, v in data.items()}
    return trip_event_publish(
        trip=trip,
        type=type,
        data=data,
        payload=payload,
        idempotency_key=key,
        request_hash=hashlib.sha256(repr(sorted(payload.items())).encode()).hexdigest(),
    )


@pytest.mark.django_db(transaction=True)
def test_person_in_two_bookings_gets_one_delay_message(make_booking):
    make_booking(
        "ABC123",
        [
            ("P1", "Anna", "de Vries", "nl", "formal", "+31612345678"),
            ("P2", "Bram", "de Vries", "en", "informal", "+31687654321"),
        ],
    )
    make_booking("XYZ789", [("P1", "Anna", "de Vries", "nl", "formal", "+31612345678")])
    SandboxMessage.objects.all().delete()  # booking confirmations
    trip = Trip.objects.get(service="KL1001")

    event, created = publish(
        trip, estimated_departure=clock.iso(10, 15), reason="late arrival of the aircraft"
    )

    assert created and event.recipients == 2
    texts = {m.to: m.text for m in SandboxMessage.objects.all()}
    assert len(texts) == 2 and SandboxMessage.objects.count() == 2
    # Outside the 24-hour window WhatsApp gets the approved template, rendered as read.
    assert texts["+31612345678"] == (
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd. "
        "Nieuwe vertrektijd: 10:15 (was 09:00). Verwachte aankomst: "
        "10:35 lokale tijd. Reden: late arrival of the aircraft."
    )
    assert texts["+31687654321"].startswith("Hi Bram, your flight KL1001 to London is delayed.")
    assert all(m.template_sid.startswith("HX") for m in SandboxMessage.objects.all())
    counts = event_delivery_counts(event=event)
    assert counts["pending"] == 0 and counts["delivered"] == 2


@pytest.mark.django_db(transaction=True)
def test_new_booking_confirms_once_and_replace_does_not(make_booking):
    make_booking("ABC123")
    make_booking("ABC123")
    assert SandboxMessage.objects.count() == 1
    message = SandboxMessage.objects.get()
    assert (
        "uw boeking ABC123 is bevestigd: KL1001 van Amsterdam "
        f"naar Londen op {clock.spoken_day('nl')}, vertrek 09:00"
    ) in message.text
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
