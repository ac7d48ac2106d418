""" "Bel mij" becomes a call-back: asked when (within opening hours, on their clock), told when,
told again when it moves, asked again when not reached; done and not reached are counted."""

from datetime import datetime, time, timedelta

import pytest

from sandbox.models import SandboxMessage
from tests import clock as test_clock
from tests.webcare_inbox.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import CallbackRequest, Conversation

pytestmark = pytest.mark.django_db(transaction=True)
ANNA = "+31612345678"


@pytest.fixture(autouse=True)
def _opening_hours(settings):
    """The default opening hours, which these tests are about."""
    settings.WEBCARE_OPENING_HOURS = "mo-fr 08:00-20:00; sa-su 09:00-17:00"


def next_weekday(weekday: int, hour: int, minute: int = 0) -> datetime:
    """The next such weekday after the suite's start, hh:mm in Amsterdam."""
    day = test_clock.day(1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=test_clock.AMSTERDAM)


def last_text(to: str) -> str:
    return SandboxMessage.objects.filter(to=to).order_by("-id").first().text


def test_bel_mij_to_done(clock, make_booking, agent_client):
    tuesday = next_weekday(1, 11)
    clock.move_to(tuesday)
    make_booking("ABC123")

    receive("Kunt u mij bellen? Het gaat over mijn bagage", address=ANNA)
    callback = CallbackRequest.objects.get()
    assert (callback.status, callback.phone, callback.tz_name) == (
        "asking",
        ANNA,
        "Europe/Amsterdam",
    )
    question = last_text(ANNA)
    assert "we bellen u graag terug op +31612345678. Wanneer komt het u uit?" in question
    assert "ma–vr 08:00–20:00, za–zo 09:00–17:00 (Nederlandse tijd)" in question
    conversation = Conversation.objects.get()
    assert conversation.handled_by == "human"

    receive("morgen 10:00 is prima", address=ANNA)
    callback.refresh_from_db()
    assert callback.status == "scheduled"
    assert callback.due_at == tuesday.replace(hour=10) + timedelta(days=1)
    assert "we bellen u morgen om 10:00 (Nederlandse tijd) op +31612345678" in last_text(ANNA)

    page = agent_client.get("/inbox/callbacks/").content.decode()
    assert f'id="callback-{callback.pk}"' in page and ANNA in page

    # Moved by an agent to 21:00, after closing: the first opening after it, and she is told.
    agent_client.post(
        f"/inbox/callbacks/{callback.pk}/",
        {"action": "move", "due": (tuesday + timedelta(days=1)).strftime("%Y-%m-%dT21:00")},
    )
    callback.refresh_from_db()
    thursday_8 = tuesday.replace(hour=8) + timedelta(days=2)
    assert (callback.due_at, callback.moved) == (thursday_8, 1)
    moved = last_text(ANNA)
    assert "we moeten ons telefoongesprek verzetten" in moved
    assert f"op donderdag {thursday_8.day} " in moved and "om 08:00 (Nederlandse tijd)" in moved

    agent_client.post(f"/inbox/callbacks/{callback.pk}/", {"action": "not_reached"})
    callback.refresh_from_db()
    assert (callback.status, callback.not_reached, callback.due_at) == ("asking", 1, None)
    assert "konden u niet bereiken. Wanneer kunnen we het opnieuw proberen?" in last_text(ANNA)

    receive("zo snel mogelijk", address=ANNA)
    callback.refresh_from_db()
    assert callback.status == "scheduled"
    # As soon as possible: a quarter of an hour from now (the clock ticks on from 11:00).
    assert abs(callback.due_at - (tuesday + timedelta(minutes=15))) < timedelta(minutes=2)

    agent_client.post(f"/inbox/callbacks/{callback.pk}/", {"action": "done"})
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("done", 2)
    page = agent_client.get("/inbox/callbacks/").content.decode()
    assert 'id="count-done">1<' in page and 'id="count-not-reached">1<' in page
    assert f'id="callback-{callback.pk}"' not in page  # off the queue


def test_english_informal_at_night_is_called_when_we_open(clock, make_booking):
    wednesday = next_weekday(2, 22)
    clock.move_to(wednesday)  # after closing
    make_booking("ABC123", [("P1", "Sam", "Jones", "en", "informal", "+447911123456")])
    receive("hi, can you call me back please?", address="+447911123456")
    assert "Hi Sam, happy to call you back on +447911123456." in last_text("+447911123456")
    assert "Mon–Fri 07:00–19:00, Sat–Sun 08:00–16:00 (London time)" in last_text("+447911123456")
    receive("tonight at 9pm", address="+447911123456")
    callback = CallbackRequest.objects.get()
    # 21:00 in London is 22:00 in Amsterdam: closed, so 08:00 the next day (07:00 for Sam).
    assert callback.due_at == wednesday.replace(hour=8) + timedelta(days=1)
    assert "we'll call you tomorrow at 07:00 (London time)" in last_text("+447911123456")


def test_messenger_without_a_number_is_asked_for_one(clock):
    monday = next_weekday(0, 12)
    clock.move_to(monday)
    receive("could you call me please", channel="messenger", address="PSID-42")
    callback = CallbackRequest.objects.get()
    assert callback.phone == ""
    assert "On which number, and when, can we reach you?" in last_text("PSID-42")

    receive("sure: 06 12345678, tomorrow 11:00", channel="messenger", address="PSID-42")
    callback.refresh_from_db()
    assert (callback.phone, callback.status) == ("+31612345678", "scheduled")
    assert callback.due_at == monday.replace(hour=11) + timedelta(days=1)


def test_an_answer_without_a_time_goes_to_the_agent(clock, make_booking):
    clock.move_to(next_weekday(1, 11))
    make_booking("ABC123")
    receive("bel me even", address=ANNA)
    receive("Het gaat om mijn koffer die kwijt is", address=ANNA)
    assert CallbackRequest.objects.get().status == "asking"
    texts = list(
        Conversation.objects.get().messages.filter(direction="in").values_list("text", flat=True)
    )
    assert texts[-1] == "Het gaat om mijn koffer die kwijt is"


def test_a_time_in_the_request_itself_is_taken(clock, make_booking):
    tuesday = next_weekday(1, 11)
    clock.move_to(tuesday)
    make_booking("ABC123")
    receive("Wilt u mij morgen om 14:30 terugbellen?", address=ANNA)
    callback = CallbackRequest.objects.get()
    wednesday = tuesday.replace(hour=14, minute=30) + timedelta(days=1)
    assert (callback.status, callback.due_at) == ("scheduled", wednesday)
    assert "we bellen u morgen om 14:30 (Nederlandse tijd) op +31612345678" in last_text(ANNA)
