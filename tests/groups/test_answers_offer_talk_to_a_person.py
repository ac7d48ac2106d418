"""The automated trip answer offers "Talk to a person": Messenger quick replies, the WhatsApp
quick-reply Content template where one is configured (else the text that says what to type);
a tap hands over exactly as typing "ik wil een medewerker spreken" does."""

import json
import uuid

import pytest

from core.models import ContactPoint
from insights.models import Survey
from notifications.catalogue import CALLBACK_QUICK_REPLY, HUMAN_QUICK_REPLY, QUICK_REPLIES
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
from webcare_inbox.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)
ANNA = "+31612345678"


def _event(text: str, *, quick_reply: str = "") -> dict:
    message = {"mid": f"m_in-{uuid.uuid4().hex}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    item = {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": now_ms()}
    item["message"] = message
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms(), "messaging": [item]}]}


def _sent(graph_sends) -> list[dict]:
    return [json.loads(call.request.content)["message"] for call in graph_sends.calls]


def test_messenger_answer_carries_the_button_and_its_tap_hands_over(
    messenger, graph_sends, messenger_person, client
):
    post_events(client, _event("Is mijn vlucht vertraagd?"))
    answer = next(
        m for m in _sent(graph_sends) if m.get("text", "").startswith("Automatisch antwoord")
    )
    assert answer["quick_replies"] == [
        {"content_type": "text", "title": "Medewerker spreken", "payload": "HUMAN"}
    ]
    assert Conversation.objects.get().handled_by == "bot"

    # The tap's text is the title; its payload alone must be enough.
    post_events(client, _event("👋", quick_reply="HUMAN"))
    conversation = Conversation.objects.get()
    assert (conversation.handled_by, conversation.handover_reason) == (
        "human",
        "asked for a person",
    )
    note = _sent(graph_sends)[-1]
    assert "Een collega van de klantenservice" in note.get("text", "")


def test_typed_request_hands_over_the_same_way(messenger, graph_sends, messenger_person, client):
    post_events(client, _event("Is mijn vlucht vertraagd?"))
    post_events(client, _event("ik wil een medewerker spreken"))
    conversation = Conversation.objects.get()
    assert (conversation.handled_by, conversation.handover_reason) == (
        "human",
        "asked for a person",
    )


def _whatsapp(client, text: str, **extra) -> None:
    form = {**load("inbound_text"), "Body": text, "MessageSid": "SM" + uuid.uuid4().hex}
    form.update(From=f"whatsapp:{ANNA}", WaId=ANNA.removeprefix("+"), **extra)
    post_twilio(client, INBOUND_PATH, form)


def test_whatsapp_sends_the_quick_reply_template_when_configured(
    client, twilio_api, make_booking, settings
):
    settings.WHATSAPP_QUICK_REPLY_KINDS = {"group_trip_answer", "survey_helpful"}
    make_booking()
    template = MessageTemplate.objects.get(
        channel="whatsapp", kind="group_trip_answer", language="nl", formality="formal"
    )
    template.content_sid = "HX" + "a1" * 16
    template.save(update_fields=["content_sid"])

    _whatsapp(client, "Is mijn vlucht vertraagd?")

    forms = [sent_form(call) for call in twilio_api.calls]
    answer = next(f for f in forms if f.get("ContentSid") == template.content_sid)
    assert "Body" not in answer
    assert json.loads(answer["ContentVariables"])["1"].startswith("KL1001 naar Londen")

    tap = {"ButtonPayload": "HUMAN", "ButtonText": "Medewerker spreken"}
    _whatsapp(client, "Medewerker spreken", MessageType="button", **tap)
    assert Conversation.objects.get().handled_by == "human"


def test_whatsapp_without_a_configured_template_says_what_to_type(
    client, twilio_api, make_booking, settings
):
    settings.WHATSAPP_QUICK_REPLY_KINDS = set()
    make_booking()

    _whatsapp(client, "Is mijn vlucht vertraagd?")

    bodies = [sent_form(call).get("Body", "") for call in twilio_api.calls]
    answer = next(b for b in bodies if b.startswith("Automatisch antwoord"))
    assert answer.endswith("Wilt u een medewerker spreken? Stuur 'medewerker'.")
    assert ContactPoint.objects.get(address=ANNA).channel == "whatsapp"

    _whatsapp(client, "medewerker")
    assert Conversation.objects.get().handled_by == "human"


def test_messenger_did_this_help_has_thumbs_and_a_tapped_payload_is_the_answer(
    messenger, graph_sends, messenger_person, client
):
    post_events(client, _event("Is mijn vlucht vertraagd?"))
    question = _sent(graph_sends)[-1]
    assert question["text"] == "Heeft dit antwoord u geholpen?"
    assert question["quick_replies"] == [
        {"content_type": "text", "title": "👍", "payload": "HELPFUL_YES"},
        {"content_type": "text", "title": "👎", "payload": "HELPFUL_NO"},
    ]
    post_events(client, _event("👎", quick_reply="HELPFUL_NO"))
    assert Survey.objects.get().score == 0


def test_whatsapp_did_this_help_is_its_quick_reply_template(
    client, twilio_api, make_booking, settings
):
    settings.WHATSAPP_QUICK_REPLY_KINDS = {"survey_helpful"}
    make_booking()
    _whatsapp(client, "Is mijn vlucht vertraagd?")
    question = sent_form(twilio_api.calls[-1])
    helpful = MessageTemplate.objects.get(
        channel="whatsapp", kind="survey_helpful", language="nl", formality="formal"
    )
    assert question["ContentSid"] == helpful.content_sid and "Body" not in question
    _whatsapp(client, "nee", MessageType="button", ButtonPayload="HELPFUL_NO")
    assert Survey.objects.get().score == 0


def test_every_button_title_fits_both_channels_and_reads_in_both_languages():
    buttons = [*HUMAN_QUICK_REPLY.values(), *CALLBACK_QUICK_REPLY.values()]
    buttons += [b for kind in QUICK_REPLIES.values() for b in kind]
    assert all(0 < len(title) <= 20 and payload for payload, title in buttons)
    assert HUMAN_QUICK_REPLY == {
        "nl": ("HUMAN", "Medewerker spreken"),
        "en": ("HUMAN", "Talk to a person"),
    }
