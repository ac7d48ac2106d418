"""When Twilio says an address can never be reached, the next trip update skips it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import ContactPoint, Trip
from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.selectors import trip_recipient_contact_points
from notifications.services import deliveries_send, delivery_accepted, message_create
from tests.channels_whatsapp.conftest import MESSAGES_URL, STATUS_PATH, load, post_twilio
from tests.fakes.twilio_api import TwilioApiMock

pytestmark = pytest.mark.django_db
ERRORS = load("error_responses")


@pytest.fixture
def anna(make_booking, twilio):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    ContactPoint.objects.filter(pk=cp.pk).update(last_inbound_at=timezone.now())  # window open
    return ContactPoint.objects.get(pk=cp.pk)


def reply(cp: ContactPoint) -> Delivery:
    return message_create(contact_point=cp, kind=MessageKind.AGENT_REPLY, text="Om 10:15.")


def recipients() -> list[str]:
    trip = Trip.objects.get(service="KL1001")
    return [row["id"] for row in trip_recipient_contact_points(trip=trip)]


def test_undelivered_63003_callback_marks_the_address_unreachable(client, anna):
    delivery = reply(anna)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, status_rank=1)
    delivery_accepted(delivery=delivery, provider_message_id="SM7d2b1f0e9c8a4b3d2e1f0a9b8c7d6e5f")
    assert recipients() == [anna.pk]

    post_twilio(client, f"{STATUS_PATH}?d={delivery.pk}", load("status_undelivered_63003"))

    delivery.refresh_from_db()
    anna.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (DeliveryStatus.UNDELIVERED, "63003")
    assert delivery.error_message == "63003: the address is inactive or invalid on WhatsApp"
    assert anna.unreachable_at is not None and anna.unreachable_code == "63003"
    assert recipients() == []


@pytest.mark.parametrize("code", ["63003", "21211", "63024"])
def test_refused_at_send_marks_the_address_unreachable(anna, code):
    delivery = reply(anna)
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=ERRORS[code]["status"], json=ERRORS[code]["body"])
        result = deliveries_send(ids=[delivery.pk])
        assert len(mock.calls) == 1

    delivery.refresh_from_db()
    anna.refresh_from_db()
    assert result.failed == 1
    assert (delivery.status, delivery.error_code) == (DeliveryStatus.FAILED, code)
    assert anna.unreachable_code == code
    assert recipients() == []


def test_outside_the_window_at_send_fails_the_message_only(anna):
    delivery = reply(anna)
    with TwilioApiMock() as mock:
        mock.post(MESSAGES_URL, status=400, json=ERRORS["63016"]["body"])
        deliveries_send(ids=[delivery.pk])

    delivery.refresh_from_db()
    anna.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (DeliveryStatus.FAILED, "63016")
    assert anna.unreachable_at is None
    assert recipients() == [anna.pk]


def test_throttled_send_waits_at_least_as_long_as_twilio_asked(anna):
    delivery = reply(anna)
    before = timezone.now()
    with TwilioApiMock() as mock:
        mock.post(
            MESSAGES_URL, status=429, json=ERRORS["20429"]["body"], headers={"Retry-After": "120"}
        )
        result = deliveries_send(ids=[delivery.pk])

    delivery.refresh_from_db()
    assert result.retry == {"interactive": [delivery.pk]} and result.retry_in >= 120
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.not_before >= before + timedelta(seconds=120)
    assert recipients() == [anna.pk]
