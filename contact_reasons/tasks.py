"""Thin tasks: take ids, load, call one service."""

from celery import shared_task

from contact_reasons import services


@shared_task
def conversation_predict(conversation_id: int) -> str | None:
    prediction = services.conversation_predict(conversation_id=conversation_id)
    return prediction and prediction.reason


@shared_task
def model_retrain() -> int | None:
    """Beat: a new version when the agents' labels changed since the newest one."""
    model = services.model_retrain_if_labels_changed()
    return model and model.version


@shared_task
def model_train() -> int | None:
    """On demand (the admin's button): a new version now, if the labels are enough."""
    try:
        return services.model_train().version
    except services.NotEnoughLabels:
        return None
