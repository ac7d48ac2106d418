"""Reads for the call-backs page: the queue an agent may see, and how calls went."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils import timezone

from webcare_inbox import listing
from webcare_inbox.hours import opening_hours
from webcare_inbox.models import CallbackRequest
from webcare_inbox.selectors import CHANNEL_NAMES, person_name

COUNT_DAYS = 7


@dataclass(frozen=True)
class Counts:
    requested: int
    done: int
    not_reached: int
    waiting_for_time: int
    scheduled: int
    overdue: int


def callbacks_visible_to(user):
    return CallbackRequest.objects.filter(
        conversation__in=listing.conversations_visible_to(user)
    ).select_related("conversation__customer", "contact_point", "done_by")


def callback_queue(*, user, now: datetime | None = None) -> list[dict]:
    """Open requests, the soonest due first; those still waiting for a time after them."""
    now = now or timezone.now()
    team_tz = opening_hours().tz
    rows = callbacks_visible_to(user).filter(status__in=("asking", "scheduled"))
    ordered = sorted(rows, key=lambda c: (c.due_at is None, c.due_at or c.requested_at))
    return [_row(c, now=now, team_tz=team_tz) for c in ordered[:500]]


def _row(callback: CallbackRequest, *, now: datetime, team_tz: ZoneInfo) -> dict:
    person_tz = ZoneInfo(callback.tz_name)
    due = callback.due_at
    return {
        "id": callback.pk,
        "conversation_id": callback.conversation_id,
        "name": person_name(callback.conversation),
        "phone": callback.phone,
        "channel": callback.contact_point.channel,
        "channel_label": CHANNEL_NAMES.get(callback.contact_point.channel, ""),
        "status": callback.status,
        "requested_at": callback.requested_at.astimezone(team_tz),
        "due": due and due.astimezone(team_tz),
        "due_local": due and person_tz != team_tz and due.astimezone(person_tz),
        "person_tz": person_tz.key,
        "overdue": bool(due and due < now),
        "attempts": callback.attempts,
        "not_reached": callback.not_reached,
        "moved": callback.moved,
        "move_value": due and f"{due.astimezone(team_tz):%Y-%m-%dT%H:%M}",
    }


def callback_counts(*, user, now: datetime | None = None, days: int = COUNT_DAYS) -> Counts:
    now = now or timezone.now()
    visible = callbacks_visible_to(user)
    recent = visible.filter(requested_at__gte=now - timedelta(days=days)).aggregate(
        requested=Count("id"),
        done=Count("id", filter=Q(status="done")),
        not_reached=Sum("not_reached"),
    )
    open_ = visible.filter(status__in=("asking", "scheduled")).aggregate(
        waiting=Count("id", filter=Q(status="asking")),
        scheduled=Count("id", filter=Q(status="scheduled")),
        overdue=Count("id", filter=Q(status="scheduled", due_at__lt=now)),
    )
    return Counts(
        requested=recent["requested"],
        done=recent["done"],
        not_reached=recent["not_reached"] or 0,
        waiting_for_time=open_["waiting"],
        scheduled=open_["scheduled"],
        overdue=open_["overdue"],
    )
