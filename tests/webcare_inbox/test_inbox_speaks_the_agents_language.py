"""The inbox follows the agent's language preference (Dutch or English)."""

import pytest

from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import AgentProfile, Conversation


@pytest.mark.django_db(transaction=True)
def test_a_dutch_agent_gets_dutch_and_can_switch(client):
    receive("Hello")
    client.force_login(make_agent("dirk", language="nl"))
    page = client.get(f"/inbox/c/{Conversation.objects.get().pk}/").content.decode()
    assert "Gesprekken" in page and "Afhandelen" in page and "24-uursvenster open tot" in page
    assert '<html lang="nl">' in page

    response = client.post("/inbox/preferences/", {"language": "en", "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert AgentProfile.objects.get(user__username="dirk").language == "en"
    page = client.get("/inbox/").content.decode()
    assert "Conversations" in page and "Gesprekken" not in page


@pytest.mark.django_db
def test_preferences_never_redirect_elsewhere(agent_client):
    response = agent_client.post(
        "/inbox/preferences/", {"language": "nl", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/inbox/"
