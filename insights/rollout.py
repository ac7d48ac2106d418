"""Staged rollout: which bookings a plan offers proactive messaging, and its stage changes.

A booking's place is fixed by its reference: sha256(salt:reference) read as a number u in [0, 1).
u < hold-out share: held out (never messaged). Otherwise it is offered when
(u - hold-out) / (1 - hold-out) < stage share, so each stage adds bookings and never drops one,
and the hold-out stays the same people whatever the stage.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.models import Segment
from core.rollout import BookingRoute, Offer
from insights.models import RolloutChange, RolloutPlan


def bucket(salt: str, reference: str) -> float:
    """The booking's fixed place in [0, 1) for one plan."""
    digest = hashlib.sha256(f"{salt}:{reference}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def group_of(plan: RolloutPlan, reference: str, percent: float | None = None) -> str:
    """The booking's group: holdout, rollout (offered) or outside (not offered), at the plan's
    current stage or at `percent` (the stage it had at some earlier time)."""
    u = bucket(plan.salt, reference)
    holdout = plan.holdout_percent / 100
    if u < holdout:
        return "holdout"
    rest = (u - holdout) / (1 - holdout) if holdout < 1 else 1.0
    share = plan.percent if percent is None else percent
    return "rollout" if rest < share / 100 else "outside"


class StageHistory:
    """A plan's stage at any moment, from its recorded changes: a traveller counts in the group
    their booking was in when they travelled, not the one a later stage put it in."""

    def __init__(self, plan: RolloutPlan) -> None:
        changes = plan.changes.exclude(to_percent__isnull=True).order_by("at", "pk")
        self.steps = [(c.at, c.to_percent) for c in changes]
        self.first = plan.stages[0] if plan.stages else plan.percent
        self.current = plan.percent

    def percent_at(self, moment) -> float:
        if not self.steps:
            return self.current
        found = self.first
        for at, percent in self.steps:
            if at > moment:
                break
            found = percent
        return found


@dataclass(frozen=True)
class Route:
    service: str
    origin: str
    destination: str


def _specificity(plan: RolloutPlan) -> int:
    return bool(plan.carrier) * 4 + bool(plan.origin) * 2 + bool(plan.destination)


def _covers(plan: RolloutPlan, route: Route) -> bool:
    return (
        (not plan.carrier or route.service.upper().startswith(plan.carrier.upper()))
        and (not plan.origin or plan.origin.upper() == route.origin)
        and (not plan.destination or plan.destination.upper() == route.destination)
    )


def plan_for(route: Route, plans: list[RolloutPlan]) -> RolloutPlan | None:
    """The most specific plan covering the route (carrier and both ends beat a carrier alone)."""
    covering = [p for p in plans if _covers(p, route)]
    return max(covering, key=lambda p: (_specificity(p), -p.pk)) if covering else None


def plans_all() -> list[RolloutPlan]:
    return list(RolloutPlan.objects.order_by("pk"))


def booking_routes(booking_ids: Iterable[int]) -> dict[int, tuple[str, Route, object]]:
    """booking id → (reference, the route of its first segment, created_at); one query."""
    rows = (
        Segment.objects.filter(booking_id__in=list(booking_ids))
        .order_by("booking_id", "position", "pk")
        .values_list(
            "booking_id",
            "booking__reference",
            "booking__created_at",
            "trip__service",
            "trip__origin",
            "trip__destination",
        )
    )
    found: dict[int, tuple[str, Route, object]] = {}
    for booking_id, reference, created_at, service, origin, destination in rows:
        found.setdefault(booking_id, (reference, Route(service, origin, destination), created_at))
    return found


def offer_for(plan: RolloutPlan, reference: str, created_at) -> Offer:
    group = group_of(plan, reference)
    offered = group == "rollout"
    if offered and plan.status == RolloutPlan.Status.PAUSED and plan.paused_at:
        # Paused: nothing new is offered; bookings offered before the pause keep their offer.
        offered = created_at < plan.paused_at
    return Offer(offered=offered, holdout=group == "holdout", plan=plan.name, percent=plan.percent)


def rollout_gate(
    booking_ids: list[int], routes: dict[int, BookingRoute] | None = None
) -> dict[int, Offer]:
    """The core.rollout gate: the offer of every booking a plan covers."""
    plans = plans_all()
    if not plans:
        return {}
    if routes is None:
        found = booking_routes(booking_ids)
    else:
        found = {
            pk: (r.reference, Route(r.service, r.origin, r.destination), r.created_at)
            for pk, r in routes.items()
        }
    offers = {}
    for booking_id, (reference, route, created_at) in found.items():
        plan = plan_for(route, plans)
        if plan is not None:
            offers[booking_id] = offer_for(plan, reference, created_at)
    return offers


# --- Stage changes --------------------------------------------------------------------------


def _record(plan: RolloutPlan, action: str, *, before: float | None, actor, reason: str) -> None:
    RolloutChange.objects.create(
        plan=plan,
        action=action,
        from_percent=before,
        to_percent=plan.percent,
        actor=actor,
        reason=reason[:300],
    )


@transaction.atomic
def plan_advance(*, plan: RolloutPlan, actor=None, reason: str = "") -> bool:
    """To the next stage; False when it is at its last stage or paused."""
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.last_stage or plan.status == RolloutPlan.Status.PAUSED:
        return False
    before = plan.percent
    now = timezone.now()
    plan.stage_index += 1
    plan.stage_started_at = now
    plan.guards_held_since = now
    plan.save(update_fields=["stage_index", "stage_started_at", "guards_held_since"])
    _record(plan, RolloutChange.Action.ADVANCED, before=before, actor=actor, reason=reason)
    return True


@transaction.atomic
def plan_stage_set(*, plan: RolloutPlan, stage_index: int, actor, reason: str = "") -> None:
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk)
    if not 0 <= stage_index < len(plan.stages):
        raise ValueError(f"stage_index: {stage_index} is not one of the plan's stages")
    before = plan.percent
    plan.stage_index = stage_index
    plan.stage_started_at = timezone.now()
    plan.save(update_fields=["stage_index", "stage_started_at"])
    _record(plan, RolloutChange.Action.STAGE_SET, before=before, actor=actor, reason=reason)


@transaction.atomic
def plan_pause(*, plan: RolloutPlan, actor=None, reason: str) -> bool:
    """Stop offering anything new; False when it was paused already."""
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == RolloutPlan.Status.PAUSED:
        return False
    plan.status = RolloutPlan.Status.PAUSED
    plan.paused_reason = reason[:300]
    plan.paused_at = timezone.now()
    plan.guards_held_since = None
    plan.save(update_fields=["status", "paused_reason", "paused_at", "guards_held_since"])
    _record(plan, RolloutChange.Action.PAUSED, before=plan.percent, actor=actor, reason=reason)
    return True


@transaction.atomic
def plan_resume(*, plan: RolloutPlan, actor, reason: str = "") -> bool:
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != RolloutPlan.Status.PAUSED:
        return False
    plan.status = RolloutPlan.Status.ACTIVE
    plan.paused_reason = ""
    plan.paused_at = None
    plan.guards_held_since = None
    plan.save(update_fields=["status", "paused_reason", "paused_at", "guards_held_since"])
    _record(plan, RolloutChange.Action.RESUMED, before=plan.percent, actor=actor, reason=reason)
    return True
