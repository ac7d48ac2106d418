"""What the inbox holds about people (core/data_protection.py is the seam).

An erased person's conversations stay as anonymous, resolved rows (the team's response times and
scores keep counting); every message in them loses its text and attachments, notes included.
Notes elsewhere that name the person are redacted by the privacy app through `mentions`.
"""

from datetime import datetime

from django.db.models import Q

from core.data_protection import Person, holds, holds_none
from webcare_inbox.models import (
    AgentProfile,
    AuditEntry,
    CallbackRequest,
    CannedReply,
    Conversation,
    Label,
    Message,
)
from webcare_inbox.models import Team as InboxTeam


def _conversations(person: Person):
    return Conversation.objects.filter(customer_id__in=person.customer_ids)


def _erase_conversations(person: Person) -> int:
    return _conversations(person).update(
        status=Conversation.Status.RESOLVED,
        last_message_preview="",
        handover_reason="",
        snoozed_until=None,
        unread=0,
    )


def _export_conversations(person: Person) -> list[dict]:
    return list(
        _conversations(person).values(
            "id", "channel", "status", "created_at", "last_message_at", "csat_score"
        )
    )


def _messages(person: Person):
    return Message.objects.filter(conversation__customer_id__in=person.customer_ids)


def _erase_messages(person: Person) -> int:
    return _messages(person).exclude(text="", media=[]).update(text="", media=[])


def _export_messages(person: Person) -> list[dict]:
    """What the person wrote and what they were sent (notes are the team's, not theirs)."""
    return list(
        _messages(person)
        .exclude(direction=Message.Direction.NOTE)
        .values("conversation_id", "direction", "text", "media", "automated", "created_at")
    )


def _purge_message_text(cutoff: datetime) -> int:
    return (
        Message.objects.filter(created_at__lt=cutoff)
        .exclude(text="", media=[])
        .update(text="", media=[])
    )


def _purge_previews(cutoff: datetime) -> int:
    return (
        Conversation.objects.filter(last_message_at__lt=cutoff)
        .exclude(last_message_preview="")
        .update(last_message_preview="")
    )


def _audit(person: Person):
    return AuditEntry.objects.filter(conversation__customer_id__in=person.customer_ids)


def _erase_audit(person: Person) -> int:
    return _audit(person).exclude(detail="").update(detail="")


holds(
    Message,
    erase=_erase_messages,
    export=_export_messages,
    mentions=("text",),
    owner="conversation__customer",
    retention={"message_text": _purge_message_text},
    order=20,
)
holds(
    Conversation,
    erase=_erase_conversations,
    export=_export_conversations,
    mentions=("last_message_preview", "handover_reason"),
    owner="customer",
    retention={"message_text": _purge_previews},
    order=21,
)
holds(
    AuditEntry,
    erase=_erase_audit,
    export=None,  # the team's actions on a conversation, not the person's data
    mentions=("detail",),
    owner="conversation__customer",
    order=20,
)
holds_none(InboxTeam, why="a team of agents: a name and its members' accounts")
holds_none(AgentProfile, why="an agent's preferences")
holds_none(Label, why="a contact reason's name")
holds_none(CannedReply, why="ready answers with placeholders ({name} is filled in when sent)")


def _callbacks(person: Person):
    return CallbackRequest.objects.filter(
        Q(conversation__customer_id__in=person.customer_ids)
        | Q(contact_point_id__in=person.contact_point_ids)
    )


def _erase_callbacks(person: Person) -> int:
    return _callbacks(person).delete()[0]


def _export_callbacks(person: Person) -> list[dict]:
    return list(
        _callbacks(person).values(
            "phone", "status", "requested_at", "due_at", "attempts", "not_reached", "done_at"
        )
    )


def _purge_callbacks(cutoff: datetime) -> int:
    """A finished request's number is not kept longer than the messages that asked for it."""
    return (
        CallbackRequest.objects.filter(requested_at__lt=cutoff)
        .exclude(status__in=("asking", "scheduled"))
        .exclude(phone="")
        .update(phone="")
    )


holds(
    CallbackRequest,
    erase=_erase_callbacks,
    export=_export_callbacks,
    owner="conversation__customer",
    retention={"message_text": _purge_callbacks},
    order=19,
)
