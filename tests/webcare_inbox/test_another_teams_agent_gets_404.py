"""Agents see their teams' conversations (and those without a team);
another team's are not there for them."""

import pytest

from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.assignment import conversation_team_set
from webcare_inbox.models import Conversation, Team


@pytest.fixture
def teams(db):
    return Team.objects.create(name="Flights"), Team.objects.create(name="Refunds")


@pytest.mark.django_db(transaction=True)
def test_an_agent_of_another_team_gets_404_everywhere(client, teams):
    flights, refunds = teams
    receive("Where is my refund?")
    conversation = Conversation.objects.get()
    conversation_team_set(conversation=conversation, team=refunds)
    outsider = make_agent("olaf", teams=[flights])
    client.force_login(outsider)

    assert client.get(f"/inbox/c/{conversation.pk}/").status_code == 404
    for action, data in [
        ("reply", {"text": "hi"}),
        ("note", {"text": "x"}),
        ("assign", {"agent": "me"}),
        ("status", {"action": "resolve"}),
        ("label", {"name": "refund"}),
        ("handler", {"handled_by": "bot"}),
    ]:
        assert client.post(f"/inbox/c/{conversation.pk}/{action}/", data).status_code == 404, action
    assert "Where is my refund?" not in client.get("/inbox/?status=any").content.decode()
    conversation.refresh_from_db()
    assert (
        conversation.status == "open"
        and conversation.assignee is None
        and not conversation.labels.exists()
    )


@pytest.mark.django_db(transaction=True)
def test_the_teams_own_agent_and_an_admin_see_it(client, teams, django_user_model):
    flights, refunds = teams
    receive("Where is my refund?")
    conversation = Conversation.objects.get()
    conversation_team_set(conversation=conversation, team=refunds)

    client.force_login(make_agent("rita", teams=[refunds]))
    assert "Where is my refund?" in client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    client.force_login(django_user_model.objects.create_superuser("root-admin", password="x"))
    assert client.get(f"/inbox/c/{conversation.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_conversation_without_a_team_is_for_every_agent(client, teams):
    receive("Hello")
    client.force_login(make_agent("olaf", teams=[teams[0]]))
    assert client.get(f"/inbox/c/{Conversation.objects.get().pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_forms_without_the_csrf_token_are_refused(agent):
    from django.test import Client

    receive("Hello")
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(
        f"/inbox/c/{Conversation.objects.get().pk}/status/", {"action": "resolve"}
    )
    assert response.status_code == 403
    assert Conversation.objects.get().status == "open"
