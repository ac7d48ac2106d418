"""Proactive notifications to the person's chat (trip updates, the booking confirmation) are in the
conversation's timeline, in order with the messages, marked as automated with their delivery
state; a new one reaches the open thread live, and the trip's events refresh its context panel."""

import hashlib
import json

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from core.models import Trip
from notifications.models import Delivery
from notifications.services import trip_event_publish
from tests import clock
from tests.webcare_inbox.conftest import receive
from tests.webcare_inbox.test_live_events_reach_agents import (
    connect,
    next_event,
    redis_layer,  # noqa: F401 (a fixture the tests name)
    session_cookie,
)
from webcare_inbox.models import Conversation
from webcare_inbox.services import conversation_reply

DELAY_NL = "10:15"  # the new departure time, in whatever words her delay message uses


def publish_delay(key: str = "d1", hour: int = 10, minute: int = 15):
    payload = {"estimated_departure": clock.iso(hour, minute)}
    return trip_event_publish(
        trip=Trip.objects.get(),
        type="delayed",
        data={"estimated_departure": clock.local(hour, minute)},
        payload=payload,
        idempotency_key=key,
        request_hash=hashlib.sha256(json.dumps(payload).encode()).hexdigest(),
    )[0]


def thread_items(page: str) -> list[str]:
    """The thread's items in page order, as 'in:…', 'out:…', 'notification:…', 'other:…'."""
    start = page.index('id="message-list"')
    items = []
    for chunk in page[start : page.index("</ol>", start)].split("<li ")[1:]:
        kinds = [k for k in ("notification", "in", "out") if f"msg-{k}" in chunk] or ["other"]
        items.append(f"{kinds[0]}:{chunk}")
    return items


@pytest.mark.django_db(transaction=True)
def test_a_delay_sent_during_the_conversation_sits_between_the_messages(
    make_booking, agent_client, agent
):
    make_booking("ABC123")  # Anna de Vries, nl, formal, on KL1001 tomorrow
    receive("Gaat mijn vlucht op tijd?")
    conversation = Conversation.objects.get()
    publish_delay()
    conversation_reply(conversation=conversation, agent=agent, text="U hoort het direct van ons.")

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    items = thread_items(page)

    def position(kind: str, text: str) -> int:
        found = [n for n, item in enumerate(items) if item.startswith(kind + ":") and text in item]
        assert len(found) == 1, (kind, text, items)
        return found[0]

    # The booking confirmation came before her question (same chat, within the day), then the
    # question, the delay as it reached her phone, and the agent's answer.
    confirmation = position("notification", "Booking confirmation")
    question = position("in", "Gaat mijn vlucht op tijd?")
    delay = position("notification", DELAY_NL)
    answer = position("out", "U hoort het direct van ons.")
    assert confirmation < question < delay < answer
    assert "Delay" in items[delay] and clock.TRIP in items[delay]
    assert 'badge-automated">automated<' in items[delay]
    assert 'class="tick tick-delivered" title="delivered">✓✓' in items[delay]


@pytest.mark.django_db(transaction=True)
def test_notifications_of_other_chats_and_earlier_conversations_stay_out(
    make_booking, agent_client, agent
):
    make_booking("ABC123")
    receive("Eerste vraag")
    first = Conversation.objects.get()
    publish_delay("d1", 10, 15)
    first.status = Conversation.Status.RESOLVED
    first.last_message_at = timezone.now()
    first.save()
    receive("Tweede vraag")
    second = Conversation.objects.exclude(pk=first.pk).get()
    receive("Iemand anders", address="+31687654321")  # another person, no booking
    other = Conversation.objects.exclude(pk__in=[first.pk, second.pk]).get()

    def notifications(conversation) -> list[str]:
        page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
        return [item for item in thread_items(page) if item.startswith("notification:")]

    first_thread = notifications(first)
    assert len(first_thread) == 2 and DELAY_NL in first_thread[1]  # the confirmation, the delay
    assert notifications(second) == []  # both were before the first conversation ended
    assert notifications(other) == []


@pytest.mark.django_db(transaction=True)
async def test_a_new_notification_reaches_the_open_thread_live(
    redis_layer, make_booking, client, agent
):
    await database_sync_to_async(make_booking)("ABC123")
    await database_sync_to_async(receive)("Is er al nieuws?")
    conversation = await database_sync_to_async(Conversation.objects.get)()
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, agent))
    assert connected
    await socket.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await next_event(socket, "subscribed")

    await database_sync_to_async(publish_delay)()

    seen = {}
    while not {"trip.updated", "notification"} <= set(seen):
        event = await socket.receive_json_from(timeout=5)
        seen.setdefault(event["type"], event)
    assert seen["trip.updated"]["trip"] == clock.TRIP
    event = seen["notification"]
    delivery = await database_sync_to_async(Delivery.objects.get)(kind="delayed")
    notification = event["notification"]
    assert event["conversation_id"] == conversation.pk and notification["id"] == str(delivery.pk)
    assert notification["label"] == "Delay" and notification["trip"] == clock.TRIP
    assert DELAY_NL in notification["text"] and notification["status"] in ("sent", "delivered")
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_another_trips_events_do_not_reach_the_thread(
    redis_layer, make_booking, client, agent
):
    await database_sync_to_async(receive)("Hallo", address="+31687654321")  # no booking, no trip
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await database_sync_to_async(make_booking)("ABC123")  # someone else's trip
    socket, connected = await connect(await database_sync_to_async(session_cookie)(client, agent))
    await socket.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await next_event(socket, "subscribed")

    await database_sync_to_async(publish_delay)()
    # A marker sent after the event: when it arrives, anything for this thread would have too.
    await database_sync_to_async(receive)("Nog iets", address="+31687654321")
    seen = []
    while True:
        event = await socket.receive_json_from(timeout=5)
        seen.append(event["type"])
        if event["type"] == "message.created":
            break
    assert "trip.updated" not in seen and "notification" not in seen
    await socket.disconnect()
