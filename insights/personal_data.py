"""What insights holds about people (core/data_protection.py is the seam).

A survey answer is a score (no text) tied to the person who gave it: erasing the person keeps
the score, anonymous like their conversations, so the dashboard's averages stay true, and drops
its links to the conversation and message. The rollup holds only counts per day and route.
"""

from core.data_protection import Person, holds, holds_none
from insights.models import Figure, RolloutChange, RolloutPlan, RollupRun, Survey


def _surveys(person: Person):
    return Survey.objects.filter(customer_id__in=person.customer_ids)


def _erase(person: Person) -> int:
    return (
        _surveys(person)
        .exclude(conversation__isnull=True, delivery__isnull=True)
        .update(conversation=None, delivery=None)
    )


def _export(person: Person) -> list[dict]:
    return list(_surveys(person).values("kind", "route", "asked_at", "score", "answered_at"))


holds(Survey, erase=_erase, export=_export, owner="customer", order=30)
holds_none(
    Figure,
    why="counts per day, route and key; a question text shows only once several "
    "people asked it, with numbers, codes and links taken out",
)
holds_none(RollupRun, why="when the rollup ran and how long it took")
holds_none(RolloutPlan, why="a carrier's or route's rollout settings")
holds_none(RolloutChange, why="stage changes of a plan and the staff member who made them")
