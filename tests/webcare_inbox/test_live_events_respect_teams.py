"""Live events reach only the agents who may see the conversation;
presence tells who else is in a thread."""

import pytest
from channels.db import database_sync_to_async

from tests.webcare_inbox.conftest import make_agent, receive
from tests.webcare_inbox.test_live_events_reach_agents import (
    connect,
    next_event,
    redis_layer,  # noqa: F401 (a fixture the tests name)
    session_cookie,
)
from webcare_inbox.assignment import conversation_assign, conversation_team_set
from webcare_inbox.models import Conversation, Team


@pytest.mark.django_db(transaction=True)
async def test_another_teams_agent_hears_nothing_of_it(redis_layer, client):
    def setup():
        flights, refunds = Team.objects.create(name="Flights"), Team.objects.create(name="Refunds")
        receive("Refund please")
        conversation = Conversation.objects.get()
        conversation_team_set(conversation=conversation, team=refunds)
        return (
            conversation,
            make_agent("rita", teams=[refunds]),
            make_agent("olaf", teams=[flights]),
        )

    conversation, rita, olaf = await database_sync_to_async(setup)()
    rita_socket, _ = await connect(await database_sync_to_async(session_cookie)(client, rita))
    olaf_socket, _ = await connect(await database_sync_to_async(session_cookie)(client, olaf))

    await database_sync_to_async(conversation_assign)(
        conversation=conversation, agent=rita, actor=rita
    )
    event = await next_event(rita_socket, "conversation.updated")
    assert (
        event["conversation"]["assignee"] == "Rita" and event["conversation"]["team"] == "Refunds"
    )
    assert await olaf_socket.receive_nothing(timeout=0.5)

    await olaf_socket.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    assert (await next_event(olaf_socket, "error"))["error"] == "no such conversation"
    await rita_socket.disconnect()
    await olaf_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_two_agents_in_one_thread_see_each_other(redis_layer, client):
    def setup():
        receive("Hello")
        return Conversation.objects.get(), make_agent("ann"), make_agent("bob")

    conversation, ann, bob = await database_sync_to_async(setup)()
    ann_socket, _ = await connect(await database_sync_to_async(session_cookie)(client, ann))
    bob_socket, _ = await connect(await database_sync_to_async(session_cookie)(client, bob))
    for socket in (ann_socket, bob_socket):
        await socket.send_json_to({"type": "subscribe", "conversation": conversation.pk})
        await next_event(socket, "subscribed")

    await bob_socket.send_json_to({"type": "presence", "state": "typing"})
    event = await next_event(ann_socket, "presence")
    assert (event["agent"], event["state"], event["conversation_id"]) == (
        "Bob",
        "typing",
        conversation.pk,
    )

    await bob_socket.disconnect()
    event = await next_event(ann_socket, "presence")
    assert (event["agent"], event["state"]) == ("Bob", "left")
    await ann_socket.disconnect()
