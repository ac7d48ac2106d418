"""A reply the server refuses (here: the 24-hour window closed while the agent was typing) brings
the browser back to the thread with the reason and the draft; the live socket and a reload work."""

import os
from datetime import timedelta

from django.utils import timezone

from core.models import ContactPoint
from tests.browser.conftest import make_agent, wait_live
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def test_refused_reply_returns_to_the_thread_with_the_reason(stack, login):
    receive("Where is my suitcase?", address="+31612343333", profile_name="Daan")
    conversation = Conversation.objects.get()
    url = f"/inbox/c/{conversation.pk}/"
    page = login(make_agent("agnes"), url)
    refused = []
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)

    page.fill("#reply-text", "We found it, it comes on the next flight.")
    ContactPoint.objects.update(
        last_inbound_at=timezone.now() - timedelta(hours=25)
    )  # the window closes
    page.click("#reply-form button[type=submit]")

    page.wait_for_url("**" + url)
    wait_live(page)
    assert "The 24-hour window closed at" in page.inner_text("#reply-error")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/refused-reply.png")
    page.reload()
    wait_live(page)
    assert page.url == stack.url + url and page.locator("#reply-error").count() == 0
    assert page.locator("#window-state.window-closed").count() == 1
    assert refused == [] and not stack.fake.sent()
    assert not conversation.messages.filter(direction="out", automated=False).exists()


def test_a_reply_over_the_limit_posted_anyway_comes_back_with_the_draft(stack, login):
    receive("Hi", address="+31612344444", profile_name="Lotte")
    conversation = Conversation.objects.get()
    url = f"/inbox/c/{conversation.pk}/"
    page = login(make_agent("agnes"), url)
    page.evaluate(
        "document.getElementById('reply-text').removeAttribute('data-limit')"
    )  # a stale page
    page.evaluate("document.getElementById('reply-text').value = 'a'.repeat(1700)")
    page.evaluate("document.getElementById('reply-form').submit()")

    page.wait_for_url("**" + url)
    error = page.inner_text("#reply-error")
    assert "this reply has 1700 characters and WhatsApp takes at most 1600" in error
    assert page.input_value("#reply-text") == "a" * 1700
    assert "counter-over" in page.get_attribute("#reply-counter", "class")
    assert not stack.fake.sent()
