"""Delivery and read watermarks: everything sent before them moves on, nothing moves back."""

from datetime import timedelta

import pytest

from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.services import deliveries_send, message_create
from tests.channels_messenger.conftest import (
    PSID,
    delivery_event,
    now_ms,
    open_window,
    post_events,
    read_event,
)


def sent_reply(contact_point, text: str) -> Delivery:
    delivery = message_create(contact_point=contact_point, kind=MessageKind.AGENT_REPLY, text=text)
    assert deliveries_send(ids=[delivery.pk]).sent == 1
    return Delivery.objects.get(pk=delivery.pk)


def status(delivery: Delivery) -> str:
    return Delivery.objects.get(pk=delivery.pk).status


@pytest.mark.django_db
def test_delivery_watermark_without_mids_marks_everything_sent_before_it(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    first, second = sent_reply(messenger_person, "one"), sent_reply(messenger_person, "two")

    post_events(client, delivery_event(PSID, [], now_ms()))

    assert status(first) == status(second) == DeliveryStatus.DELIVERED


@pytest.mark.django_db
def test_delivery_mids_mark_exactly_those_messages(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    delivery = sent_reply(messenger_person, "one")

    post_events(
        client, delivery_event(PSID, [delivery.provider_message_id], now_ms(-timedelta(hours=1)))
    )

    assert status(delivery) == DeliveryStatus.DELIVERED
    assert Delivery.objects.get(pk=delivery.pk).delivered_at is not None


@pytest.mark.django_db
def test_read_watermark_marks_read_and_a_later_delivery_report_does_not_undo_it(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    delivery = sent_reply(messenger_person, "one")

    post_events(client, read_event(PSID, now_ms()))
    post_events(client, delivery_event(PSID, [delivery.provider_message_id], now_ms()))

    assert status(delivery) == DeliveryStatus.READ


@pytest.mark.django_db
def test_a_message_sent_after_the_watermark_is_not_marked(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    earlier, later = sent_reply(messenger_person, "one"), sent_reply(messenger_person, "two")
    watermark = now_ms()
    Delivery.objects.filter(pk=later.pk).update(sent_at=later.sent_at + timedelta(minutes=5))

    post_events(client, read_event(PSID, watermark))

    assert status(earlier) == DeliveryStatus.READ
    assert status(later) == DeliveryStatus.SENT


@pytest.mark.django_db
def test_someone_elses_watermark_leaves_this_person_alone(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    delivery = sent_reply(messenger_person, "one")

    post_events(client, read_event("9999999999999999", now_ms()))

    assert status(delivery) == DeliveryStatus.SENT


@pytest.mark.django_db
def test_watermark_stamped_by_meta_just_before_our_send_returned_still_covers_it(
    messenger, graph_sends, client, messenger_person
):
    open_window(messenger_person)
    delivery = sent_reply(messenger_person, "one")
    metas_timestamp = int((delivery.sent_at - timedelta(milliseconds=400)).timestamp() * 1000)

    post_events(client, read_event(PSID, metas_timestamp))

    assert status(delivery) == DeliveryStatus.READ
