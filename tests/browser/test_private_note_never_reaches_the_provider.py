"""A private note is shown to colleagues in the thread and never sent to anyone."""

import time

from tests.browser.conftest import make_agent
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


def test_a_note_stays_inside(stack, login):
    receive("Where is my refund?", address="+31612349999", profile_name="Rosa")
    conversation = Conversation.objects.get()
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")

    page.keyboard.press("n")
    page.fill("#note-text", "Refund approved by finance, tell her tomorrow")
    page.click("#note-form button[type=submit]")

    page.locator("#message-list li.msg-note", has_text="Refund approved by finance").wait_for()
    time.sleep(0.5)  # time enough for a send, were there one
    assert not stack.fake.sent()
