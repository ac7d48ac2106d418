"""The rollup: live rows → Figure rows per day, route and key, so a page view reads a few
hundred rows instead of scanning deliveries and conversations.

`rollup_refresh` recomputes whole days (local time, settings.TIME_ZONE): the last
INSIGHTS_ROLLUP_DAYS by default (late status reports, first replies, survey answers and contacts
about a trip land within them), everything on the first run. Each day's rows are replaced in one
transaction, so a reader sees a day before or after, never half of it.
"""

import re
import time
import zoneinfo
from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, ExtractHour, TruncDate
from django.utils import timezone

from core.models import Segment
from insights import rollout
from insights.models import Figure, RollupRun, Survey
from notifications.models import Delivery, DeliveryStatus, MessageKind, TripEvent
from webcare_inbox.models import AuditEntry, Conversation, Message

# Answers the automation gives to a question (after which "did this help?" is asked).
ANSWER_KINDS = ("group_trip_answer",)
# Messages Thuisfront sends on its own initiative: trip events and the trip's own timeline.
REPLY_KINDS = {
    MessageKind.AGENT_REPLY,
    MessageKind.AUTOMATED_REPLY,
    MessageKind.AGENT_FOLLOW_UP,
    MessageKind.CSAT_QUESTION,
}
NOT_SENT = [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SUPERSEDED]
# Upper bounds (minutes) of the time histograms; the last catches everything longer.
BUCKETS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 10080]
UNANSWERED_REASONS = (
    "not answered by the automated replies",
    "not understood by the automated replies",
)
NO_LABEL = "(no label)"


def tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _day(field: str):
    return TruncDate(field, tzinfo=tz())


def _route(prefix: str):
    return Coalesce(Concat(F(f"{prefix}origin"), Value("-"), F(f"{prefix}destination")), Value(""))


def bucket_of(minutes: float) -> int:
    for bound in BUCKETS:
        if minutes <= bound:
            return bound
    return BUCKETS[-1] * 10


