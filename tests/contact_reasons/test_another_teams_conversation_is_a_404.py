import pytest

from contact_reasons.models import ReasonLabel
from tests.contact_reasons.conftest import agent, agent_client, make_agent, receive  # noqa: F401
from webcare_inbox.models import Conversation, Team

pytestmark = pytest.mark.django_db(transaction=True)


def test_reason_on_another_teams_conversation(client):
    receive("koffer kwijt")
    conversation = Conversation.objects.get()
    conversation.team = Team.objects.create(name="Elsewhere")
    conversation.save()
    client.force_login(make_agent("outsider", teams=[Team.objects.create(name="Mine")]))
    response = client.post(f"/inbox/reasons/c/{conversation.pk}/", {"reason": "baggage"})
    assert response.status_code == 404
    assert not ReasonLabel.objects.exists()
