"""The rollout's guard rails: can the webcare team cope, and are people still satisfied?

Measured over the last INSIGHTS_GUARD_WINDOW_HOURS on live rows (a handful of indexed queries;
run by the beat task, not by page views): open conversations per available agent, the open
backlog, first-response time p90 (a conversation still waiting counts with the time it has
waited so far) and the share of satisfied CSAT answers (4 or 5 of 5).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from insights import rollout
from insights.access import MANAGERS_GROUP
from insights.models import RolloutPlan
from insights.stats import percentile
from webcare_inbox.models import AgentProfile, Conversation, Message

log = logging.getLogger(__name__)

OPEN = [Conversation.Status.OPEN, Conversation.Status.PENDING]


@dataclass(frozen=True)
class WebcareState:
    open_conversations: int
    available_agents: int
    frt_p90_minutes: float | None
    csat_answers: int
    csat_satisfied_percent: float | None

    @property
    def open_per_agent(self) -> float | None:
        if self.available_agents:
            return self.open_conversations / self.available_agents
        return None if not self.open_conversations else float("inf")


def guard_window() -> timedelta:
    return timedelta(hours=settings.INSIGHTS_GUARD_WINDOW_HOURS)


def first_response_minutes(*, since: datetime, now: datetime) -> list[float]:
    """Minutes to the first reply by a person, per conversation handed to the team since then."""
    rows = (
        Conversation.objects.filter(created_at__gte=since, handled_by=Conversation.HandledBy.HUMAN)
        .annotate(
            first_reply=Min(
                "messages__created_at",
                filter=Q(
                    messages__direction=Message.Direction.OUTBOUND,
                    messages__author__isnull=False,
                ),
            )
        )
        .values_list("created_at", "first_reply")
    )
    return [((reply or now) - created).total_seconds() / 60 for created, reply in rows]


def webcare_state(*, now: datetime | None = None) -> WebcareState:
    now = now or timezone.now()
    since = now - guard_window()
    scores = list(
        Conversation.objects.filter(
            csat_answered_at__gte=since, csat_score__isnull=False
        ).values_list("csat_score", flat=True)
    )
    return WebcareState(
        open_conversations=Conversation.objects.filter(status__in=OPEN).count(),
        available_agents=AgentProfile.objects.filter(available=True, user__is_active=True).count(),
        frt_p90_minutes=percentile(first_response_minutes(since=since, now=now), 90),
        csat_answers=len(scores),
        csat_satisfied_percent=(
            100 * sum(1 for s in scores if s >= 4) / len(scores) if scores else None
        ),
    )


def breaches(plan: RolloutPlan, state: WebcareState) -> list[str]:
    """Each guard rail of the plan that does not hold now, said as a manager reads it."""
    found = []
    per_agent = state.open_per_agent
    if per_agent is not None and per_agent > plan.max_open_per_agent:
        if state.available_agents:
            found.append(
                f"{per_agent:.1f} open conversations per available agent "
                f"(at most {plan.max_open_per_agent:g})"
            )
        else:
            found.append(f"{state.open_conversations} open conversations and no agent available")
    if plan.max_backlog is not None and state.open_conversations > plan.max_backlog:
        found.append(f"{state.open_conversations} open conversations (at most {plan.max_backlog})")
    if state.frt_p90_minutes is not None and state.frt_p90_minutes > plan.max_frt_p90_minutes:
        found.append(
            f"first response p90 {state.frt_p90_minutes:.0f} min "
            f"(at most {plan.max_frt_p90_minutes:g})"
        )
    if (
        state.csat_satisfied_percent is not None
        and state.csat_answers >= plan.min_csat_answers
        and state.csat_satisfied_percent < plan.min_csat_percent
    ):
        found.append(
            f"CSAT {state.csat_satisfied_percent:.1f}% satisfied "
            f"(at least {plan.min_csat_percent:g}%, {state.csat_answers} answers)"
        )
    return found


def rollout_check(*, now: datetime | None = None) -> dict[str, int]:
    """Pause every active plan whose guard rails broke; advance those that held long enough."""
    now = now or timezone.now()
    state = webcare_state(now=now)
    counts = {"paused": 0, "advanced": 0, "held": 0}
    for plan in RolloutPlan.objects.filter(status=RolloutPlan.Status.ACTIVE):
        broken = breaches(plan, state)
        if broken:
            reason = "guard rail broken: " + "; ".join(broken)
            if rollout.plan_pause(plan=plan, reason=reason):
                counts["paused"] += 1
                _tell_managers(plan, reason)
            continue
        RolloutPlan.objects.filter(pk=plan.pk, guards_held_since__isnull=True).update(
            guards_held_since=now
        )
        RolloutPlan.objects.filter(pk=plan.pk).update(guards_checked_at=now)
        plan.refresh_from_db()
        due = now - timedelta(hours=plan.hold_hours)
        if (
            plan.auto_advance
            and not plan.last_stage
            and plan.stage_started_at <= due
            and plan.guards_held_since <= due
        ):
            held = f"guard rails held for {plan.hold_hours} h"
            counts["advanced"] += rollout.plan_advance(plan=plan, reason=held)
        else:
            counts["held"] += 1
    return counts


def manager_emails() -> list[str]:
    return sorted({email for emails in manager_emails_by_language().values() for email in emails})


def manager_emails_by_language() -> dict[str, list[str]]:
    """Managers' addresses by the language they read: the one chosen in their inbox profile,
    or the site's language."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    managers = users.filter(Q(groups__name=MANAGERS_GROUP) | Q(is_staff=True)).distinct()
    languages = dict(
        AgentProfile.objects.filter(user__in=managers).values_list("user_id", "language")
    )
    found: dict[str, set[str]] = {}
    for pk, email in managers.values_list("pk", "email"):
        found.setdefault(languages.get(pk, settings.LANGUAGE_CODE), set()).add(email)
    return {language: sorted(emails) for language, emails in sorted(found.items())}


def _tell_managers(plan: RolloutPlan, reason: str) -> None:
    log.warning("rollout plan %s paused: %s", plan.name, reason)
    for language, recipients in manager_emails_by_language().items():
        with translation.override(language):
            subject = gettext("Thuisfront: rollout “%(name)s” paused itself") % {"name": plan.name}
            message = gettext(
                "The staged rollout “%(name)s” (%(scope)s, at %(percent)s%% of bookings) "
                "paused itself: %(reason)s.\n\nNothing new is offered until someone resumes it "
                "in the admin (Insights → Rollout plans). The dashboard shows the figures: "
                "%(url)s"
            ) % {
                "name": plan.name,
                "scope": plan.scope,
                "percent": f"{plan.percent:g}",
                "reason": reason,
                "url": f"{settings.PUBLIC_BASE_URL}/insights/",
            }
        send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
