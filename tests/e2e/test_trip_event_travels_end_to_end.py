"""One trip event the whole way, on real processes: API → database → Celery fan-out → Twilio and
Messenger (fakes over HTTP) → signed status callbacks → a traveller's reply → the inbox → an
agent's answer → out again."""

import json
import subprocess

import httpx
import pytest

from tests import clock
from tests.e2e.conftest import BIN, ROOT, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOOKING = {
    "passengers": [
        {
            "id": "P1",
            "given_name": "Anna",
            "family_name": "de Vries",
            "language": "nl",
            "formality": "formal",
            "contacts": [{"channel": "whatsapp", "address": "+31612345678", "opt_in": True}],
        },
        {
            "id": "P2",
            "given_name": "Sophie",
            "family_name": "Jansen",
            "language": "en",
            "formality": "informal",
            "contacts": [{"channel": "messenger", "address": "6543210987654321", "opt_in": True}],
        },
    ],
    "segments": [
        {
            "trip": clock.TRIP,
            "origin": "AMS",
            "destination": "LHR",
            "scheduled_departure": clock.iso(9, 0),
            "scheduled_arrival": clock.iso(9, 20, tz=clock.LONDON),
            "passengers": ["P1", "P2"],
        },
    ],
}


def _api_key(stack) -> str:
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "create_api_key", "e2e"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_delay_reaches_travellers_and_a_reply_round_trips(stack):
    fake = stack.fake
    api = httpx.Client(
        base_url=stack.web_url + "/api/v1",
        headers={"Authorization": f"Bearer {_api_key(stack)}"},
        timeout=10,
    )

    created = api.put("/bookings/ABC123", json=BOOKING)
    assert created.status_code == 201, created.text
    confirmations = fake.wait_for(2)
    twilio = next(r for r in confirmations if r.provider == "twilio")
    assert twilio.form["To"] == "whatsapp:+31612345678" and twilio.form["ContentSid"].startswith(
        "HX"
    )
    assert "Body" not in twilio.form  # outside the 24-hour window: only the approved template

    event = api.post(
        f"/trips/{clock.TRIP}/events",
        headers={"Idempotency-Key": "delay-1"},
        json={
            "type": "delayed",
            "estimated_departure": clock.iso(10, 15),
            "reason": "late arrival of the aircraft",
        },
    )
    assert event.status_code == 202, event.text
    assert event.json()["recipients"] == 2
    delays = fake.wait_for(4)[2:]
    whatsapp = next(r for r in delays if r.provider == "twilio")
    variables = json.loads(whatsapp.form["ContentVariables"])
    assert variables["1"] == "Anna de Vries" and "10:15" in variables.values()
    assert whatsapp.form["StatusCallback"].startswith(
        stack.web_url + "/webhooks/whatsapp/twilio/status/"
    )
    messenger = next(r for r in delays if r.provider == "messenger")
    assert messenger.json["recipient"] == {"id": "6543210987654321"}

    event_id = event.json()["id"]
    counts = wait_until(
        lambda: (c := api.get(f"/events/{event_id}").json()["deliveries"])["delivered"] == 2 and c,
        message="both deliveries reported delivered by the providers' callbacks",
    )
    assert counts == {"pending": 0, "sent": 0, "delivered": 2, "read": 0, "failed": 0}

    # The traveller writes back; the message lands in the inbox.
    assert (
        fake.whatsapp_inbound(
            from_number="+31612345678", body="Mag mijn rolstoel mee aan boord?", profile_name="Anna"
        ).status_code
        == 200
    )
    from webcare_inbox.models import Conversation

    conversation = wait_until(
        lambda: Conversation.objects.filter(contact_point__address="+31612345678").first(),
        message="the reply did not reach the inbox\n" + stack.logs(),
    )
    assert conversation.messages.get(direction="in").text == "Mag mijn rolstoel mee aan boord?"
    # She is told at once that a colleague will answer (free text: the window is open).
    ack = fake.wait_for(5)[4]
    assert (
        ack.form["Body"].startswith("Beste Anna de Vries, bedankt voor uw bericht.")
        and "ContentSid" not in ack.form
    )

    # An agent answers from the inbox; inside the window it goes out as free text.
    from django.contrib.auth.models import Group, User

    from webcare_inbox.services import conversation_reply

    agent = User.objects.create_user("agent-e2e", password="pw-e2e-123456")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])
    conversation_reply(conversation=conversation, agent=agent, text="Om 10:15, mevrouw De Vries.")
    answer = fake.wait_for(6)[5]
    assert (answer.provider, answer.form["To"], answer.form["Body"]) == (
        "twilio",
        "whatsapp:+31612345678",
        "Om 10:15, mevrouw De Vries.",
    )
    assert "ContentSid" not in answer.form
    reply = conversation.messages.get(direction="out", automated=False)
    wait_until(
        lambda: reply.delivery.__class__.objects.get(pk=reply.delivery_id).status == "delivered",
        message="the agent's answer was not reported delivered",
    )

    # The same Idempotency-Key again sends nothing more.
    again = api.post(
        f"/trips/{clock.TRIP}/events",
        headers={"Idempotency-Key": "delay-1"},
        json={
            "type": "delayed",
            "estimated_departure": clock.iso(10, 15),
            "reason": "late arrival of the aircraft",
        },
    )
    assert again.json() == event.json()
    # A later event is the barrier: had the replay fanned out again, its sends would be queued
    # before this one's, so once the gate change has reached both travellers nothing else came.
    gate = api.post(
        f"/trips/{clock.TRIP}/events",
        headers={"Idempotency-Key": "gate-1"},
        json={"type": "gate_changed", "gate": "D7"},
    )
    assert gate.status_code == 202, gate.text
    later = fake.wait_for(8)[6:]
    assert sorted(r.provider for r in later) == ["messenger", "twilio"]
    whatsapp_gate = next(
        r for r in later if r.provider == "twilio"
    ).form  # inside her window: free text
    assert "D7" in whatsapp_gate["Body"] and "ContentSid" not in whatsapp_gate
    wait_until(
        lambda: api.get(f"/events/{gate.json()['id']}").json()["deliveries"]["delivered"] == 2,
        message="the gate change was not reported delivered",
    )
    assert len(fake.sent()) == 8
