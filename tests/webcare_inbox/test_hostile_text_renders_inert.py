from pathlib import Path

import pytest

from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation

SCRIPT = "<script>alert('x')</script>"
NAME = '<img src=x onerror="alert(1)">'


@pytest.mark.django_db(transaction=True)
def test_html_in_messages_names_and_links_is_escaped(agent_client):
    receive(
        SCRIPT,
        profile_name=NAME,
        media=[{"url": "javascript:alert(1)", "content_type": "text/html"}],
    )
    conversation = Conversation.objects.get()

    for url in ("/inbox/", f"/inbox/c/{conversation.pk}/"):
        page = agent_client.get(url).content.decode()
        assert SCRIPT not in page and "<img src=x" not in page
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    thread = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in thread
    assert "javascript:" not in thread


def test_live_script_puts_data_on_the_page_as_text_only():
    script = (Path(__file__).parents[2] / "webcare_inbox/static/webcare_inbox/inbox.js").read_text()

    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script
