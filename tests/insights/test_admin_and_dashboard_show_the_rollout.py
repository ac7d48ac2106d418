"""Managers see on the dashboard why a rollout paused; staff move plans in the admin, and every
change records who made it; the beat tasks run the rollup and the guard-rail check by name."""

import pytest
from celery import current_app
from django.contrib.auth.models import User

from insights.models import Figure, RolloutChange, RolloutPlan, RollupRun
from insights.rollout import plan_pause
from tests.insights.conftest import plan


@pytest.mark.django_db
def test_a_paused_plan_says_why_on_the_dashboard(manager_client):
    kl = plan()
    plan_pause(plan=kl, reason="guard rail broken: CSAT 91.0% satisfied (at least 97%, 40 answers)")
    page = manager_client.get("/insights/").content.decode()
    assert "Rollout “KL rollout” is paused" in page
    assert "guard rail broken: CSAT 91.0% satisfied (at least 97%, 40 answers)" in page
    assert "paused → 5% · guard rails" in page  # the change and who made it


@pytest.mark.django_db
def test_staff_advance_pause_and_resume_in_the_admin(client):
    staff = User.objects.create_superuser("sam", password="x")
    client.force_login(staff)
    response = client.post(
        "/admin/insights/rolloutplan/add/",
        {
            "name": "HV Rome",
            "carrier": "HV",
            "origin": "AMS",
            "destination": "FCO",
            "stages": "[10, 50, 100]",
            "holdout_percent": "5",
            "hold_hours": "72",
            "auto_advance": "on",
            "max_open_per_agent": "8",
            "max_frt_p90_minutes": "30",
            "min_csat_percent": "97",
            "min_csat_answers": "20",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hv = RolloutPlan.objects.get(name="HV Rome")
    for action in ("advance", "pause", "resume"):
        client.post(
            "/admin/insights/rolloutplan/",
            {"action": action, "_selected_action": [hv.pk]},
        )
    hv.refresh_from_db()
    assert (hv.percent, hv.status) == (50, "active")
    assert list(
        RolloutChange.objects.filter(plan=hv).order_by("at", "pk").values_list("action", "actor")
    ) == [
        ("started", staff.pk),
        ("advanced", staff.pk),
        ("paused", staff.pk),
        ("resumed", staff.pk),
    ]


@pytest.mark.django_db
def test_the_beat_tasks_run_by_name():
    plan()
    current_app.tasks["insights.tasks.rollup_refresh"].delay()
    assert RollupRun.objects.count() == 1
    assert Figure.objects.count() == 0  # nothing happened yet: an empty rollup, but a run
    result = current_app.tasks["insights.tasks.rollout_check"].delay().get()
    assert result == {"paused": 0, "advanced": 0, "held": 1}
