"""Quiet hours (22:00-07:00 at the departure airport): confirmations, check-in notices and
reminders due at night wait until morning, or go the evening before when morning is too late;
delays, gate changes, cancellations and diversions always go at once."""

from datetime import time

import pytest

from notifications.models import Delivery, ScheduledMessage
from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.timeline.conftest import PEOPLE, booking, tick

ANNA = PEOPLE[("nl", "formal")][2]


@pytest.fixture(autouse=True)
def quiet(settings):
    settings.QUIET_HOURS = (time(22, 0), time(7, 0))


def sent_kinds() -> list[str]:
    ids = SandboxMessage.objects.filter(to=ANNA).values("provider_message_id")
    rows = Delivery.objects.filter(provider_message_id__in=ids).order_by("created_at")
    return list(rows.values_list("kind", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_booking_made_at_night_is_confirmed_in_the_morning(api, clock):
    clock.move_to(suite_clock.local(23, 10, offset=0))
    assert api.put_booking("ABC123", booking(offset=2)).status_code == 201
    assert sent_kinds() == []
    held = ScheduledMessage.objects.get(kind="booking_confirmation")
    assert held.due_at == suite_clock.local(7, 0, offset=1)
    tick(clock, suite_clock.local(6, 59, offset=1))
    assert sent_kinds() == []
    tick(clock, suite_clock.local(7, 0, offset=1))
    # KLM's check-in (30 h before, 03:00) waited for the morning too, and comes after it.
    assert sent_kinds() == ["booking_confirmation", "check_in_open"]
    tick(clock, suite_clock.local(7, 5, offset=1))
    assert sent_kinds() == ["booking_confirmation", "check_in_open"]


@pytest.mark.django_db(transaction=True)
def test_check_in_due_at_night_opens_in_the_morning(api, clock):
    clock.move_to(suite_clock.local(12, 0, offset=0))
    api.put_booking("ABC123", booking(offset=3))  # KLM: 30 h before 09:00 is 03:00
    row = ScheduledMessage.objects.get(kind="check_in_open")
    assert row.due_at == suite_clock.local(7, 0, offset=2)


@pytest.mark.django_db(transaction=True)
def test_an_early_flights_reminder_goes_the_evening_before(api, clock):
    clock.move_to(suite_clock.local(12, 0, offset=0))
    api.put_booking("ABC123", booking(offset=1, hour=6, minute=30))  # 3 h before is 03:30
    row = ScheduledMessage.objects.get(kind="departure_reminder")
    assert row.due_at == suite_clock.local(21, 30, offset=0)
    tick(clock, suite_clock.local(21, 31, offset=0))
    assert "departure_reminder" in sent_kinds()
    [text] = SandboxMessage.objects.filter(
        to=ANNA,
        provider_message_id__in=Delivery.objects.filter(kind="departure_reminder").values(
            "provider_message_id"
        ),
    ).values_list("text", flat=True)
    assert text.startswith("Beste Anna de Vries, morgen om 06:30 vertrekt uw vlucht KL1001")


@pytest.mark.django_db(transaction=True)
def test_the_airlines_check_in_at_night_waits_but_a_delay_goes_at_once(api, clock):
    clock.move_to(suite_clock.local(12, 0, offset=0))
    api.put_booking("ABC123", booking(offset=1))
    trip = suite_clock.trip(offset=1)
    clock.move_to(suite_clock.local(23, 30, offset=0))
    check_in = api.post_event({"type": "check_in_open"}, key="ci", trip=trip).json()
    assert check_in["recipients"] == 1
    clock.move_to(suite_clock.local(2, 0, offset=1))
    api.post_event(
        {"type": "delayed", "estimated_departure": suite_clock.iso(9, 40)}, key="d", trip=trip
    )
    assert sent_kinds() == ["booking_confirmation", "delayed"]
    counts = api.get(f"/events/{check_in['id']}").json()["deliveries"]
    assert counts["pending"] == 0 and counts["sent"] == 0  # held, not yet made
    tick(clock, suite_clock.local(7, 0, offset=1))
    # The reminder (3 h before 09:40) waited for the morning too, and comes after check-in.
    assert sent_kinds() == [
        "booking_confirmation",
        "delayed",
        "check_in_open",
        "departure_reminder",
    ]
    assert Delivery.objects.get(kind="check_in_open").event_id is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_waits_when_morning_would_be_too_late(api, clock):
    clock.move_to(suite_clock.local(12, 0, offset=0))
    api.put_booking("ABC123", booking(offset=1, hour=7, minute=30))
    clock.move_to(suite_clock.local(4, 0, offset=1))
    api.post_event({"type": "check_in_open"}, key="ci", trip=suite_clock.trip(offset=1))
    assert sent_kinds()[-1] == "check_in_open"  # 07:00 is too close to a 07:30 departure
