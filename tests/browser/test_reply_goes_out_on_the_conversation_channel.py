"""An agent's reply typed in the browser goes out on the conversation's own channel,
and its tick follows."""

from tests.browser.conftest import make_agent, wait_for
from webcare_inbox.models import Conversation


def test_a_messenger_conversation_is_answered_on_messenger(stack, login):
    assert (
        stack.fake.messenger_inbound(psid="24681357", text="Can I bring my dog?").status_code == 200
    )
    conversation = wait_for(
        lambda: Conversation.objects.filter(contact_point__address="24681357").first()
    )
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")

    page.fill("#reply-text", "Yes, in a bag under the seat.")
    page.keyboard.press("Control+Enter")

    ack, reply = stack.fake.wait_for(
        2, timeout=5
    )  # the note that a colleague answers, then the reply
    assert "customer service" in ack.json["message"]["text"]
    assert (reply.provider, reply.json["recipient"], reply.json["message"]["text"]) == (
        "messenger",
        {"id": "24681357"},
        "Yes, in a bag under the seat.",
    )
    assert not stack.fake.sent("twilio")
    bubble = page.locator("#message-list li.msg-out", has_text="Yes, in a bag under the seat.")
    bubble.locator(".tick-delivered").wait_for()  # the provider's delivery report, live
