"""Conversations labelled by agents, made the quick way (the inbound path is tested elsewhere)."""

import pytest
from django.conf import settings

from contact_reasons import dataset
from contact_reasons.models import ReasonLabel
from core.services import contact_point_for_inbound
from tests.webcare_inbox.conftest import agent, agent_client, make_agent, receive  # noqa: F401
from webcare_inbox.models import Conversation, Message


def conversation_with(text: str, *, n: int) -> Conversation:
    cp = contact_point_for_inbound(
        channel="whatsapp", address=f"+3161{n:07d}", provider_user_id="", profile_name=f"P{n}"
    )
    conversation = Conversation.objects.create(
        customer=cp.customer, contact_point=cp, channel="whatsapp"
    )
    Message.objects.create(conversation=conversation, direction="in", text=text)
    return conversation


@pytest.fixture
def labelled():
    """Make `count` conversations from the shipped training rows, each labelled by an agent."""

    def make(count: int = 0) -> list[ReasonLabel]:
        rows = dataset.rows("train")[: count or len(dataset.rows("train"))]
        return [
            ReasonLabel.objects.create(
                conversation=conversation_with(row["text"], n=n),
                reason=row["reason"],
                source="chosen",
            )
            for n, row in enumerate(rows)
        ]

    return make


@pytest.fixture
def few_labels_needed(settings):
    settings.CONTACT_REASONS_MIN_LABELS = 40
    settings.CONTACT_REASONS_MIN_PER_REASON = 5
    return settings


__all__ = ["settings"]
