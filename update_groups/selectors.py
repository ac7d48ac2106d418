"""Reads: who of the travellers' relatives hears about a trip event."""

from core.models import Customer, Trip
from notifications.selectors import one_per_person
from update_groups import wording
from update_groups.models import GroupMembership, UpdateGroup

# Which trip events reach group members: always, or when the group's owner chose so.
GROUP_EVENTS = {"departed": None, "delayed": None, "arrived": None,
                "cancelled": "notify_cancelled", "gate_changed": "notify_gate_changed"}


def group_member_contact_points(trip: Trip, event_type: str) -> dict[int, dict]:
    """customer id → the row of a member of a group whose owner travels on the trip.

    A member of several such groups gets one message naming every traveller they follow.
    """
    if event_type not in GROUP_EVENTS:
        return {}
    memberships = GroupMembership.objects.filter(
        left_at__isnull=True,
        group__ended_at__isnull=True,
        group__owner__passengers__segments__trip=trip,
        contact_point__opted_in=True,
        contact_point__unreachable_at__isnull=True,
    )
    if GROUP_EVENTS[event_type]:
        memberships = memberships.filter(**{f"group__{GROUP_EVENTS[event_type]}": True})
    rows = list(
        memberships.values(
            "contact_point_id", "customer_id", "contact_point__channel", "contact_point__last_inbound_at", "group__owner_id"
        ).distinct()
    )
    ids = {r["group__owner_id"] for r in rows} | {r["customer_id"] for r in rows}
    people = {c.pk: c for c in Customer.objects.filter(pk__in=ids)}
    travellers: dict[int, list[int]] = {}
    for r in rows:
        followed = travellers.setdefault(r["customer_id"], [])
        if r["group__owner_id"] not in followed:
            followed.append(r["group__owner_id"])
    best = one_per_person(
        {"id": r["contact_point_id"], "customer_id": r["customer_id"], "channel": r["contact_point__channel"],
         "last_inbound_at": r["contact_point__last_inbound_at"]}
        for r in rows
    )
    for customer_id, row in best.items():
        names = [wording.first_name(people[o]) for o in sorted(travellers[customer_id])]
        row["kind"] = f"group_{event_type}"
        # In the member's own words: "Anna en Bram", "Anna and Bram".
        row["context"] = {"traveller": wording.names_joined(names, people[customer_id])}
    return best


def panel_rows(customer: Customer) -> list[dict]:
    """The update groups this person owns (their trip's followers) or follows, with who is in them."""
    rows = []
    for group in UpdateGroup.objects.filter(owner=customer).order_by("pk")[:10]:
        members = GroupMembership.objects.filter(group=group, left_at__isnull=True).select_related("customer")
        rows.append({"role": "owner", "name": str(group), "members": [m.customer.full_name or str(m.contact_point_id) for m in members[:20]]})
    follows = GroupMembership.objects.filter(customer=customer, left_at__isnull=True).select_related("group__owner")
    for membership in follows.order_by("joined_at")[:10]:
        rows.append({"role": "follower", "name": str(membership.group), "owner": membership.group.owner.full_name, "members": []})
    return rows
