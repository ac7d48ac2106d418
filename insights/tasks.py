"""Periodic work (beat): keep the rollup current, and watch the rollout's guard rails."""

from celery import shared_task

from insights import guards, rollups


@shared_task(name="insights.tasks.rollup_refresh", ignore_result=True)
def rollup_refresh() -> dict:
    run = rollups.rollup_refresh()
    return {"rows": run.rows, "seconds": run.seconds}


@shared_task(name="insights.tasks.rollout_check", ignore_result=True)
def rollout_check() -> dict:
    return guards.rollout_check()