_NOISE = [
    (re.compile(r"https?://\S+"), "<link>"),
    (re.compile(r"\S+@\S+"), "<email>"),
    (re.compile(r"\+?\d[\d\s-]{5,}\d"), "<number>"),
    (re.compile(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{5,}\b"), "<code>"),
    (re.compile(r"\d+"), "#"),
]


def question_key(text: str) -> str:
    """A question as the dashboard groups it: no numbers, codes, links or addresses, lower case."""
    text = " ".join((text or "").split())
    for pattern, replacement in _NOISE:
        text = pattern.sub(replacement, text)
    return text.lower().strip(" ?!.,#")[:100]


class Cells:
    def __init__(self) -> None:
        self.values: Counter = Counter()

    def add(self, day, route: str | None, metric: str, key, value: float = 1) -> None:
        if day is None:
            return
        self.values[(day, route or "", metric, str(key)[:120])] += value


def _window(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz())
    return start, end


def _conversations(cells: Cells, start: datetime, end: datetime) -> None:
    base = Conversation.objects.filter(created_at__gte=start, created_at__lt=end).annotate(
        d=_day("created_at"), r=_route("trip__")
    )
    for row in base.values("d", "r", label=F("labels__name")).annotate(n=Count("id")):
        cells.add(row["d"], row["r"], "contacts", row["label"] or NO_LABEL, row["n"])
    earlier = Conversation.objects.filter(
        customer_id=OuterRef("customer_id"), created_at__lt=OuterRef("created_at")
    )
    last_event = TripEvent.objects.filter(
        trip_id=OuterRef("trip_id"),
        created_at__lte=OuterRef("created_at"),
        created_at__gte=OuterRef("created_at") - timedelta(hours=24),
    ).order_by("-created_at")
    rows = (
        base.annotate(returning=Exists(earlier), event=Subquery(last_event.values("type")[:1]))
        .values("d", "r", "returning", "event", "handled_by", "handover_reason")
        .annotate(n=Count("id"))
    )
    for row in rows:
        d, r, n = row["d"], row["r"], row["n"]
        cells.add(d, r, "people", "returning" if row["returning"] else "new", n)
        cells.add(d, r, "after_event", row["event"] or "(no trip event)", n)
        bot = row["handled_by"] == Conversation.HandledBy.BOT
        cells.add(d, r, "handling", "self_service" if bot else "handed_over", n)
        if not bot:
            cells.add(d, r, "handover", row["handover_reason"] or "(straight to the team)", n)
    first_inbound = Message.objects.filter(
        conversation_id=OuterRef("pk"), direction=Message.Direction.INBOUND
    ).order_by("created_at", "pk")
    unanswered = base.filter(handover_reason__in=UNANSWERED_REASONS).annotate(
        question=Subquery(first_inbound.values("text")[:1])
    )
    # A question is kept only once INSIGHTS_MIN_GROUP different people asked it in the window:
    # what is stored names no one (the words of one person never reach the rollup).
    asked: dict[str, list[tuple]] = {}
    for d, r, question, customer in unanswered.values_list("d", "r", "question", "customer_id"):
        if key := question_key(question):
            asked.setdefault(key, []).append((d, r, customer))
    for key, rows in asked.items():
        if len({customer for *_, customer in rows}) >= settings.INSIGHTS_MIN_GROUP:
            for d, r, _ in rows:
                cells.add(d, r, "unanswered", key)
    _times(cells, base)


def _times(cells: Cells, base) -> None:
    resolved = AuditEntry.objects.filter(conversation_id=OuterRef("pk"), action="resolved")
    rows = (
        base.filter(handled_by=Conversation.HandledBy.HUMAN)
        .annotate(
            first_reply=Min(
                "messages__created_at",
                filter=Q(
                    messages__direction=Message.Direction.OUTBOUND,
                    messages__author__isnull=False,
                ),
            ),
            resolved_at=Subquery(resolved.order_by("at").values("at")[:1]),
            hour=ExtractHour("created_at", tzinfo=tz()),
            team_name=Coalesce(F("team__name"), Value("(no team)")),
        )
        .values_list(
            "d", "r", "created_at", "first_reply", "resolved_at", "hour", "team_name", "channel"
        )
    )
    for d, r, created, first_reply, resolved_at, hour, team, channel in rows:
        for metric, at in (("frt", first_reply), ("resolution", resolved_at)):
            if at is not None:
                b = bucket_of((at - created).total_seconds() / 60)
                # One histogram per team, per channel and per hour of the day (not their product).
                for dimension, value in (("team", team), ("channel", channel), ("hour", hour)):
                    cells.add(d, r, metric, f"{dimension}|{value}|{b}")


def _surveys(cells: Cells, start: datetime, end: datetime) -> None:
    rows = (
        Survey.objects.filter(asked_at__gte=start, asked_at__lt=end)
        .annotate(d=_day("asked_at"))
        .values("d", "route", "kind", "score")
        .annotate(n=Count("id"))
    )
    for row in rows:
        cells.add(row["d"], row["route"], row["kind"], "asked", row["n"])
        if row["score"] is not None:
            cells.add(row["d"], row["route"], row["kind"], row["score"], row["n"])
    csat = (
        Conversation.objects.filter(csat_asked_at__gte=start, csat_asked_at__lt=end)
        .annotate(d=_day("csat_asked_at"), r=_route("trip__"))
        .values("d", "r", "csat_score")
        .annotate(n=Count("id"))
    )
    for row in csat:
        cells.add(row["d"], row["r"], "csat", "asked", row["n"])
        if row["csat_score"] is not None:
            cells.add(row["d"], row["r"], "csat", row["csat_score"], row["n"])
    answers = (
        Message.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            direction=Message.Direction.OUTBOUND,
            automated=True,
            delivery__context__answer_kind__in=ANSWER_KINDS,
        )
        .annotate(d=_day("created_at"), r=_route("conversation__trip__"))
        .values("d", "r")
        .annotate(n=Count("id"))
    )
    for row in answers:
        cells.add(row["d"], row["r"], "answers", "automated", row["n"])


def _deliveries(cells: Cells, start: datetime, end: datetime) -> None:
    base = Delivery.objects.filter(created_at__gte=start, created_at__lt=end).annotate(
        d=_day("created_at"), r=_route("trip__")
    )
    funnel = base.values("d", "r", "kind", "channel", "status").annotate(n=Count("id"))
    for row in funnel:
        key = f"{row['kind']}|{row['channel']}|{row['status']}"
        cells.add(row["d"], row["r"], "funnel", key, row["n"])
    failed = (
        base.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED])
        .values("d", "r", "channel", "error_code")
        .annotate(n=Count("id"))
    )
    for row in failed:
        key = f"{row['channel']}|{row['error_code'] or '(no code)'}"
        cells.add(row["d"], row["r"], "failures", key, row["n"])
    contacted = Conversation.objects.filter(
        customer_id=OuterRef("customer_id"),
        trip_id=OuterRef("trip_id"),
        created_at__gt=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + timedelta(hours=24),
    )
    proactive = (
        base.exclude(kind__in=REPLY_KINDS)
        .exclude(status__in=NOT_SENT)
        .filter(trip__isnull=False)
        .annotate(contacted=Exists(contacted))
        .values("d", "r", "contacted")
        .annotate(n=Count("id"))
    )
    for row in proactive:
        cells.add(row["d"], row["r"], "after_proactive", "messages", row["n"])
        if row["contacted"]:
            cells.add(row["d"], row["r"], "after_proactive", "contacted", row["n"])


