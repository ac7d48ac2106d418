"""What update groups hold about people (core/data_protection.py is the seam).

A membership is a relative's consent record; it goes with the person, as does the group of an
erased traveller (its relatives stop hearing about trips of someone who is no longer known).
"""

from datetime import datetime

from django.db.models import Q

from core.data_protection import Person, holds
from update_groups.models import GroupJoinAttempt, GroupMembership, UpdateGroup


def _groups(person: Person):
    return UpdateGroup.objects.filter(owner_id__in=person.customer_ids)


def _erase_groups(person: Person) -> int:
    return _groups(person).delete()[0]


def _export_groups(person: Person) -> list[dict]:
    """The traveller's own group: its settings and how many follow it (the relatives' names and
    addresses are theirs)."""
    return [
        {
            "created_at": g.created_at,
            "ended_at": g.ended_at,
            "notify_cancelled": g.notify_cancelled,
            "notify_gate_changed": g.notify_gate_changed,
            "followers": g.memberships.filter(left_at__isnull=True).count(),
        }
        for g in _groups(person)
    ]


def _memberships(person: Person):
    return GroupMembership.objects.filter(
        Q(customer_id__in=person.customer_ids) | Q(contact_point_id__in=person.contact_point_ids)
    )


def _erase_memberships(person: Person) -> int:
    return _memberships(person).delete()[0]


def _export_memberships(person: Person) -> list[dict]:
    return [
        {
            "following": m.group.owner.given_name or "a traveller",
            "channel": m.contact_point.channel,
            "joined_at": m.joined_at,
            "join_source": m.join_source,
            "left_at": m.left_at,
            "left_reason": m.left_reason,
        }
        for m in _memberships(person).select_related("group__owner", "contact_point")
    ]


def _membership_consent(person: Person) -> list[dict]:
    rows = []
    for m in _memberships(person).select_related("contact_point"):
        channel, address = m.contact_point.channel, m.contact_point.address
        rows.append(
            {
                "channel": channel,
                "address": address,
                "action": "joined_update_group",
                "source": m.get_join_source_display(),
                "at": m.joined_at,
            }
        )
        if m.left_at:
            rows.append(
                {
                    "channel": channel,
                    "address": address,
                    "action": "left_update_group",
                    "source": m.get_left_reason_display(),
                    "at": m.left_at,
                }
            )
    return rows


def _group_companions(person: Person) -> set[int]:
    """Who may name this person by first name: their followers, and the travellers they follow."""
    followers = GroupMembership.objects.filter(group__owner_id__in=person.customer_ids)
    followed = UpdateGroup.objects.filter(memberships__in=_memberships(person)).values_list(
        "owner_id", flat=True
    )
    return set(followers.values_list("customer_id", flat=True)) | set(followed)


def _join_attempts(person: Person):
    return GroupJoinAttempt.objects.filter(
        Q(contact_point_id__in=person.contact_point_ids)
        | Q(contact_point__customer_id__in=person.customer_ids)
    )


def _erase_join_attempts(person: Person) -> int:
    return _join_attempts(person).delete()[0]


def _export_join_attempts(person: Person) -> list[dict]:
    return [{"at": a.at} for a in _join_attempts(person).order_by("at")]


def _purge_join_attempts(cutoff: datetime) -> int:
    return GroupJoinAttempt.objects.filter(at__lt=cutoff).delete()[0]


holds(
    GroupMembership,
    erase=_erase_memberships,
    export=_export_memberships,
    consent=_membership_consent,
    related=_group_companions,
    order=10,
)
holds(UpdateGroup, erase=_erase_groups, export=_export_groups, order=11)
holds(
    GroupJoinAttempt,
    erase=_erase_join_attempts,
    export=_export_join_attempts,
    retention={"rate_limit_records": _purge_join_attempts},
    order=10,
)
