"""Thin tasks: take ids, load, call one service."""

from celery import shared_task

from update_groups import services


@shared_task
def groups_expire() -> dict[str, int]:
    """Groups without a trip for 30 days end with a goodbye; members' data goes a day later."""
    return services.groups_expire()
