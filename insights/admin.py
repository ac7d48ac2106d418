from django.contrib import admin, messages

from insights import rollout
from insights.models import RolloutChange, RolloutPlan, Survey


class RolloutChangeInline(admin.TabularInline):
    model = RolloutChange
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_percent", "to_percent", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RolloutPlan)
class RolloutPlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "carrier",
        "origin",
        "destination",
        "current_stage",
        "holdout_percent",
        "status",
        "paused_reason",
    )
    list_filter = ("status", "carrier")
    readonly_fields = (
        "stage_index",
        "status",
        "paused_reason",
        "paused_at",
        "stage_started_at",
        "guards_held_since",
        "guards_checked_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "carrier", "origin", "destination")}),
        ("Stages", {"fields": ("stages", "holdout_percent", "hold_hours", "auto_advance")}),
        (
            "Guard rails",
            {
                "fields": (
                    "max_open_per_agent",
                    "max_backlog",
                    "max_frt_p90_minutes",
                    "min_csat_percent",
                    "min_csat_answers",
                )
            },
        ),
        ("State", {"fields": readonly_fields}),
    )
    inlines = [RolloutChangeInline]
    actions = ["advance", "pause", "resume"]

    @admin.display(description="stage")
    def current_stage(self, plan: RolloutPlan) -> str:
        return f"{plan.percent:g}% ({plan.stage_index + 1} of {len(plan.stages)})"

    def save_model(self, request, obj: RolloutPlan, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            RolloutChange.objects.create(
                plan=obj,
                action=RolloutChange.Action.STARTED,
                to_percent=obj.percent,
                actor=request.user,
                reason="plan created",
            )

    @admin.action(description="Advance to the next stage")
    def advance(self, request, queryset) -> None:
        for plan in queryset:
            if rollout.plan_advance(plan=plan, actor=request.user, reason="advanced by hand"):
                self.message_user(request, f"{plan}: advanced.")
            else:
                self.message_user(
                    request,
                    f"{plan}: not advanced (paused or at its last stage).",
                    messages.WARNING,
                )

    @admin.action(description="Pause (offer nothing new)")
    def pause(self, request, queryset) -> None:
        for plan in queryset:
            rollout.plan_pause(plan=plan, actor=request.user, reason="paused by hand")

    @admin.action(description="Resume")
    def resume(self, request, queryset) -> None:
        for plan in queryset:
            rollout.plan_resume(plan=plan, actor=request.user, reason="resumed by hand")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("kind", "asked_at", "score", "answered_at", "route")
    list_filter = ("kind", "route")
    fields = ("kind", "asked_at", "score", "answered_at", "route", "conversation")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
