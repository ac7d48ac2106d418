"""The hand-over note carries a "call me back" button (Messenger quick reply; WhatsApp the
configured quick-reply Content template, else text); its tap is a call-back, as typing is."""

import json
import uuid

import pytest

from notifications.models import MessageTemplate
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
from tests.channels_whatsapp.conftest import (  # noqa: F401
    INBOUND_PATH,
    load,
    post_twilio,
    sent_form,
    twilio,
    twilio_api,
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


def _whatsapp(client, text: str, **extra) -> None:
    form = {**load("inbound_text"), "Body": text, "MessageSid": "SM" + uuid.uuid4().hex}
    form.update(From="whatsapp:+31612345678", WaId="31612345678", **extra)
    post_twilio(client, INBOUND_PATH, form)


@pytest.mark.django_db(transaction=True)
def test_whatsapp_note_is_the_quick_reply_template_and_its_tap_asks_for_a_call_back(
    client, twilio_api, make_booking, settings
):
    settings.WHATSAPP_QUICK_REPLY_KINDS = {"handover_waiting", "handover_closed"}
    make_booking()
    sids = {}
    for kind in settings.WHATSAPP_QUICK_REPLY_KINDS:
        template = MessageTemplate.objects.get(
            channel="whatsapp", kind=kind, language="nl", formality="formal"
        )
        template.content_sid = "HX" + uuid.uuid4().hex
        template.save(update_fields=["content_sid"])
        sids[template.content_sid] = kind

    _whatsapp(client, "Mijn koffer is kwijt")

    note = sent_form(twilio_api.calls[-1])
    assert note["ContentSid"] in sids and "Body" not in note
    assert json.loads(note["ContentVariables"])["1"] == "Anna de Vries"
    _whatsapp(client, "📞 Bel mij terug", MessageType="button", ButtonPayload="CALLBACK")
    assert CallbackRequest.objects.get().status == "asking"
    assert "we bellen u graag terug" in sent_form(twilio_api.calls[-1])["Body"]


@pytest.mark.django_db(transaction=True)
def test_whatsapp_note_without_a_template_is_text_and_typing_still_works(
    client, twilio_api, make_booking, settings
):
    settings.WHATSAPP_QUICK_REPLY_KINDS = set()
    make_booking()

    _whatsapp(client, "Mijn koffer is kwijt")
    assert "Een collega van de klantenservice" in sent_form(twilio_api.calls[-1])["Body"]
    _whatsapp(client, "bel me")
    assert CallbackRequest.objects.get().status == "asking"
