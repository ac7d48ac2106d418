"""The dashboard's figures, read from the rollup (Figure rows) plus a few live counts.

Every chart is a plain dict: {"id", "title", "kind" (bar, line, doughnut…), "labels",
"datasets": [{"label", "data"}], "note"}; the page draws it with Chart.js, the CSV view writes
its numbers, and the API answers it as JSON — the same numbers everywhere.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from insights import guards
from insights.models import Figure, RolloutChange, RolloutPlan, RollupRun
from insights.rollups import NO_LABEL
from insights.stats import RateComparison, histogram_percentile
from notifications.models import DeliveryStatus

DEFAULT_DAYS = 28
MAX_DAYS = 366
# Funnel stages: a status counts in every stage up to the one it reached.
FUNNEL = ["queued", "sent", "delivered", "read"]
STAGE_LABELS = {
    "queued": lambda: gettext("queued"),
    "sent": lambda: gettext("sent"),
    "delivered": lambda: gettext("delivered"),
    "read": lambda: gettext("read"),
}
_REACHED = {
    DeliveryStatus.QUEUED: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.READ: 4,
}
FAILED = {DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED}
FREE_KINDS = {"agent_reply", "automated_reply", "csat_question"}


class FilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Filters:
    first: date
    last: date
    route: str = ""

    @classmethod
    def parse(cls, data) -> "Filters":
        """From a query string (from, to: YYYY-MM-DD; route: AMS-LHR); errors name the field."""
        today = timezone.localdate()
        last = _date(data.get("to"), "to") or today
        first = _date(data.get("from"), "from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise FilterError("from", "must be on or before `to`")
        if (last - first).days >= MAX_DAYS:
            raise FilterError("from", f"the range may span at most {MAX_DAYS} days")
        route = (data.get("route") or "").strip().upper()
        if route and (len(route) > 12 or "-" not in route):
            raise FilterError("route", "must look like AMS-LHR (origin-destination)")
        return cls(first=first, last=last, route=route)

    def query(self) -> str:
        parts = f"from={self.first.isoformat()}&to={self.last.isoformat()}"
        return parts + (f"&route={self.route}" if self.route else "")


def _date(value, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise FilterError(field, f"must be a date as YYYY-MM-DD, not {str(value)[:20]!r}") from None


class Sums:
    """The rollup within the filters, summed over days (by metric and key) in one query, and per
    day for the over-time charts in another."""

    OVER_TIME = ("contacts", "after_proactive", "handling")

    def __init__(self, f: Filters) -> None:
        rows = Figure.objects.filter(day__gte=f.first, day__lte=f.last)
        if f.route:
            rows = rows.filter(route=f.route)
        self.total: dict[str, dict[str, float]] = defaultdict(dict)
        for metric, key, value in rows.values_list("metric", "key").annotate(v=Sum("value")):
            self.total[metric][key] = value
        self.by_route: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
        for metric, route, key, value in (
            rows.filter(metric__in=("contacts", "travellers", "traveller_contacts"))
            .values_list("metric", "route", "key")
            .annotate(v=Sum("value"))
        ):
            self.by_route[metric][(route, key)] = value
        self.daily: dict[str, dict[tuple[date, str], float]] = defaultdict(dict)
        for metric, day, key, value in (
            rows.filter(metric__in=self.OVER_TIME)
            .values_list("metric", "day", "key")
            .annotate(v=Sum("value"))
        ):
            self.daily[metric][(day, key)] = value
        self.days = [f.first + timedelta(days=i) for i in range((f.last - f.first).days + 1)]

    def get(self, metric: str, key: str = "") -> float:
        return self.total.get(metric, {}).get(key, 0)

    def keys(self, metric: str) -> dict[str, float]:
        return self.total.get(metric, {})


def chart(id: str, title: str, kind: str, labels, datasets, note: str = "", **extra) -> dict:
    return {
        "id": id,
        "title": title,
        "kind": kind,
        "labels": [str(label) for label in labels],
        "datasets": [{"label": label, "data": [_num(v) for v in data]} for label, data in datasets],
        "note": note,
        **extra,
    }


def _num(value):
    if value is None:
        return None
    return round(value, 2) if isinstance(value, float) and not value.is_integer() else int(value)


def _share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _top(counts: dict[str, float], n: int) -> list[tuple[str, float]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


# --- Drivers ----------------------------------------------------------------------------------


def drivers(s: Sums) -> list[dict]:
    reasons = [k for k, _ in _top(s.keys("contacts"), 6)]
    over_time = [
        (reason, [s.daily["contacts"].get((day, reason), 0) for day in s.days])
        for reason in reasons
    ]
    routes = defaultdict(float)
    for (route, _), n in s.by_route["contacts"].items():
        routes[route or gettext("(no trip)")] += n
    top_routes = _top(routes, 12)
    events = _top(s.keys("after_event"), 10)
    people = s.keys("people")
    min_group = settings.INSIGHTS_MIN_GROUP
    questions = [(q, n) for q, n in _top(s.keys("unanswered"), 30) if n >= min_group][:10]
    return [
        chart(
            "contact_reasons",
            gettext("Contact reasons over time"),
            "bar",
            [d.isoformat() for d in s.days],
            over_time,
            gettext(
                "Conversations started per day, by label (a conversation with two labels counts "
                "under both; '%(none)s' were never labelled)."
            )
            % {"none": NO_LABEL},
            stacked=True,
            wide=True,
        ),
        chart(
            "contacts_by_route",
            gettext("Contacts per route"),
            "bar",
            [r for r, _ in top_routes],
            [(gettext("Conversations"), [n for _, n in top_routes])],
            gettext("Conversations per route of the trip they were about."),
        ),
        chart(
            "after_event",
            gettext("Trip event in the 24 h before the contact"),
            "bar",
            [k for k, _ in events],
            [(gettext("Conversations"), [n for _, n in events])],
        ),
        chart(
            "new_vs_returning",
            gettext("New and returning people"),
            "doughnut",
            [gettext("New"), gettext("Returning")],
            [(gettext("Conversations"), [people.get("new", 0), people.get("returning", 0)])],
            gettext("Returning: the person had started a conversation before."),
        ),
        chart(
            "unanswered",
            gettext("Top questions the automation could not answer"),
            "bar",
            [q for q, _ in questions],
            [(gettext("Times asked"), [n for _, n in questions])],
            gettext(
                "Numbers, codes and links taken out; a question shows once %(n)s people "
                "asked it, so no one can be recognised by their words."
            )
            % {"n": min_group},
            horizontal=True,
            wide=True,
        ),
    ]


# --- Effectiveness ----------------------------------------------------------------------------


def _funnel(s: Sums) -> tuple[list[str], list[list[float]], dict]:
    stages: dict[str, list[float]] = defaultdict(lambda: [0.0] * (len(FUNNEL) + 1))
    sent_by: dict[tuple[str, str], float] = defaultdict(float)
    for key, n in s.keys("funnel").items():
        kind, channel, status = key.split("|")
        row = stages[f"{kind} · {channel}"]
        if status in FAILED:
            row[-1] += n
            row[0] += n  # the provider took it before it failed
        for i in range(_REACHED.get(status, 0)):
            row[i] += n
        if _REACHED.get(status, 0) >= 2 or status in FAILED:
            sent_by[(channel, "service" if kind in FREE_KINDS else "utility")] += n
    labels = sorted(stages, key=lambda k: -stages[k][0])[:14]
    return labels, [stages[k] for k in labels], sent_by


def cost(sent_by: dict) -> tuple[dict, float]:
    prices = settings.INSIGHTS_MESSAGE_PRICES
    rows = {}
    for (channel, category), n in sorted(sent_by.items()):
        price = prices.get(channel, {}).get(category, 0.0)
        rows[f"{channel} · {category}"] = (n, price, n * price)
    return rows, sum(total for *_, total in rows.values())


def effectiveness(s: Sums) -> tuple[list[dict], dict]:
    answers = s.get("answers", "automated")
    yes, no, asked = s.get("helpful", "1"), s.get("helpful", "0"), s.get("helpful", "asked")
    handling = s.keys("handling")
    self_service = handling.get("self_service", 0)
    conversations = self_service + handling.get("handed_over", 0)
    reasons = _top(s.keys("handover"), 8)
    proactive = s.get("after_proactive", "messages")
    contacted = s.get("after_proactive", "contacted")
    labels, stages, sent_by = _funnel(s)
    failures = _top(s.keys("failures"), 10)
    costs, total_cost = cost(sent_by)
    currency = settings.INSIGHTS_CURRENCY
    tiles = {
        "automated_answers": answers,
        "helpful_yes_percent": _share(yes, yes + no),
        "helpful_response_percent": _share(yes + no, asked),
        "self_service_percent": _share(self_service, conversations),
        "handover_percent": _share(conversations - self_service, conversations),
        "contacted_after_proactive_percent": _share(contacted, proactive),
        "message_cost": round(total_cost, 2),
        "currency": currency,
    }
    charts = [
        chart(
            "helpful",
            gettext("Did this help? (after automated answers)"),
            "doughnut",
            [gettext("Yes"), gettext("No"), gettext("No answer")],
            [(gettext("Answers"), [yes, no, max(0, asked - yes - no)])],
            gettext(
                "%(n)s automated answers; the question follows an answer, at most once per "
                "person within the survey gap."
            )
            % {"n": f"{answers:g}"},
        ),
        chart(
            "handling",
            gettext("Self-service and hand-over over time"),
            "line",
            [d.isoformat() for d in s.days],
            [
                (
                    gettext("Closed without a person"),
                    [s.daily["handling"].get((d, "self_service"), 0) for d in s.days],
                ),
                (
                    gettext("Handed to the team"),
                    [s.daily["handling"].get((d, "handed_over"), 0) for d in s.days],
                ),
            ],
        ),
        chart(
            "handover_reasons",
            gettext("Why conversations went to a person"),
            "bar",
            [k for k, _ in reasons],
            [(gettext("Conversations"), [n for _, n in reasons])],
            horizontal=True,
        ),
        chart(
            "after_proactive",
            gettext("Contacts within 24 h after a proactive message"),
            "line",
            [d.isoformat() for d in s.days],
            [
                (
                    gettext("Proactive messages"),
                    [s.daily["after_proactive"].get((d, "messages"), 0) for d in s.days],
                ),
                (
                    gettext("Followed by a contact about the same trip"),
                    [s.daily["after_proactive"].get((d, "contacted"), 0) for d in s.days],
                ),
            ],
        ),
        chart(
            "funnel",
            gettext("Delivery funnel per message kind and channel"),
            "bar",
            labels,
            [(STAGE_LABELS[stage](), [row[i] for row in stages]) for i, stage in enumerate(FUNNEL)]
            + [(gettext("failed"), [row[-1] for row in stages])],
            gettext("Each stage counts the messages that got at least that far."),
            wide=True,
        ),
        chart(
            "failures",
            gettext("Failure reasons"),
            "bar",
            [k.replace("|", " · ") for k, _ in failures],
            [(gettext("Messages"), [n for _, n in failures])],
            gettext("Channel · the provider's error code."),
            horizontal=True,
        ),
        chart(
            "cost",
            gettext("Message cost (%(currency)s)") % {"currency": currency},
            "bar",
            list(costs),
            [
                (gettext("Messages"), [n for n, _, _ in costs.values()]),
                (
                    gettext("Cost (%(currency)s)") % {"currency": currency},
                    [t for *_, t in costs.values()],
                ),
            ],
            gettext(
                "Sent messages × the configured price per channel and category "
                "(INSIGHTS_MESSAGE_PRICES); answers inside the 24-hour window are 'service'."
            ),
        ),
    ]
    return charts, tiles


# --- Experience -------------------------------------------------------------------------------


def _distribution(s: Sums, metric: str, scores: range) -> tuple[list[float], float, float | None]:
    counts = [s.get(metric, str(score)) for score in scores]
    answered = sum(counts)
    mean = sum(c * score for c, score in zip(counts, scores)) / answered if answered else None
    return counts, answered, mean


def experience(s: Sums) -> tuple[list[dict], dict]:
    csat, csat_n, csat_mean = _distribution(s, "csat", range(1, 6))
    ces, ces_n, ces_mean = _distribution(s, "ces", range(1, 6))
    nps, nps_n, _ = _distribution(s, "nps", range(0, 11))
    promoters, detractors = sum(nps[9:]), sum(nps[:7])
    tiles = {
        "csat_mean": round(csat_mean, 2) if csat_mean else None,
        "csat_satisfied_percent": _share(sum(csat[3:]), csat_n),
        "csat_response_percent": _share(csat_n, s.get("csat", "asked")),
        "ces_mean": round(ces_mean, 2) if ces_mean else None,
        "ces_response_percent": _share(ces_n, s.get("ces", "asked")),
        "nps": round(100 * (promoters - detractors) / nps_n, 1) if nps_n else None,
        "nps_response_percent": _share(nps_n, s.get("nps", "asked")),
    }
    charts = [
        chart(
            "csat",
            gettext("CSAT after an agent resolved (1–5)"),
            "bar",
            range(1, 6),
            [(gettext("Answers"), csat)],
            gettext("%(n)s answers of %(asked)s asked.")
            % {"n": f"{csat_n:g}", "asked": f"{s.get('csat', 'asked'):g}"},
        ),
        chart(
            "ces",
            gettext("Customer effort (1 very easy – 5 very hard)"),
            "bar",
            range(1, 6),
            [(gettext("Answers"), ces)],
            gettext("%(n)s answers of %(asked)s asked.")
            % {"n": f"{ces_n:g}", "asked": f"{s.get('ces', 'asked'):g}"},
        ),
        chart(
            "nps",
            gettext("Would recommend us (0–10)"),
            "bar",
            range(0, 11),
            [(gettext("Answers"), nps)],
            gettext("%(n)s answers of %(asked)s asked; NPS = %% 9–10 − %% 0–6.")
            % {"n": f"{nps_n:g}", "asked": f"{s.get('nps', 'asked'):g}"},
        ),
    ]
    return charts, tiles


# --- Operations -------------------------------------------------------------------------------


def _histograms(s: Sums, metric: str) -> dict[str, dict[str, dict[float, float]]]:
    found: dict[str, dict[str, dict[float, float]]] = defaultdict(lambda: defaultdict(dict))
    for key, n in s.keys(metric).items():
        dimension, value, bound = key.rsplit("|", 2)
        found[dimension][value][float(bound)] = n
    return found


def _times_chart(s: Sums, metric: str, dimension: str, title: str) -> dict:
    hist = _histograms(s, metric)[dimension]
    values = sorted(hist, key=lambda v: int(v) if v.isdigit() else v)
    if dimension == "hour":
        values = [str(h) for h in range(24)]
    return chart(
        f"{metric}_by_{dimension}",
        title,
        "line" if dimension == "hour" else "bar",
        [f"{v}:00" if dimension == "hour" else v for v in values],
        [
            (gettext("median (min)"), [histogram_percentile(hist.get(v, {}), 50) for v in values]),
            (gettext("p90 (min)"), [histogram_percentile(hist.get(v, {}), 90) for v in values]),
        ],
        gettext("Minutes, read from histograms: each value is the upper bound of its bucket."),
    )


def operations(s: Sums) -> tuple[list[dict], dict]:
    state = guards.webcare_state()
    overall = defaultdict(float)
    for hist in _histograms(s, "frt")["channel"].values():
        for bound, n in hist.items():
            overall[bound] += n
    tiles = {
        "open_backlog": state.open_conversations,
        "available_agents": state.available_agents,
        "open_per_agent": (
            round(state.open_per_agent, 1)
            if state.open_per_agent not in (None, float("inf"))
            else None
        ),
        "frt_median_minutes": histogram_percentile(overall, 50),
        "frt_p90_minutes": histogram_percentile(overall, 90),
    }
    charts = [
        _times_chart(s, "frt", "team", gettext("First response time per team")),
        _times_chart(s, "frt", "channel", gettext("First response time per channel")),
        _times_chart(
            s, "frt", "hour", gettext("First response time by hour the conversation started")
        ),
        _times_chart(s, "resolution", "team", gettext("Resolution time per team")),
        _times_chart(s, "resolution", "channel", gettext("Resolution time per channel")),
    ]
    return charts, tiles


# --- The headline -----------------------------------------------------------------------------


def headline(s: Sums) -> tuple[dict, dict]:
    """Contacts per 1,000 travellers: in the rollout (with proactive updates) against the
    hold-out (without), per route and in all."""
    routes = sorted({r for r, _ in s.by_route["travellers"]})
    per_route = []
    for route in routes:
        c = RateComparison(
            with_contacts=int(s.by_route["traveller_contacts"].get((route, "rollout"), 0)),
            with_travellers=int(s.by_route["travellers"].get((route, "rollout"), 0)),
            without_contacts=int(s.by_route["traveller_contacts"].get((route, "holdout"), 0)),
            without_travellers=int(s.by_route["travellers"].get((route, "holdout"), 0)),
        )
        per_route.append((route, c))
    total = RateComparison(
        with_contacts=int(s.get("traveller_contacts", "rollout")),
        with_travellers=int(s.get("travellers", "rollout")),
        without_contacts=int(s.get("traveller_contacts", "holdout")),
        without_travellers=int(s.get("travellers", "holdout")),
    )
    summary = _comparison(total)
    summary["routes"] = [{"route": r, **_comparison(c)} for r, c in per_route]
    figure = chart(
        "headline",
        gettext("Contacts per 1,000 travellers, with vs without proactive updates"),
        "bar",
        [r for r, _ in per_route],
        [
            (gettext("With (in the rollout)"), [c.with_rate for _, c in per_route]),
            (gettext("Without (hold-out)"), [c.without_rate for _, c in per_route]),
        ],
        gettext(
            "Travellers by departure day; contacts are conversations about that trip. The "
            "hold-out is chosen by the rollout plan from the booking reference, not by who "
            "opted in."
        ),
        wide=True,
        error_bars=[
            [c.interval(c.with_contacts, c.with_travellers) for _, c in per_route],
            [c.interval(c.without_contacts, c.without_travellers) for _, c in per_route],
        ],
    )
    return figure, summary


def _rounded(pair):
    return [round(pair[0], 1), round(pair[1], 1)] if pair else None


def _comparison(c: RateComparison) -> dict:
    return {
        "with": {
            "travellers": c.with_travellers,
            "contacts": c.with_contacts,
            "per_1000": round(c.with_rate, 1) if c.with_rate is not None else None,
            "interval_95": _rounded(c.interval(c.with_contacts, c.with_travellers)),
        },
        "without": {
            "travellers": c.without_travellers,
            "contacts": c.without_contacts,
            "per_1000": round(c.without_rate, 1) if c.without_rate is not None else None,
            "interval_95": _rounded(c.interval(c.without_contacts, c.without_travellers)),
        },
        "difference_per_1000": round(c.difference, 1) if c.difference is not None else None,
        "difference_interval_95": _rounded(c.difference_interval),
    }


# --- Rollout and the whole page ---------------------------------------------------------------

STATUS_LABELS = {
    RolloutPlan.Status.ACTIVE: lambda: gettext("active"),
    RolloutPlan.Status.PAUSED: lambda: gettext("paused"),
}
ACTION_LABELS = {
    RolloutChange.Action.STARTED: lambda: gettext("started"),
    RolloutChange.Action.ADVANCED: lambda: gettext("advanced"),
    RolloutChange.Action.PAUSED: lambda: gettext("paused"),
    RolloutChange.Action.RESUMED: lambda: gettext("resumed"),
    RolloutChange.Action.STAGE_SET: lambda: gettext("stage set by hand"),
}


def _label(labels: dict, value: str) -> str:
    """The value in the reader's language; an unknown one as it is stored."""
    return labels[value]() if value in labels else value


