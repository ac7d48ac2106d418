import hashlib

import pytest

from core.models import ConsentRecord, ContactPoint, Trip
from notifications.services import trip_event_publish
from sandbox.models import SandboxMessage
from tests import clock
from tests.webcare_inbox.conftest import receive
from webcare_inbox import tasks
from webcare_inbox.models import Conversation


def publish_delay(trip):
    payload = {"estimated_departure": clock.iso(10, 15)}
    return trip_event_publish(
        trip=trip,
        type="delayed",
        data=payload,
        payload=payload,
        idempotency_key="delay-1",
        request_hash=hashlib.sha256(repr(payload).encode()).hexdigest(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("word", ["STOP", "  afmelden \n", "Stop"])
def test_stop_word_opts_out_and_confirms_once(make_booking, word):
    make_booking("ABC123")
    SandboxMessage.objects.all().delete()  # the booking confirmation

    inbound = receive(word)
    tasks.inbound_process(str(inbound.pk))  # the task delivered a second time

    cp = ContactPoint.objects.get(address="+31612345678")
    assert not cp.opted_in and cp.opted_out_at is not None
    assert (
        ConsentRecord.objects.filter(contact_point=cp, action="opt_out", source="chat STOP").count()
        == 1
    )
    confirmation = SandboxMessage.objects.get()
    assert confirmation.to == "+31612345678"
    assert confirmation.text.startswith(
        "Beste Anna de Vries, u ontvangt van ons geen berichten meer via dit kanaal."
    )
    assert not Conversation.objects.exists()  # nothing for an agent to answer

    event, _ = publish_delay(Trip.objects.get())

    assert event.recipients == 0
    assert SandboxMessage.objects.count() == 1  # no proactive message after STOP


@pytest.mark.django_db(transaction=True)
def test_stop_in_the_middle_of_a_conversation_shows_there():
    receive("Where is my bag?", address="+31687654321")
    receive("STOP", address="+31687654321")

    conversation = Conversation.objects.get()
    texts = [(m.direction, m.automated) for m in conversation.messages.all()]
    # The question, our note that a colleague answers, STOP, and its confirmation.
    assert texts == [("in", False), ("out", True), ("in", False), ("out", True)]
    assert conversation.messages.last().delivery.kind == "opt_out_confirmation"
    assert SandboxMessage.objects.order_by("pk").last().text.startswith("Dear ")
    assert "no longer receive messages" in SandboxMessage.objects.order_by("pk").last().text


@pytest.mark.django_db(transaction=True)
def test_stop_inside_a_sentence_is_just_a_message():
    receive("Please don't stop the updates")

    assert (
        Conversation.objects.get().messages.get(direction="in").text
        == "Please don't stop the updates"
    )
    answer = SandboxMessage.objects.get()  # a colleague will answer; no opt-out confirmation
    assert "no longer receive messages" not in answer.text and "customer service" in answer.text
