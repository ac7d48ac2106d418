"""On Messenger the hand-over note carries a "call me back" button; its tap is a call-back."""

import json

import pytest

from tests.channels_messenger.conftest import (  # noqa: F401
    PAGE_ID,
    PSID,
    graph,
    graph_sends,
    messenger,
    messenger_person,
    now_ms,
    post_events,
)
from webcare_inbox.models import CallbackRequest


def _event(text: str, *, quick_reply: str = "") -> dict:
    message = {"mid": f"m_in-{now_ms()}-{len(text)}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    item = {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": now_ms()}
    item["message"] = message
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms(), "messaging": [item]}]}


@pytest.mark.django_db(transaction=True)
def test_the_button_asks_for_a_call_back(messenger, graph_sends, messenger_person, client):
    post_events(client, _event("Mijn koffer is kwijt"))
    note = json.loads(graph_sends.calls.last.request.content)
    assert note["message"]["quick_replies"] == [
        {"content_type": "text", "title": "📞 Bel mij terug", "payload": "CALLBACK"}
    ]
    post_events(client, _event("📞 Bel mij terug", quick_reply="CALLBACK"))
    callback = CallbackRequest.objects.get()
    assert callback.status == "asking"
    question = json.loads(graph_sends.calls.last.request.content)["message"]["text"]
    assert "we bellen u graag terug" in question