def rollout_state() -> list[dict]:
    plans = []
    for plan in RolloutPlan.objects.order_by("name"):
        changes = RolloutChange.objects.filter(plan=plan).select_related("actor")[:5]
        plans.append(
            {
                "name": plan.name,
                "scope": plan.scope,
                "status": plan.status,
                "status_label": _label(STATUS_LABELS, plan.status),
                "paused_reason": plan.paused_reason,
                "stage_percent": plan.percent,
                "stages": plan.stages,
                "holdout_percent": plan.holdout_percent,
                "stage_started_at": plan.stage_started_at,
                "guards_held_since": plan.guards_held_since,
                "changes": [
                    {
                        "at": c.at,
                        "action": c.action,
                        "action_label": _label(ACTION_LABELS, c.action),
                        "from_percent": c.from_percent,
                        "to_percent": c.to_percent,
                        "by": c.actor.get_username() if c.actor else gettext("guard rails"),
                        "reason": c.reason,
                    }
                    for c in changes
                ],
            }
        )
    return plans


def routes_known() -> list[str]:
    return list(
        Figure.objects.filter(metric="funnel")
        .exclude(route="")
        .values_list("route", flat=True)
        .distinct()
        .order_by("route")
    )


def dashboard(f: Filters) -> dict:
    s = Sums(f)
    effectiveness_charts, effectiveness_tiles = effectiveness(s)
    experience_charts, experience_tiles = experience(s)
    operations_charts, operations_tiles = operations(s)
    headline_chart, headline_summary = headline(s)
    run = RollupRun.objects.first()
    return {
        "filters": {"from": f.first, "to": f.last, "route": f.route or None},
        "rolled_up_at": run.started_at if run else None,
        "headline": headline_summary,
        "tiles": {**effectiveness_tiles, **experience_tiles, **operations_tiles},
        "sections": [
            {"id": "headline", "title": gettext("The headline"), "charts": [headline_chart]},
            {"id": "drivers", "title": gettext("Drivers"), "charts": drivers(s)},
            {
                "id": "effectiveness",
                "title": gettext("Effectiveness"),
                "charts": effectiveness_charts,
            },
            {"id": "experience", "title": gettext("Experience"), "charts": experience_charts},
            {"id": "operations", "title": gettext("Operations"), "charts": operations_charts},
        ],
        "rollout": rollout_state(),
    }


def charts_by_id(page: dict) -> dict[str, dict]:
    return {c["id"]: c for section in page["sections"] for c in section["charts"]}
