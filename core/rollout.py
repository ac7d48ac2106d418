"""The staged-rollout seam: whether a booking is offered proactive messaging.

The insights app registers the rollout plans' decision here when it loads (insights/apps.py);
core (the bookings API's opt-in links) and the delivery engine (who gets proactive messages) ask
through this module, so neither imports insights. With no gate registered, or a booking no plan
covers, every booking is offered, as before staged rollouts existed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


@dataclass(frozen=True)
class Offer:
    """A booking's place in its rollout plan."""

    offered: bool = True  # gets opt-in links and proactive messages
    holdout: bool = False  # in the hold-out: never messaged proactively, whatever its consent
    plan: str = ""  # the plan's name; "" when no plan covers the booking
    percent: float | None = None  # the plan's current stage, as a share of bookings


EVERYONE = Offer()


class BookingRoute(NamedTuple):
    """What a plan decides a booking by: its reference, its first segment's trip, its age."""

    reference: str
    service: str
    origin: str
    destination: str
    created_at: datetime


# (booking ids, their routes or None) → {booking id: Offer}; bookings missing from the answer
# are offered. Routes, when given (a booking just stored, core/bookings.py), hold every booking
# with a segment, and the gate need not read them; a booking without one is in no plan.
RolloutGate = Callable[[list[int], dict[int, BookingRoute] | None], dict[int, Offer]]
_GATES: list[RolloutGate] = []


def rollout_gate_register(gate: RolloutGate) -> None:
    if gate not in _GATES:
        _GATES.append(gate)


def booking_offers(
    booking_ids: Iterable[int], routes: dict[int, BookingRoute] | None = None
) -> dict[int, Offer]:
    """Each booking's offer; the first gate that decides a booking wins."""
    ids = list(booking_ids)
    offers = dict.fromkeys(ids, EVERYONE)
    undecided = ids
    for gate in _GATES:
        if not undecided:
            break
        decided = gate(undecided, routes)
        offers.update(decided)
        undecided = [i for i in undecided if i not in decided]
    return offers


def held_out(booking_ids: Iterable[int], routes: dict[int, BookingRoute] | None = None) -> set[int]:
    """The bookings that must get no proactive message at all."""
    if not _GATES:
        return set()
    return {pk for pk, offer in booking_offers(booking_ids, routes).items() if offer.holdout}
