"""Every agent action on a conversation, recorded (who, what, when) and shown in the thread."""

from webcare_inbox import realtime
from webcare_inbox.models import AuditEntry, Conversation


def audit_record(*, conversation: Conversation, actor, action: str, detail: str = "") -> AuditEntry:
    entry = AuditEntry.objects.create(
        conversation=conversation,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        detail=detail[:300],
    )
    realtime.activity_added(entry=entry)
    return entry
