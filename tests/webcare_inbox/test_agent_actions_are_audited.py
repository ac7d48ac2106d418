"""Every agent action is recorded (who, what, when) and shown in the thread;
mentions reach colleagues."""

import pytest

from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import AuditEntry, Conversation, Message


@pytest.mark.django_db(transaction=True)
def test_actions_leave_a_trail_in_the_thread(agent_client, agent):
    receive("Hello")
    conversation = Conversation.objects.get()
    base = f"/inbox/c/{conversation.pk}"
    agent_client.post(f"{base}/assign/", {"agent": "me"})
    agent_client.post(f"{base}/label/", {"name": "Baggage"})
    agent_client.post(f"{base}/handler/", {"handled_by": "bot"})
    agent_client.post(f"{base}/status/", {"action": "resolve"})
    agent_client.post(f"{base}/status/", {"action": "reopen"})

    trail = list(
        AuditEntry.objects.filter(conversation=conversation).values_list(
            "actor__username", "action", "detail"
        )
    )
    assert trail[:3] == [
        ("agnes", "assigned", "Agnes Agent"),
        ("agnes", "label_added", "baggage"),
        ("agnes", "handed_to_bot", ""),
    ]
    assert ("agnes", "resolved", "") in trail and ("agnes", "reopened", "") in trail
    page = agent_client.get(f"{base}/").content.decode()
    assert "label added: baggage" in page and "handed back to automation" in page
    assert Conversation.objects.get().handled_by == "bot"


@pytest.mark.django_db(transaction=True)
def test_a_mention_in_a_note_names_the_colleague_and_is_never_sent(agent_client, agent):
    from sandbox.models import SandboxMessage

    bob = make_agent("bob")
    receive("Hello")
    conversation = Conversation.objects.get()
    agent_client.post(
        f"/inbox/c/{conversation.pk}/note/", {"text": "@bob can you check the refund? @nobody-here"}
    )

    note = Message.objects.get(direction="note")
    assert list(note.mentions.all()) == [bob]
    assert SandboxMessage.objects.get().text.startswith(
        "Dear "
    )  # only the hand-over acknowledgement
    agent_client.force_login(bob)
    assert (
        f'data-conversation-id="{conversation.pk}"'
        in agent_client.get("/inbox/?view=mentions").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_bot_handover_says_why(agent_client):
    receive("I want a person")
    Conversation.objects.update(handled_by="human", handover_reason="asked for a person")
    page = agent_client.get(f"/inbox/c/{Conversation.objects.get().pk}/").content.decode()
    assert "Handed over by automation:" in page and "asked for a person" in page


@pytest.mark.django_db(transaction=True)
def test_an_agent_replying_takes_over_from_the_bot(agent):
    from webcare_inbox.services import conversation_reply

    receive("Is my flight on time?")
    Conversation.objects.update(handled_by="bot")
    conversation_reply(
        conversation=Conversation.objects.get(), agent=agent, text="Let me check that for you."
    )
    conversation = Conversation.objects.get()
    assert (conversation.handled_by, conversation.handover_reason) == ("human", "an agent replied")
    assert AuditEntry.objects.filter(
        conversation=conversation, action="handed_to_human", actor=agent
    ).exists()
