"""After an automated answer lands in a conversation, ask whether it helped."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from insights.rollups import ANSWER_KINDS
from insights.surveys import helpful_ask
from webcare_inbox.models import Message


@receiver(post_save, sender=Message, dispatch_uid="insights.helpful_after_answer")
def helpful_after_answer(sender, instance: Message, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    if instance.direction != Message.Direction.OUTBOUND or not instance.automated:
        return
    if instance.delivery_id is None:
        return
    context = instance.delivery.context or {}
    if context.get("answer_kind") in ANSWER_KINDS:
        helpful_ask(answer=instance)
