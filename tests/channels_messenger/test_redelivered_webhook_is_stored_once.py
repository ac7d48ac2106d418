"""Meta delivers at least once: the same webhook twice must not make two of anything."""

import pytest

from core.models import InboundMessage
from notifications.models import StatusEvent
from tests.channels_messenger.conftest import fixture, post_events


@pytest.mark.django_db
def test_the_same_events_twice_are_stored_once(messenger, client):
    first = post_events(client, fixture("webhook_two_entries"))
    again = post_events(client, fixture("webhook_two_entries"))

    assert first.status_code == again.status_code == 200
    assert InboundMessage.objects.count() == 5
    # referrals carry no id of their own: theirs is derived, and stable
    assert InboundMessage.objects.filter(kind="referral").count() == 2


@pytest.mark.django_db
def test_the_same_delivery_report_twice_is_recorded_once(messenger, client):
    post_events(client, fixture("webhook_delivery"))
    post_events(client, fixture("webhook_delivery"))

    assert StatusEvent.objects.filter(channel="messenger", status="delivered").count() == 1


@pytest.mark.django_db
def test_a_postback_without_a_mid_gets_a_stable_id(messenger, client):
    payload = fixture("webhook_two_entries")
    del payload["entry"][1]["messaging"][0]["postback"]["mid"]

    post_events(client, payload)
    post_events(client, payload)

    postbacks = InboundMessage.objects.filter(kind="postback")
    assert postbacks.count() == 1 and postbacks.get().provider_message_id.startswith("postback:")
