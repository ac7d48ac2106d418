"""A booking's group follows from its reference alone: stable, close to the configured shares on
100,000 references, and a higher stage only adds bookings."""

import pytest

from insights.models import RolloutPlan
from insights.rollout import bucket, group_of

REFERENCES = [f"R{n:07d}" for n in range(100_000)]


def _plan(percent_index: int, holdout: float = 5.0, salt: str = "a1b2c3") -> RolloutPlan:
    return RolloutPlan(
        name="p",
        stages=[5, 20, 50, 100],
        stage_index=percent_index,
        holdout_percent=holdout,
        salt=salt,
    )


def _groups(plan: RolloutPlan) -> dict[str, str]:
    return {r: group_of(plan, r) for r in REFERENCES}


@pytest.mark.parametrize("stage_index,percent", [(0, 5), (1, 20), (2, 50), (3, 100)])
def test_shares_are_close_to_the_plan(stage_index, percent):
    groups = _groups(_plan(stage_index))
    n = len(REFERENCES)
    holdout = sum(g == "holdout" for g in groups.values()) / n
    offered = sum(g == "rollout" for g in groups.values()) / n
    # 5% held out; the stage's share of the other 95% offered; within 0.5 percentage point.
    assert abs(holdout - 0.05) < 0.005
    assert abs(offered - 0.95 * percent / 100) < 0.005


def test_a_booking_never_flips_and_stages_only_add():
    before = _groups(_plan(1))
    assert _groups(_plan(1)) == before  # computed again: the same
    after = _groups(_plan(2))
    assert {r for r, g in before.items() if g == "holdout"} == {
        r for r, g in after.items() if g == "holdout"
    }
    offered_before = {r for r, g in before.items() if g == "rollout"}
    offered_after = {r for r, g in after.items() if g == "rollout"}
    assert offered_before < offered_after


def test_each_plan_draws_its_own_groups():
    one = _groups(_plan(1, salt="one"))
    other = _groups(_plan(1, salt="other"))
    same = sum(one[r] == other[r] == "holdout" for r in REFERENCES)
    assert same < 1000  # independent draws: about 5% of 5% = 250, not 5,000
    assert 0 <= bucket("x", "ABC123") < 1
