"""Every agent action on a conversation, recorded (who, what, when) and shown in the thread."""

from django.utils.translation import gettext_lazy as _

from webcare_inbox import realtime
from webcare_inbox.models import AuditEntry, Conversation

ACTION_LABELS = {
    "assigned": _("assigned"),
    "unassigned": _("unassigned"),
    "auto_assigned": _("assigned by round-robin"),
    "team": _("moved to team"),
    "label_added": _("label added"),
    "label_removed": _("label removed"),
    "replied": _("replied"),
    "template_sent": _("sent a template"),
    "note": _("added a private note"),
    "resolved": _("resolved"),
    "reopened": _("reopened"),
    "pending": _("marked pending"),
    "snoozed": _("snoozed until"),
    "woke": _("snooze ended"),
    "handed_to_bot": _("handed back to automation"),
    "handed_to_human": _("handed over to a person"),
    "csat_asked": _("satisfaction question sent"),
    "csat_answered": _("satisfaction score"),
}


def audit_record(*, conversation: Conversation, actor, action: str, detail: str = "") -> AuditEntry:
    entry = AuditEntry.objects.create(
        conversation=conversation, actor=actor if actor and actor.is_authenticated else None,
        action=action, detail=detail[:300],
    )
    realtime.activity_added(entry=entry)
    return entry
