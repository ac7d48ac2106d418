"""A label typed in the inbox that names a reason counts as the agent's label."""

import pytest

from contact_reasons.models import ReasonLabel
from tests.contact_reasons.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)


def test_typed_label_counts(agent_client):
    receive("Can we sit together? Family of 4")
    conversation = Conversation.objects.get()
    agent_client.post(f"/inbox/c/{conversation.pk}/label/", {"name": "Seat"})
    agent_client.post(f"/inbox/c/{conversation.pk}/label/", {"name": "vip"})
    label = ReasonLabel.objects.get(conversation=conversation)
    assert (label.reason, label.source) == ("seat", "chosen")
