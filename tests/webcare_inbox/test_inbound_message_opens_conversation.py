from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Customer, Trip
from tests import clock
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation, Message


@pytest.mark.django_db(transaction=True)
def test_travellers_message_lands_in_a_conversation_about_their_next_trip(make_booking):
    make_booking("ABC123")
    soon = timezone.now() + timedelta(days=2)
    Trip.objects.update(scheduled_departure=soon, scheduled_arrival=soon + timedelta(hours=1))

    inbound = receive("Mag ik een extra koffer meenemen?", profile_name="Anna")

    conversation = Conversation.objects.get()
    assert conversation.customer.full_name == "Anna de Vries"
    assert conversation.channel == "whatsapp" and conversation.status == "open"
    assert conversation.trip.key == clock.TRIP
    assert conversation.last_message_preview == "Mag ik een extra koffer meenemen?"
    assert conversation.unread == 1
    message = Message.objects.get(direction="in")
    assert (message.direction, message.text, message.inbound_id) == (
        "in",
        "Mag ik een extra koffer meenemen?",
        inbound.pk,
    )
    inbound.refresh_from_db()
    assert inbound.processed_at is not None
    assert inbound.contact_point.address == "+31612345678"
    # The message reopened the 24-hour window for replies.
    assert inbound.contact_point.window_open()


@pytest.mark.django_db(transaction=True)
def test_a_stranger_gets_a_new_person_named_after_their_profile():
    receive(
        "Hi, I lost my bag",
        address="+447700900123",
        profile_name="Sam Taylor",
        media=[{"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"}],
    )

    conversation = Conversation.objects.get()
    assert Customer.objects.get().full_name == "Sam Taylor"
    assert conversation.trip is None
    assert conversation.messages.get(direction="in").media == [
        {"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"}
    ]


@pytest.mark.django_db(transaction=True)
def test_a_trip_that_landed_long_ago_is_not_linked(make_booking):
    make_booking("ABC123")
    past = timezone.now() - timedelta(days=3)
    Trip.objects.update(scheduled_departure=past, scheduled_arrival=past + timedelta(hours=1))

    receive("Thanks for the flight")

    assert Conversation.objects.get().trip is None
