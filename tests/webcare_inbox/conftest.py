"""Helpers for the inbox tests: agents, and people writing in through the same service the webhooks
use."""

import uuid
from datetime import datetime

import pytest
from django.contrib.auth.models import Group, User

from core.services import inbound_store


def receive(
    text: str = "Hello, is my flight on time?",
    *,
    channel: str = "whatsapp",
    address: str = "+31612345678",
    sent_at: datetime | None = None,
    provider_message_id: str | None = None,
    **fields,
):
    """A person's message, stored as a webhook would; processing follows on commit."""
    row, _ = inbound_store(
        channel=channel,
        provider_message_id=provider_message_id or f"SM{uuid.uuid4().hex}",
        from_address=address,
        text=text,
        sent_at=sent_at,
        **fields,
    )
    row.refresh_from_db()
    return row


def inbound_messages(conversation=None):
    """What people wrote, in order: the thread without our answers (such as the hand-over note)."""
    from webcare_inbox.models import Message

    rows = Message.objects.filter(direction="in")
    return rows.filter(conversation=conversation) if conversation is not None else rows


def sent_by_agents():
    """What the provider received from agents, leaving out automated answers."""
    from notifications.models import Delivery
    from sandbox.models import SandboxMessage

    ids = Delivery.objects.filter(kind="agent_reply").values_list("provider_message_id", flat=True)
    return SandboxMessage.objects.filter(provider_message_id__in=list(ids))


@pytest.fixture
def agent(db):
    user = User.objects.create_user("agnes", first_name="Agnes", last_name="Agent")
    user.groups.add(Group.objects.get_or_create(name="agents")[0])
    return user


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def make_agent(
    username: str, *, teams=(), available: bool = False, max_open: int = 8, language: str = "en"
):
    """An agent in the `agents` group, member of the given teams, with their inbox preferences."""
    from webcare_inbox.models import AgentProfile

    user = User.objects.create_user(username, first_name=username.title())
    user.groups.add(Group.objects.get_or_create(name="agents")[0])
    for team in teams:
        team.members.add(user)
    AgentProfile.objects.create(
        user=user, available=available, max_open=max_open, language=language
    )
    return user
