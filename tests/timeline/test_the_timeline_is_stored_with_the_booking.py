"""A booking's check-in notice and departure reminder are written in the transaction that stores
the booking: a process that dies right after the commit, before any after-commit work ran,
loses neither, and a timeline that cannot be written stores no booking without it."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

from core.models import Booking
from notifications.models import ScheduledMessage
from tests import clock as suite_clock
from tests.timeline.conftest import PEOPLE, booking, tick
from tests.timeline.test_check_in_opens_from_the_schedule import checked_in

ANNA = PEOPLE[("nl", "formal")][2]


def _dropped(func, using=None, robust=False):
    """What a process that dies right after the commit does with its after-commit work."""


@pytest.mark.django_db(transaction=True)
def test_a_crash_right_after_the_commit_loses_no_check_in_notice(api, clock, monkeypatch):
    with monkeypatch.context() as crash:
        crash.setattr(transaction, "on_commit", _dropped)
        assert api.put_booking("ABC123", booking()).status_code == 201
    assert set(ScheduledMessage.objects.values_list("kind", flat=True)) == {
        "check_in_open",
        "departure_reminder",
    }
    tick(clock, suite_clock.local(9, 0, offset=3) - timedelta(hours=29, minutes=59))
    assert len(checked_in(ANNA)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_timeline_that_cannot_be_written_stores_no_booking(api, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr("notifications.services.timeline.rows_insert", broken)
    with pytest.raises(DatabaseError):
        api.put_booking("ABC123", booking())
    assert not Booking.objects.filter(reference="ABC123").exists()
    assert not ScheduledMessage.objects.exists()
