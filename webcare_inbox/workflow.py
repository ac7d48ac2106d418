"""Working a conversation: labels, status (resolve, reopen, snooze), bot or human, templates,
canned replies."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ContactPoint
from notifications.models import Lane, MessageTemplate
from notifications.services import message_create
from webcare_inbox import realtime
from webcare_inbox.audit import audit_record
from webcare_inbox.composer import template_values
from webcare_inbox.models import Conversation, Label, Message
from webcare_inbox.selectors import display_time


class ActionRefused(Exception):
    """An action that cannot be done as asked; the text is shown to the agent."""


LABEL_MAX = 50
# Called as observer(conversation=, label=, actor=) when an agent puts a label on a conversation
# (contact_reasons.apps: a label naming a contact reason is a training example).
LABEL_OBSERVERS: list = []


def label_observer_register(observer) -> None:
    if observer not in LABEL_OBSERVERS:
        LABEL_OBSERVERS.append(observer)


def conversation_label_add(*, conversation: Conversation, name: str, actor) -> Label:
    name = " ".join(name.split()).lower()[:LABEL_MAX]
    if not name:
        raise ActionRefused(_("A label needs a name."))
    label, _created = Label.objects.get_or_create(name=name)
    if not conversation.labels.filter(pk=label.pk).exists():
        conversation.labels.add(label)
        audit_record(
            conversation=conversation, actor=actor, action="label_added", detail=label.name
        )
        realtime.conversation_changed(conversation=conversation)
        for observer in LABEL_OBSERVERS:
            observer(conversation=conversation, label=label, actor=actor)
    return label


def conversation_label_remove(*, conversation: Conversation, label: Label, actor) -> None:
    if conversation.labels.filter(pk=label.pk).exists():
        conversation.labels.remove(label)
        audit_record(
            conversation=conversation, actor=actor, action="label_removed", detail=label.name
        )
        realtime.conversation_changed(conversation=conversation)


def _status_set(conversation: Conversation, status: str, **fields) -> None:
    conversation.status = status
    for name, value in fields.items():
        setattr(conversation, name, value)
    conversation.save(update_fields=["status", *fields])
    realtime.conversation_changed(conversation=conversation)


def conversation_reopen(*, conversation: Conversation, actor) -> Conversation:
    if conversation.status == Conversation.Status.OPEN:
        return conversation
    _status_set(conversation, Conversation.Status.OPEN, snoozed_until=None)
    audit_record(conversation=conversation, actor=actor, action="reopened")
    return conversation


def conversation_pending(*, conversation: Conversation, actor) -> Conversation:
    """Waiting on something outside the conversation (a refund, a colleague)."""
    _status_set(conversation, Conversation.Status.PENDING, snoozed_until=None)
    audit_record(conversation=conversation, actor=actor, action="pending")
    return conversation


def conversation_snooze(
    *, conversation: Conversation, until: datetime, actor, now: datetime | None = None
) -> Conversation:
    now = now or timezone.now()
    if until <= now:
        raise ActionRefused(_("Snooze until a moment in the future."))
    if conversation.status == Conversation.Status.RESOLVED:
        raise ActionRefused(_("A resolved conversation cannot be snoozed; reopen it first."))
    _status_set(conversation, Conversation.Status.SNOOZED, snoozed_until=until)
    audit_record(
        conversation=conversation, actor=actor, action="snoozed", detail=display_time(until)
    )
    return conversation


def conversations_wake(*, now: datetime | None = None) -> int:
    """Beat: snoozed conversations whose time has come are open again,
    on top of their agents' lists."""
    now = now or timezone.now()
    woken = 0
    due = Conversation.objects.filter(
        status=Conversation.Status.SNOOZED, snoozed_until__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            conversation = (
                Conversation.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Conversation.Status.SNOOZED)
                .first()
            )
            if conversation is None:
                continue
            _status_set(
                conversation, Conversation.Status.OPEN, snoozed_until=None, last_message_at=now
            )
            audit_record(conversation=conversation, actor=None, action="woke")
            woken += 1
    return woken


def conversation_hand_to_bot(*, conversation: Conversation, actor) -> Conversation:
    """Automation answers this person again (trip questions from live status); the agent lets go."""
    conversation.handled_by = Conversation.HandledBy.BOT
    conversation.handover_reason = ""
    conversation.assignee = None
    conversation.save(update_fields=["handled_by", "handover_reason", "assignee"])
    audit_record(conversation=conversation, actor=actor, action="handed_to_bot")
    realtime.conversation_changed(conversation=conversation)
    return conversation


def conversation_take_over(*, conversation: Conversation, actor) -> Conversation:
    if conversation.handled_by == Conversation.HandledBy.HUMAN:
        return conversation
    conversation.handled_by = Conversation.HandledBy.HUMAN
    conversation.handover_reason = "taken over by an agent"
    conversation.save(update_fields=["handled_by", "handover_reason"])
    audit_record(conversation=conversation, actor=actor, action="handed_to_human")
    realtime.conversation_changed(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_template_send(
    *, conversation: Conversation, template: MessageTemplate, values: dict[str, str], actor
) -> Message:
    """An approved template, the only thing that may reopen a closed window;
    variables as the agent left them."""
    if template.channel != conversation.channel or not template.active:
        raise ActionRefused(_("That template is not available on this channel."))
    filled = template_values(conversation=conversation, template=template, overrides=values)
    contact_point = ContactPoint.objects.get(pk=conversation.contact_point_id)
    if not contact_point.opted_in:
        # A template is a proactive message: only for people who agreed to hear from us.
        raise ActionRefused(
            _("This person has not opted in to messages from us, so no template can be sent.")
        )
    delivery = message_create(
        contact_point=contact_point,
        kind=template.kind,
        lane=Lane.INTERACTIVE,
        trip=conversation.trip,
        template_sid=template.content_sid,
        template_variables=filled.values,
    )
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        author=actor,
        text=filled.text,
        delivery=delivery,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=message.created_at, last_message_preview=filled.text[:200]
    )
    audit_record(
        conversation=conversation,
        actor=actor,
        action="template_sent",
        detail=template.get_kind_display(),
    )
    realtime.message_added(message=message)
    realtime.conversation_changed(conversation=conversation)
    return message
