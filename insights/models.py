"""Insights: staged rollout plans and their history, survey questions asked in the chat, and the
daily rollups the dashboard reads."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import ContactPoint, Customer
from notifications.models import Delivery
from webcare_inbox.models import Conversation


def _default_stages() -> list[int]:
    return [5, 20, 50, 100]


def _new_salt() -> str:
    return secrets.token_hex(8)


class RolloutPlan(models.Model):
    """Which share of a carrier's (or route's) bookings is offered proactive messaging, in stages.

    A booking's place is a hash of the plan's salt and the booking reference, a number in [0, 1):
    below `holdout_percent` it is held out (never messaged); above it, it is in the rollout when
    it falls within the current stage's share of the rest. Raising a stage only adds bookings.
    """

    class Status(models.TextChoices):
        ACTIVE = "active"
        PAUSED = "paused"

    name = models.CharField(max_length=100, unique=True)
    carrier = models.CharField(
        max_length=4,
        blank=True,
        help_text="The services' prefix (KL, HV, NS); empty for every carrier.",
    )
    origin = models.CharField(max_length=5, blank=True, help_text="Empty for every origin.")
    destination = models.CharField(max_length=5, blank=True, help_text="Empty for every one.")
    stages = models.JSONField(
        default=_default_stages, help_text="Percentages of bookings offered, e.g. [5, 20, 50, 100]."
    )
    stage_index = models.PositiveSmallIntegerField(default=0)
    holdout_percent = models.FloatField(
        default=5.0, help_text="Share of bookings never messaged: the 'without' group."
    )
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_reason = models.CharField(max_length=300, blank=True)
    stage_started_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)
    # Since when every guard rail held without a break (None: broken at the last check).
    guards_held_since = models.DateTimeField(null=True, blank=True)
    guards_checked_at = models.DateTimeField(null=True, blank=True)
    hold_hours = models.PositiveIntegerField(
        default=72, help_text="How long the guard rails must hold before the next stage."
    )
    auto_advance = models.BooleanField(
        default=True, help_text="Advance by itself once the guard rails held for hold_hours."
    )
    max_open_per_agent = models.FloatField(
        default=8.0, help_text="Guard rail: open conversations per available agent."
    )
    max_backlog = models.PositiveIntegerField(
        null=True, blank=True, help_text="Guard rail: open conversations in all (empty: none)."
    )
    max_frt_p90_minutes = models.FloatField(
        default=30.0, help_text="Guard rail: first-response time, 90th percentile, minutes."
    )
    min_csat_percent = models.FloatField(
        default=97.0, help_text="Guard rail: share of satisfied answers (4 or 5 of 5)."
    )
    min_csat_answers = models.PositiveIntegerField(
        default=20, help_text="Fewer CSAT answers than this in the window do not decide."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> float:
        return float(self.stages[min(self.stage_index, len(self.stages) - 1)]) if self.stages else 0

    @property
    def last_stage(self) -> bool:
        return self.stage_index >= len(self.stages) - 1

    @property
    def scope(self) -> str:
        route = f"{self.origin or '*'}→{self.destination or '*'}"
        return f"{self.carrier or 'every carrier'} {route}"


class RolloutChange(models.Model):
    """Every change of a plan's stage or state, with who (or which guard rail) made it."""

    class Action(models.TextChoices):
        STARTED = "started"
        ADVANCED = "advanced"
        PAUSED = "paused"
        RESUMED = "resumed"
        STAGE_SET = "stage_set"

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_percent = models.FloatField(null=True, blank=True)
    to_percent = models.FloatField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        who = self.actor or "the guard rails"
        return f"{self.plan} {self.action} by {who} at {self.at:%Y-%m-%d %H:%M}"


class Survey(models.Model):
    """One survey question asked in a chat, and the answer the person gave (if any)."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", "did this help? (yes/no)"
        CES = "ces", "customer effort (1–5)"
        NPS = "nps", "net promoter (0–10)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="surveys")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="surveys"
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The route the answer speaks about ("AMS-LHR"), for the dashboard's filter; may be empty.
    route = models.CharField(max_length=12, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    # helpful: 1 yes, 0 no; CES 1 (very easy) – 5 (very hard); NPS 0–10.
    score = models.SmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-asked_at"]),
            models.Index(fields=["contact_point", "-asked_at"]),
            models.Index(fields=["asked_at"]),
        ]
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.contact_point} at {self.asked_at:%Y-%m-%d %H:%M}"


class Figure(models.Model):
    """One number of the rollup: a metric's value for one day, route and key (counts or sums).

    Percentiles are kept as histograms (key = the bucket), so any date range adds up.
    """

    day = models.DateField()
    route = models.CharField(max_length=12, blank=True)
    metric = models.CharField(max_length=30)
    key = models.CharField(max_length=120, blank=True)
    value = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "day", "route", "key"], name="figure_unique_cell"
            ),
        ]
        indexes = [models.Index(fields=["day", "metric"])]

    def __str__(self) -> str:
        return f"{self.day} {self.route or '—'} {self.metric}[{self.key}] = {self.value:g}"


class RollupRun(models.Model):
    """When the rollup last ran, over which days, and how long it took."""

    started_at = models.DateTimeField(default=timezone.now)
    first_day = models.DateField()
    last_day = models.DateField()
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
