"""After STOP a person can still write to us: the team answers inside the window,
nothing proactive follows."""

import hashlib

import pytest

from core.models import Trip
from notifications.services import trip_event_publish
from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.webcare_inbox.conftest import receive, sent_by_agents
from webcare_inbox.models import Conversation


def _gate_change(trip):
    payload = {"gate": "D7"}
    return trip_event_publish(
        trip=trip,
        type="gate_changed",
        data=payload,
        payload=payload,
        idempotency_key="gate-after-stop",
        request_hash=hashlib.sha256(repr(payload).encode()).hexdigest(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_message_after_stop_is_a_conversation_answered_inside_the_window(
    settings, clock, make_booking, agent_client
):
    settings.WEBCARE_OPENING_HOURS, settings.WEBCARE_TYPICAL_WAIT_MINUTES = "24/7", "20"
    clock.move_to(suite_clock.local(10, 0, offset=0))
    make_booking()  # Anna de Vries, Dutch, formal
    receive("STOP")
    SandboxMessage.objects.all().delete()  # the booking confirmation and the opt-out confirmation

    receive("Mijn koffer is niet aangekomen")

    conversation = Conversation.objects.get()
    assert conversation.handled_by == "human" and conversation.status == "open"
    assert (
        f'data-conversation-id="{conversation.pk}"' in agent_client.get("/inbox/").content.decode()
    )
    ack = SandboxMessage.objects.get()
    assert ack.template_sid == "" and ack.text.startswith(
        "Beste Anna de Vries, bedankt voor uw bericht."
    )
    assert "ongeveer 20 minuten" in ack.text

    agent_client.post(
        f"/inbox/c/{conversation.pk}/reply/",
        {"text": "Wat vervelend! Welke kleur heeft de koffer?"},
    )
    assert sent_by_agents().get().text == "Wat vervelend! Welke kleur heeft de koffer?"

    event, _ = _gate_change(Trip.objects.get())
    assert event.recipients == 0
    assert (
        SandboxMessage.objects.count() == 2
    )  # the acknowledgement and the agent's answer, no update
