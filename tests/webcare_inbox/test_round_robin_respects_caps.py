"""New conversations go in turn to available agents, never past an agent's cap."""

import pytest

from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import AuditEntry, Conversation


@pytest.mark.django_db(transaction=True)
def test_new_conversations_go_round_and_stop_at_the_cap():
    make_agent("ann", available=True, max_open=2)
    make_agent("bob", available=True, max_open=1)
    make_agent("cas", available=False)

    for i in range(5):
        receive(f"Question {i}", address=f"+3161234567{i}")

    owners = [
        c.assignee.username if c.assignee else None for c in Conversation.objects.order_by("pk")
    ]
    assert owners == [
        "ann",
        "bob",
        "ann",
        None,
        None,
    ]  # bob full after one, ann after two; cas is away
    assert AuditEntry.objects.filter(action="auto_assigned").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_resolved_conversation_frees_a_place():
    from webcare_inbox.services import conversation_resolve

    make_agent("ann", available=True, max_open=1)
    receive("First", address="+31612345670")
    conversation_resolve(conversation=Conversation.objects.get(), ask_csat=False)
    receive("Second", address="+31612345671")

    assert (
        Conversation.objects.get(contact_point__address="+31612345671").assignee.username == "ann"
    )


@pytest.mark.django_db(transaction=True)
def test_a_message_in_an_existing_conversation_does_not_reassign():
    ann = make_agent("ann", available=True)
    make_agent("bob", available=True)
    receive("First")
    receive("Second")
    assert Conversation.objects.get().assignee == ann
