from celery import shared_task

from notifications.services import delivery_status_record


@shared_task
def sandbox_report_status(channel: str, provider_message_id: str, status: str) -> None:
    """What a provider's status callback would tell us, through the same service."""
    delivery_status_record(channel=channel, provider_message_id=provider_message_id, status=status)
