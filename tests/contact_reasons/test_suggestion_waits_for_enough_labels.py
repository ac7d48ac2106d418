"""Before enough labels exist the inbox says so and guesses nothing; the agent's click labels."""

import pytest

from contact_reasons.models import ReasonLabel, ReasonPrediction
from tests.contact_reasons.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_model_no_guess_and_the_click_is_the_label(agent_client, few_labels_needed):
    receive("Mijn koffer is niet aangekomen op Schiphol")
    conversation = Conversation.objects.get()
    assert not ReasonPrediction.objects.exists()

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "Not enough labels yet to suggest a reason (0 of 40)" in page
    assert 'id="reason-accept"' not in page

    response = agent_client.post(f"/inbox/reasons/c/{conversation.pk}/", {"reason": "baggage"})
    assert response.status_code == 302
    label = ReasonLabel.objects.get(conversation=conversation)
    assert (label.reason, label.source) == ("baggage", "chosen")
    assert list(conversation.labels.values_list("name", flat=True)) == ["baggage"]
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert 'id="reason-set">baggage<' in page


def test_an_unknown_reason_is_refused_by_name(agent_client):
    receive("hallo?")
    conversation = Conversation.objects.get()
    response = agent_client.post(
        f"/inbox/reasons/c/{conversation.pk}/", {"reason": "lunch"}, follow=True
    )
    assert "Pick one of the contact reasons." in response.content.decode()
    assert not ReasonLabel.objects.exists()
