"""Outside the 24-hour window the browser offers only templates,
and free text is refused by the server."""

import json
from datetime import timedelta

from django.utils import timezone

from tests.browser.conftest import make_agent
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


def test_only_templates_outside_the_window_and_free_text_is_refused(stack, login, make_booking):
    make_booking("TPL001", [("P1", "Bram", "Smit", "en", "informal", "+31612340000")])
    receive(
        "Lost my bag",
        address="+31612340000",
        profile_name="Bram",
        sent_at=timezone.now() - timedelta(hours=26),
    )
    conversation = Conversation.objects.get()
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")

    assert page.locator("#reply-text").count() == 0
    assert "only an approved template can be sent" in page.inner_text("#window-state")

    # Posting free text anyway (as a stale page or a hand-made request would) is refused.
    token = page.locator("#note-form input[name=csrfmiddlewaretoken]").input_value()
    response = page.request.post(
        f"{stack.url}/inbox/c/{conversation.pk}/reply/",
        form={"text": "Sorry!", "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert (
        response.url == page.url.split("?")[0]
        and "only an approved template can be sent" in response.text()
    )
    assert not stack.fake.sent()

    # The follow-up template, its variables filled from the person and trip, goes out as a template.
    follow_up = page.locator("#template-picker[open] form.template", has_text="Follow-up")
    assert follow_up.locator("input[name=var_name]").input_value() == "Bram"
    assert follow_up.locator("input[name=var_topic]").input_value() == "KL1001"
    follow_up.locator("input[name=var_topic]").fill("your bag")
    follow_up.locator("button[type=submit]").click()
    sent = stack.fake.wait_for(1)[0]
    assert (
        sent.provider == "twilio"
        and sent.form["ContentSid"].startswith("HX")
        and "Body" not in sent.form
    )
    assert json.loads(sent.form["ContentVariables"]) == {"1": "Bram", "2": "your bag"}
    page.locator("#message-list li.msg-out", has_text="we have an answer about your bag").wait_for()
