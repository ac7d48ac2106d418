"""Meta's own opt-out: a person who stops the page's notifications in Messenger is opted out as
by STOP (with that source in the consent history); resuming them opts them in again."""

import pytest

from core.models import ContactPoint
from tests.channels_messenger.conftest import PAGE_ID, PSID, now_ms, post_events


def optin_event(status: str) -> dict:
    item = {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms(),
        "optin": {
            "type": "notification_messages",
            "payload": "trip-updates",
            "notification_messages_token": "token-1",
            "notification_messages_status": status,
        },
    }
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms(), "messaging": [item]}]}


@pytest.mark.django_db
def test_stopping_notifications_counts_as_stop(client, messenger, messenger_person):
    assert messenger_person.opted_in

    assert post_events(client, optin_event("STOP_NOTIFICATIONS")).status_code == 200
    assert post_events(client, optin_event("STOP_NOTIFICATIONS")).status_code == 200  # retried

    cp = ContactPoint.objects.get(pk=messenger_person.pk)
    assert not cp.opted_in and cp.opted_out_at is not None
    assert list(cp.consent_records.values_list("action", "source")) == [
        ("opt_in", "booking MSG001"),
        ("opt_out", "Messenger: stopped notifications"),
    ]

    assert post_events(client, optin_event("RESUME_NOTIFICATIONS")).status_code == 200
    cp.refresh_from_db()
    assert cp.opted_in
    assert cp.consent_records.last().source == "Messenger: resumed notifications"
