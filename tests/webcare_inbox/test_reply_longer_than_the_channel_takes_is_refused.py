"""A reply longer than the channel takes (WhatsApp 1,600, Messenger 2,000) is refused with the
reason, back on the thread with the draft kept; a reply at the limit goes out whole."""

import pytest

from notifications.models import Delivery
from sandbox.models import SandboxMessage
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


def post_reply(client, conversation, text):
    return client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": text}, follow=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("channel", "address", "limit"),
    [
        ("whatsapp", "+31612345678", 1600),
        ("messenger", "6022140857", 2000),
    ],
)
def test_one_character_over_the_limit_is_refused_and_the_draft_kept(
    agent_client, channel, address, limit
):
    receive("Hello", channel=channel, address=address)
    conversation = Conversation.objects.get()
    too_long = "é" * (limit - 6) + " 🙂🙂🙂🙂🙂🙂"  # limit + 1 characters; emoji count as one

    response = post_reply(agent_client, conversation, too_long)

    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    page = response.content.decode()
    label = "WhatsApp" if channel == "whatsapp" else "Messenger"
    assert (
        f"Not sent: this reply has {limit + 1} characters and {label} takes at most {limit} "
        "in one message. Shorten it, or send it in parts."
    ) in page
    assert f">{too_long}</textarea>" in page  # the agent's text, back in the box to shorten
    # Nothing but the automated "a colleague will answer" went out.
    assert not Delivery.objects.filter(kind="agent_reply").exists()
    assert SandboxMessage.objects.count() == Delivery.objects.count()

    # The reason was shown once; a reload reads the thread, without the old error or draft.
    again = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "Not sent:" not in again and too_long not in again


@pytest.mark.django_db(transaction=True)
def test_a_reply_at_the_limit_goes_out_whole_with_line_breaks_counted_once(agent_client):
    receive("Hello")
    conversation = Conversation.objects.get()
    lines = ["x" * 99] * 16  # 16 × 99 characters + 15 line breaks = 1,599; a browser sends CRLF
    text = "\r\n".join(lines) + "!"

    response = post_reply(agent_client, conversation, text)

    assert "Not sent:" not in response.content.decode()
    reply = Delivery.objects.get(kind="agent_reply")
    assert (
        SandboxMessage.objects.get(provider_message_id=reply.provider_message_id).text
        == "\n".join(lines) + "!"
    )


@pytest.mark.django_db(transaction=True)
def test_the_reply_box_is_required_and_says_the_channels_limit(agent_client):
    receive("Hello", channel="messenger", address="6022140857")
    page = agent_client.get(f"/inbox/c/{Conversation.objects.get().pk}/").content.decode()
    box = page[page.index('<textarea name="text" rows="3"') :]
    box = box[: box.index(">")]
    assert " required" in box and 'data-limit="2000"' in box
    assert "Messenger takes up to 2000 characters in one message." in page


@pytest.mark.django_db(transaction=True)
def test_an_empty_note_is_refused_back_on_the_thread(agent_client):
    receive("Hello")
    conversation = Conversation.objects.get()

    response = agent_client.post(f"/inbox/c/{conversation.pk}/note/", {"text": "  "}, follow=True)

    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    page = response.content.decode()
    assert 'id="note-error"' in page and "Write the note first." in page
    assert not conversation.messages.filter(direction="note").exists()
