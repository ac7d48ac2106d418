"""HTML and script in messages, names and labels arrive as text, live and on reload;
nothing runs."""

from tests.browser.conftest import make_agent, wait_live
from webcare_inbox.models import Conversation

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_hostile_text_is_shown_as_text(stack, login):
    page = login(make_agent("agnes"))
    stack.fake.whatsapp_inbound(
        from_number="+31612342222",
        body=HOSTILE,
        profile_name='<b onmouseover="window.__pwned=3">Eve</b>',
    )
    row = page.locator("#conversation-list li.conv", has_text="<img src=x")
    row.wait_for()
    assert '<b onmouseover="window.__pwned=3">Eve</b>' in row.inner_text()

    conversation = Conversation.objects.get()
    page.goto(f"{stack.url}/inbox/c/{conversation.pk}/")
    wait_live(page)
    page.fill(".label-input", "<svg onload=window.__pwned=4>")
    page.keyboard.press("Enter")
    page.locator(".thread-labels .chip-label", has_text="<svg onload").wait_for()
    wait_live(page)  # adding the label reloaded the page
    stack.fake.whatsapp_inbound(
        from_number="+31612342222", body=HOSTILE + " again", profile_name="Eve"
    )
    page.locator("#message-list li.msg-in", has_text="again").wait_for()

    assert page.locator("#message-list li.msg-in .msg-text").first.inner_text() == HOSTILE
    assert page.locator("img[src=x], svg").count() == 0
    assert page.evaluate("window.__pwned") is None
