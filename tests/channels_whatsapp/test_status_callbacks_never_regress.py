"""Twilio's status callbacks, in any order and repeated, leave each delivery in its furthest
state."""

import itertools
import random

import pytest

from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus, MessageKind, StatusEvent
from notifications.services import delivery_accepted, message_create
from tests.channels_whatsapp.conftest import STATUS_PATH, load, post_twilio

pytestmark = pytest.mark.django_db
SID = "SM7d2b1f0e9c8a4b3d2e1f0a9b8c7d6e5f"  # the sid in the status fixtures


@pytest.fixture
def delivery(make_booking, twilio):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    delivery = message_create(contact_point=cp, kind=MessageKind.AGENT_REPLY, text="Om 10:15.")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, status_rank=1)
    delivery_accepted(delivery=delivery, provider_message_id=SID, status="queued")
    return delivery


def callback(client, delivery, fixture: str, **fields):
    form = {**load(fixture), **fields}
    response = post_twilio(client, f"{STATUS_PATH}?d={delivery.pk}", form)
    assert response.status_code == 204, response.content
    return response


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["status_sent", "status_delivered", "status_read"]))
)
def test_any_order_repeated_ends_read(client, delivery, order):
    for fixture in order + order:
        callback(client, delivery, fixture)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READ
    assert delivery.sent_at and delivery.delivered_at and delivery.read_at
    assert StatusEvent.objects.filter(provider_message_id=SID).count() == 3


def test_failed_then_delivered_ends_delivered(client, delivery):
    callback(client, delivery, "status_failed_63016")
    callback(client, delivery, "status_delivered")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_shuffled_storm_with_a_late_failure_ends_delivered(client, delivery):
    storm = ["status_sent", "status_delivered", "status_failed_63016"] * 3
    random.Random(7).shuffle(storm)
    for fixture in storm:
        callback(client, delivery, fixture)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_failure_outside_the_window_says_why_and_keeps_the_address(client, delivery):
    callback(client, delivery, "status_sent")
    callback(client, delivery, "status_failed_63016")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_code) == (DeliveryStatus.FAILED, "63016")
    assert delivery.error_message == "63016: outside the 24-hour window; a template is required"
    assert delivery.contact_point.unreachable_at is None  # the next message, as a template, may go


@pytest.mark.parametrize("twilio_status", ["accepted", "queued", "sending"])
def test_twilio_holding_the_message_counts_as_queued(client, delivery, twilio_status):
    callback(client, delivery, "status_sent", MessageStatus=twilio_status, SmsStatus=twilio_status)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED


@pytest.mark.parametrize(
    "twilio_status", ["received", "receiving", "scheduled", "canceled", "something-new"]
)
def test_statuses_that_say_nothing_about_our_message_are_ignored(client, delivery, twilio_status):
    callback(client, delivery, "status_sent", MessageStatus=twilio_status)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert not StatusEvent.objects.exists()


def test_a_callback_without_status_is_refused_by_name(client, delivery):
    form = {k: v for k, v in load("status_sent").items() if k != "MessageStatus"}

    response = post_twilio(client, f"{STATUS_PATH}?d={delivery.pk}", form)

    assert (response.status_code, response.content.decode()) == (
        400,
        "missing field: MessageStatus",
    )
    assert not StatusEvent.objects.exists()


def test_a_mangled_delivery_id_falls_back_to_the_message_sid(client, delivery):
    response = post_twilio(client, f"{STATUS_PATH}?d=not-a-uuid", load("status_delivered"))

    assert response.status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
