"""What Meta's Send API receives for each kind of message."""

import hashlib
import hmac
import json
from datetime import timedelta

import httpx
import pytest

from channels_messenger.adapter import MessengerAdapter
from core.messaging import DeliveryError, OutboundMessage, Template, run
from notifications.models import Delivery, DeliveryStatus, MessageKind
from notifications.services import deliveries_send, message_create
from tests.channels_messenger.conftest import (
    APP_SECRET,
    PSID,
    SEND_URL,
    TOKEN,
    fixture,
    open_window,
)


def sent_bodies(route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


def test_text_reply_goes_to_the_page_messages_edge_with_the_page_token(messenger, graph):
    route = graph.post(SEND_URL).respond(200, json=fixture("send_ok"))

    message_id = run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                text="Your gate is D7.",
                messaging_type="RESPONSE",
            )
        )
    )

    assert message_id == fixture("send_ok")["message_id"]
    request = route.calls.last.request
    assert str(request.url).startswith("https://graph.facebook.com/v25.0/1000000000001/messages?")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)
    proof = hmac.new(APP_SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
    assert request.url.params["appsecret_proof"] == proof
    assert json.loads(request.content) == {
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "Your gate is D7."},
    }


@pytest.mark.parametrize(
    ("messaging_type", "tag", "expected"),
    [
        ("UPDATE", "", {"messaging_type": "UPDATE"}),
        ("MESSAGE_TAG", "HUMAN_AGENT", {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}),
    ],
)
def test_messaging_type_and_tag(messenger, graph, messaging_type, tag, expected):
    route = graph.post(SEND_URL).respond(200, json=fixture("send_ok"))

    run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                text="Hello",
                messaging_type=messaging_type,
                tag=tag,
            )
        )
    )

    assert sent_bodies(route) == [
        {"recipient": {"id": PSID}, **expected, "message": {"text": "Hello"}}
    ]


def test_message_tag_without_a_tag_is_refused_before_calling_meta(messenger, graph):
    route = graph.post(SEND_URL).respond(200, json=fixture("send_ok"))

    with pytest.raises(DeliveryError) as caught:
        run(
            MessengerAdapter("messenger").send(
                OutboundMessage(
                    delivery_id="d1",
                    channel="messenger",
                    to=PSID,
                    text="Hello",
                    messaging_type="MESSAGE_TAG",
                )
            )
        )

    assert caught.value.permanent and "needs a tag" in caught.value.message
    assert not route.called


def test_utility_template_is_sent_by_name_with_language_and_ordered_parameters(messenger, graph):
    route = graph.post(SEND_URL).respond(200, json=fixture("send_ok"))
    variables = {str(n): f"value {n}" for n in (10, 2, 1, 3, 4, 5, 6, 7, 8, 9)}

    run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                text="rendered text",
                template=Template("thuisfront_delayed_nl_formal", "nl", variables),
            )
        )
    )

    assert sent_bodies(route) == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "UTILITY",
            "message": {
                "template": {
                    "name": "thuisfront_delayed_nl_formal",
                    "language": {"code": "nl"},
                    "components": [
                        {
                            "type": "body",
                            "parameters": [
                                {"type": "text", "text": f"value {n}"} for n in range(1, 11)
                            ],
                        }
                    ],
                }
            },
        }
    ]


def test_pdf_goes_as_a_reusable_file_then_its_caption(messenger, graph_sends):
    message_id = run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                text="Your boarding pass for KL1001",
                media_url="https://thuisfront.example/documents/abc/boarding-pass.pdf",
                media_content_type="application/pdf",
                messaging_type="UPDATE",
            )
        )
    )

    bodies = sent_bodies(graph_sends)
    assert bodies[0]["message"] == {
        "attachment": {
            "type": "file",
            "payload": {
                "url": "https://thuisfront.example/documents/abc/boarding-pass.pdf",
                "is_reusable": True,
            },
        }
    }
    assert bodies[1]["message"] == {"text": "Your boarding pass for KL1001"}
    assert all(b["messaging_type"] == "UPDATE" for b in bodies)
    assert message_id == "m_sent-1"  # the file's id: that is what delivery receipts are about


