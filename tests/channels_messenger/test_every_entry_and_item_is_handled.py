"""One POST with several entries, each with several items: nothing is skipped."""

from datetime import UTC, datetime

import pytest

from channels_messenger.webhooks import accept_events
from core.models import InboundMessage
from tests.channels_messenger.conftest import fixture, post_events


@pytest.mark.django_db
def test_two_entries_with_several_items_are_all_stored(messenger, client):
    response = post_events(client, fixture("webhook_two_entries"))

    assert response.status_code == 200
    stored = {
        row.provider_message_id: row for row in InboundMessage.objects.filter(channel="messenger")
    }
    question = stored["m_inbound-text-1"]
    assert (question.kind, question.from_address, question.text, question.payload) == (
        "message",
        "6024899027565234",
        "Is my flight on time?",
        "TRIP_STATUS",
    )
    assert question.sent_at == datetime(2026, 11, 22, 8, 20, tzinfo=UTC)
    assert question.raw["message"]["mid"] == "m_inbound-text-1"
    photo = stored["m_inbound-photo-2"]
    assert photo.media == [
        {
            "url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/passport.jpg",
            "content_type": "image/*",
        }
    ]
    get_started = stored["m_postback-get-started"]
    assert (get_started.kind, get_started.text, get_started.payload) == (
        "postback",
        "Get Started",
        "GET_STARTED",
    )
    referrals = {(r.from_address, r.payload) for r in stored.values() if r.kind == "referral"}
    assert referrals == {("7130088127765001", "TFABCDEFGH23"), ("8200000000000042", "TFZYXWVUTS98")}
    assert len(stored) == 5


@pytest.mark.django_db
def test_accept_events_counts_every_item_it_handled(messenger):
    # 2 messages + (postback + its referral) + referral + read
    assert accept_events(fixture("webhook_two_entries")) == 6


@pytest.mark.django_db
def test_items_without_a_sender_or_of_unknown_kinds_are_skipped_not_fatal(messenger, client):
    payload = fixture("webhook_referral")
    payload["entry"][0]["messaging"] += [
        {
            "recipient": {"id": "1000000000001"},
            "timestamp": 1,
            "message": {"mid": "m_x", "text": "?"},
        },
        {
            "sender": {"id": "6024899027565234"},
            "timestamp": 2,
            "reaction": {"mid": "m_y", "action": "react"},
        },
        "not an object",
    ]
    payload["entry"].append("not an entry")

    response = post_events(client, payload)

    assert response.status_code == 200
    assert list(InboundMessage.objects.values_list("kind", flat=True)) == ["referral"]
