"""Our own messages come back as echoes; they are not something the person wrote."""

import pytest

from core.models import InboundMessage
from tests.channels_messenger.conftest import fixture, post_events


@pytest.mark.django_db
def test_echo_is_acknowledged_and_not_stored(messenger, client):
    response = post_events(client, fixture("webhook_message_echo"))

    assert response.status_code == 200
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_echo_next_to_a_real_message_leaves_only_the_real_one(messenger, client):
    payload = fixture("webhook_message_echo")
    payload["entry"] += fixture("webhook_two_entries")["entry"][:1]

    post_events(client, payload)

    assert set(InboundMessage.objects.values_list("provider_message_id", flat=True)) == {
        "m_inbound-text-1",
        "m_inbound-photo-2",
    }
