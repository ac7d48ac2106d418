import pytest

from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_agent_takes_a_conversation_and_the_list_shows_it(agent_client, agent):
    receive("Hello")
    conversation = Conversation.objects.get()
    assert "Assign to me" in agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    response = agent_client.post(f"/inbox/c/{conversation.pk}/assign/")

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == agent
    page = agent_client.get("/inbox/").content.decode()
    assert '<span class="conv-assignee">Agnes Agent</span>' in page

    agent_client.post(f"/inbox/c/{conversation.pk}/assign/", {"unassign": "1"})

    conversation.refresh_from_db()
    assert conversation.assignee is None


@pytest.mark.django_db(transaction=True)
def test_opening_a_conversation_marks_it_read(agent_client):
    receive("Hello")
    receive("Anyone?")
    conversation = Conversation.objects.get()
    assert conversation.unread == 2

    agent_client.get(f"/inbox/c/{conversation.pk}/")

    conversation.refresh_from_db()
    assert conversation.unread == 0