def test_image_goes_as_an_image_attachment(messenger, graph_sends):
    run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                media_url="https://thuisfront.example/map.png",
            )
        )
    )

    assert sent_bodies(graph_sends)[0]["message"]["attachment"]["type"] == "image"
    assert graph_sends.call_count == 1  # no empty caption


def test_a_failed_caption_does_not_fail_the_file(messenger, graph):
    graph.post(SEND_URL).mock(
        side_effect=[
            httpx.Response(200, json=fixture("send_ok")),
            httpx.Response(500, json=fixture("error_temporary_1200")),
        ]
    )

    message_id = run(
        MessengerAdapter("messenger").send(
            OutboundMessage(
                delivery_id="d1",
                channel="messenger",
                to=PSID,
                text="caption",
                media_url="https://x.example/a.pdf",
            )
        )
    )

    assert message_id == fixture("send_ok")["message_id"]


def test_a_file_with_a_template_is_refused_rather_than_dropped(messenger, graph_sends):
    with pytest.raises(DeliveryError) as caught:
        run(
            MessengerAdapter("messenger").send(
                OutboundMessage(
                    delivery_id="d1",
                    channel="messenger",
                    to=PSID,
                    media_url="https://x.example/a.pdf",
                    template=Template("thuisfront_boarding_nl_formal", "nl", {"1": "Anna"}),
                )
            )
        )

    assert caught.value.permanent and "outside the 24-hour window" in caught.value.message
    assert not graph_sends.called


# --- Through the delivery engine ------------------------------------------------------------


@pytest.mark.django_db
def test_agent_reply_inside_the_window_is_a_response(messenger, graph_sends, messenger_person):
    open_window(messenger_person, timedelta(hours=2))
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="We are looking into it."
    )

    assert deliveries_send(ids=[delivery.pk]).sent == 1

    assert sent_bodies(graph_sends) == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "We are looking into it."},
        }
    ]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.provider_message_id == "m_sent-1"
    assert delivery.sent_at is not None


@pytest.mark.django_db
def test_agent_reply_after_a_day_uses_the_human_agent_tag(messenger, graph_sends, messenger_person):
    open_window(messenger_person, timedelta(days=3))
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="Sorry for the wait."
    )

    deliveries_send(ids=[delivery.pk])

    body = sent_bodies(graph_sends)[0]
    assert (body["messaging_type"], body["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


@pytest.mark.django_db
def test_proactive_message_outside_the_window_is_a_utility_template(
    messenger, graph_sends, messenger_person
):
    delivery = message_create(
        contact_point=messenger_person,
        kind=MessageKind.BOOKING_CONFIRMATION,
        context={
            "reference": "MSG001",
            "itinerary": "KL1001 van Amsterdam naar Londen",
            "follow_code": "TFABCDEFGH23",
            "whatsapp_link": "https://wa.me/31850000000?text=TFABCDEFGH23",
            "messenger_link": "https://m.me/thuisfront.demo?ref=TFABCDEFGH23",
        },
    )

    deliveries_send(ids=[delivery.pk])

    body = sent_bodies(graph_sends)[0]
    assert body["messaging_type"] == "UTILITY"
    template = body["message"]["template"]
    assert template["name"] == "thuisfront_booking_confirmation_nl_formal"
    assert template["language"] == {"code": "nl"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Anna de Vries",
        "MSG001",
        "KL1001 van Amsterdam naar Londen",
        "TFABCDEFGH23",
        "https://wa.me/31850000000?text=TFABCDEFGH23",
        "https://m.me/thuisfront.demo?ref=TFABCDEFGH23",
    ]
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_an_empty_message_is_refused_before_calling_meta(messenger, graph_sends):
    with pytest.raises(DeliveryError) as caught:
        run(
            MessengerAdapter("messenger").send(
                OutboundMessage(delivery_id="d1", channel="messenger", to=PSID, text="  ")
            )
        )

    assert caught.value.permanent and "nothing to send" in caught.value.message
    assert not graph_sends.called
