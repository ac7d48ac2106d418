import pytest
from django.contrib.auth.models import User

from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive, sent_by_agents
from webcare_inbox.models import Conversation


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/inbox/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/inbox/"
    login = client.get(response["Location"])
    assert login.status_code == 200
    assert (
        'name="username"' in login.content.decode() and 'name="password"' in login.content.decode()
    )


@pytest.mark.django_db
def test_agent_can_sign_in_and_lands_in_the_inbox(client, agent):
    agent.set_password("correct horse battery")
    agent.save()

    response = client.post(
        "/accounts/login/",
        {"username": "agnes", "password": "correct horse battery", "next": "/inbox/"},
    )

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert "No conversations yet." in client.get("/inbox/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_signed_in_user_who_is_not_an_agent_is_refused(client):
    receive("Hello")
    conversation = Conversation.objects.get()
    client.force_login(User.objects.create_user("visitor"))

    assert client.get("/inbox/").status_code == 403
    assert client.get(f"/inbox/c/{conversation.pk}/").status_code == 403
    assert client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": "hi"}).status_code == 403
    assert not sent_by_agents().exists() and "hi" not in SandboxMessage.objects.values_list(
        "text", flat=True
    )


@pytest.mark.django_db
def test_superuser_needs_no_group(client):
    client.force_login(User.objects.create_superuser("root", password=None))

    assert client.get("/inbox/").status_code == 200


@pytest.mark.django_db
def test_unknown_conversation_is_404(agent_client):
    assert agent_client.get("/inbox/c/999999/").status_code == 404