def _travellers(cells: Cells, start: datetime, end: datetime) -> None:
    """Travellers per rollout group by departure day, and the contacts they made about the trip."""
    plans = rollout.plans_all()
    if not plans:
        return
    rows = (
        Segment.objects.filter(
            trip__scheduled_departure__gte=start, trip__scheduled_departure__lt=end
        )
        .annotate(d=_day("trip__scheduled_departure"))
        .values_list(
            "d",
            "trip_id",
            "trip__scheduled_departure",
            "trip__service",
            "trip__origin",
            "trip__destination",
            "booking__reference",
            "passengers__customer_id",
        )
    )
    group_of_traveller: dict[tuple[int, int], tuple] = {}
    histories = {plan.pk: rollout.StageHistory(plan) for plan in plans}
    for d, trip_id, departs, service, origin, destination, reference, customer_id in rows:
        if customer_id is None:
            continue
        plan = rollout.plan_for(rollout.Route(service, origin, destination), plans)
        if plan is None:
            continue
        percent = histories[plan.pk].percent_at(departs)
        group = rollout.group_of(plan, reference, percent)
        if group == "outside":
            continue
        route = f"{origin}-{destination}"
        if (trip_id, customer_id) not in group_of_traveller:
            group_of_traveller[(trip_id, customer_id)] = (d, route, group)
            cells.add(d, route, "travellers", group)
    trips = {trip for trip, _ in group_of_traveller}
    contacts = (
        Conversation.objects.filter(trip_id__in=trips)
        .values_list("trip_id", "customer_id")
        .annotate(n=Count("id"))
    )
    for trip_id, customer_id, n in contacts:
        found = group_of_traveller.get((trip_id, customer_id))
        if found is not None:
            d, route, group = found
            cells.add(d, route, "traveller_contacts", group, n)


def figures_compute(first: date, last: date) -> Cells:
    start, end = _window(first, last)
    cells = Cells()
    _conversations(cells, start, end)
    _surveys(cells, start, end)
    _deliveries(cells, start, end)
    _travellers(cells, start, end)
    return cells


def _earliest_day() -> date:
    candidates = [
        Delivery.objects.aggregate(m=Min("created_at"))["m"],
        Conversation.objects.aggregate(m=Min("created_at"))["m"],
    ]
    found = [c for c in candidates if c is not None]
    return min(found).astimezone(tz()).date() if found else timezone.localdate()


def rollup_refresh(*, first: date | None = None, last: date | None = None) -> RollupRun:
    """Recompute the figures of [first, last] (default: the last INSIGHTS_ROLLUP_DAYS days, or
    everything when nothing was rolled up yet)."""
    began = time.perf_counter()
    today = timezone.now().astimezone(tz()).date()
    last = last or today + timedelta(days=1)  # trips departing tomorrow count their travellers
    if first is None:
        if RollupRun.objects.exists():
            first = today - timedelta(days=settings.INSIGHTS_ROLLUP_DAYS - 1)
        else:
            first = _earliest_day()
    cells = figures_compute(first, last)
    with transaction.atomic():
        Figure.objects.filter(day__gte=first, day__lte=last).delete()
        Figure.objects.bulk_create(
            [
                Figure(day=d, route=r, metric=m, key=k, value=v)
                for (d, r, m, k), v in cells.values.items()
            ],
            batch_size=2000,
        )
        return RollupRun.objects.create(
            first_day=first,
            last_day=last,
            rows=len(cells.values),
            seconds=time.perf_counter() - began,
        )
