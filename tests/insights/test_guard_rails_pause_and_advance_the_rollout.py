"""A broken guard rail pauses the rollout, says why, tells the managers, and offers nothing new;
guard rails that held for the plan's period advance it; every change is recorded."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Booking
from core.rollout import booking_offers
from insights.guards import rollout_check, webcare_state
from insights.models import RolloutChange, RolloutPlan
from insights.rollout import group_of, plan_resume
from tests.insights.conftest import plan
from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_too_many_open_conversations_per_agent_pause_the_plan(manager, make_booking):
    kl = plan(max_open_per_agent=2)
    make_agent("ada", available=True)
    for n in range(3):
        receive("Waar is mijn koffer?", address=f"+3162000000{n}")
    assert webcare_state().open_conversations == 3

    assert rollout_check() == {"paused": 1, "advanced": 0, "held": 0}

    kl.refresh_from_db()
    assert kl.status == "paused"
    assert kl.paused_reason == (
        "guard rail broken: 3.0 open conversations per available agent (at most 2)"
    )
    change = RolloutChange.objects.get(plan=kl, action="paused")
    assert change.actor is None and change.reason == kl.paused_reason
    [email] = mail.outbox
    assert email.to == ["margot@example.com"] and "paused itself" in email.subject
    assert "3.0 open conversations per available agent" in email.body

    # Paused: a booking made now in the stage's share is not offered; one made before still is.
    reference = next(f"NEW{i}" for i in range(10_000) if group_of(kl, f"NEW{i}") == "rollout")
    booking = make_booking(reference)
    assert booking_offers([booking.pk])[booking.pk].offered is False
    Booking.objects.filter(pk=booking.pk).update(created_at=kl.paused_at - timedelta(minutes=1))
    assert booking_offers([booking.pk])[booking.pk].offered is True

    # Checked again while paused: nothing changes until someone resumes it.
    assert rollout_check() == {"paused": 0, "advanced": 0, "held": 0}
    assert plan_resume(plan=kl, actor=manager, reason="two more agents on shift")
    assert RolloutChange.objects.filter(plan=kl, action="resumed", actor=manager).exists()


@pytest.mark.django_db(transaction=True)
def test_low_csat_pauses_once_there_are_enough_answers(make_booking):
    kl = plan(min_csat_percent=97, min_csat_answers=3)
    now = timezone.now()
    for n in range(3):
        receive("Hallo", address=f"+3163000000{n}")
    for conversation, score in zip(Conversation.objects.order_by("pk"), [5, 5, 3]):
        Conversation.objects.filter(pk=conversation.pk).update(
            status="resolved", csat_score=score, csat_answered_at=now
        )
    rollout_check()
    kl.refresh_from_db()
    assert kl.status == "paused"
    assert "CSAT 66.7% satisfied (at least 97%, 3 answers)" in kl.paused_reason


@pytest.mark.django_db(transaction=True)
def test_few_csat_answers_do_not_decide(make_booking):
    kl = plan(min_csat_percent=97, min_csat_answers=20)
    receive("Hallo")
    Conversation.objects.update(status="resolved", csat_score=1, csat_answered_at=timezone.now())
    rollout_check()
    kl.refresh_from_db()
    assert kl.status == "active"


@pytest.mark.django_db
def test_guard_rails_that_held_long_enough_advance_one_stage(clock):
    kl = plan(hold_hours=72)
    assert rollout_check()["held"] == 1  # held from now on
    clock.shift(timedelta(hours=71))
    assert rollout_check()["advanced"] == 0
    clock.shift(timedelta(hours=2))
    assert rollout_check()["advanced"] == 1
    kl.refresh_from_db()
    assert kl.percent == 20
    change = RolloutChange.objects.get(plan=kl, action="advanced")
    assert (change.from_percent, change.to_percent, change.actor) == (5, 20, None)
    assert change.reason == "guard rails held for 72 h"
    # The next stage waits its own full period.
    clock.shift(timedelta(hours=2))
    assert rollout_check()["advanced"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_slow_first_response_breaks_the_rail(clock):
    kl = plan(max_frt_p90_minutes=30)
    make_agent("ada", available=True)
    receive("Hallo")  # handed to the team, nobody answers
    clock.shift(timedelta(minutes=45))
    rollout_check()
    kl.refresh_from_db()
    assert kl.status == RolloutPlan.Status.PAUSED
    assert "first response p90 45 min (at most 30)" in kl.paused_reason
