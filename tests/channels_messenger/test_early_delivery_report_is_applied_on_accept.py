"""Meta can report a message delivered before our send call has returned its id."""

import json

import httpx
import pytest

from channels_messenger.webhooks import accept_events
from core.messaging import on_caller
from notifications.models import Delivery, DeliveryStatus, MessageKind, StatusEvent
from notifications.services import deliveries_send, message_create
from tests.channels_messenger.conftest import PSID, SEND_URL, delivery_event, now_ms, open_window


@pytest.mark.django_db
def test_delivery_report_that_beats_the_send_answer_is_applied_when_the_send_is_recorded(
    messenger, graph, messenger_person
):
    open_window(messenger_person)
    delivery = message_create(
        contact_point=messenger_person, kind=MessageKind.AGENT_REPLY, text="Gate D7"
    )

    def receipt() -> None:
        accept_events(delivery_event(PSID, ["m_fast-mid"], now_ms()))
        assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENDING

    async def meta(request: httpx.Request) -> httpx.Response:
        # the receipt reaches our webhook while the send is still waiting for its answer (the
        # webhook's database work runs where the test's transaction is)
        await on_caller(receipt)
        return httpx.Response(
            200,
            json={
                "recipient_id": json.loads(request.content)["recipient"]["id"],
                "message_id": "m_fast-mid",
            },
        )

    graph.post(SEND_URL).mock(side_effect=meta)

    deliveries_send(ids=[delivery.pk])

    delivery.refresh_from_db()
    assert delivery.provider_message_id == "m_fast-mid"
    assert delivery.status == DeliveryStatus.DELIVERED
    assert StatusEvent.objects.get(provider_message_id="m_fast-mid", status="delivered").applied
