"""The reply box counts against the channel's limit as the agent types, and one character over it
the browser will not send (WhatsApp takes 1,600 characters in one message)."""

import os

from tests.browser.conftest import make_agent
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def test_the_counter_follows_the_text_and_over_the_limit_nothing_is_sent(stack, login):
    receive("Can I bring my bike?", address="+31612342222", profile_name="Noor")
    conversation = Conversation.objects.get()
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")
    counter = page.locator("#reply-counter")
    assert counter.inner_text() == "WhatsApp takes up to 1600 characters in one message."

    page.fill("#reply-text", "Yes, 🚲 bikes travel free.")
    assert (
        counter.inner_text() == "25 / 1600 characters"
    )  # the emoji counts as one, as on the server
    page.fill("#reply-text", "x" * 1600)
    assert (
        counter.inner_text() == "1600 / 1600 characters"
        and "counter-over" not in counter.get_attribute("class")
    )

    page.type("#reply-text", "!")
    assert counter.inner_text() == "1601 / 1600 characters: 1 too many for one message"
    assert "counter-over" in counter.get_attribute("class")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/counter-over.png")
    page.click("#reply-form button[type=submit]")
    # The browser holds the form back and says why; the page and the box stay as they were.
    assert (
        page.evaluate("document.getElementById('reply-text').validationMessage")
        == counter.inner_text()
    )
    assert page.url.endswith(f"/inbox/c/{conversation.pk}/")
    assert page.input_value("#reply-text") == "x" * 1600 + "!"

    page.fill("#reply-text", "")
    page.click("#reply-form button[type=submit]")  # required: an empty box is not sent either
    assert page.evaluate("document.getElementById('reply-text').validity.valueMissing") is True
    # Only the automated "a colleague will answer" went out, nothing the agent typed.
    assert not conversation.messages.filter(direction="out", automated=False).exists()
    assert not [r for r in stack.fake.sent() if "x" * 100 in r.form.get("Body", "")]
