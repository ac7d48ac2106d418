import pytest

from notifications.models import Delivery
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_note_shows_in_the_thread_but_never_reaches_the_provider(agent_client, agent):
    receive("Can I bring my dog?")
    conversation = Conversation.objects.get()

    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/note/", {"text": "Check the pet policy with ground ops"}
    )

    assert response.status_code == 302
    note = conversation.messages.get(direction="note")
    assert note.author == agent and note.delivery is None
    sent = list(SandboxMessage.objects.values_list("text", flat=True))
    assert len(sent) == 1 and "pet policy" not in sent[0]  # only the hand-over acknowledgement
    assert not Delivery.objects.filter(text__contains="pet policy").exists()
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "Private note · never sent" in page and "Check the pet policy with ground ops" in page
    conversation.refresh_from_db()
    assert (
        conversation.last_message_preview == "Can I bring my dog?"
    )  # notes do not change the list
