"""Reads: groups and their members, the trips people follow, who of the relatives hears about a
trip event, and what the inbox panel shows."""

from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from core.models import ContactPoint, Customer, Trip
from core.trips import current_trip, customer_trips
from notifications.selectors import one_per_person
from update_groups import wording
from update_groups.models import GroupMembership, UpdateGroup


def group_active_members(*, group: UpdateGroup) -> list[GroupMembership]:
    return list(
        group.memberships.filter(left_at__isnull=True)
        .select_related("contact_point", "customer")
        .order_by("joined_at", "id")
    )


def owner_contact_point(*, owner: Customer) -> ContactPoint | None:
    """Where the traveller hears about their group: an open window first, then WhatsApp."""
    return (
        owner.contact_points.filter(opted_in=True, unreachable_at__isnull=True)
        .order_by("-last_inbound_at", "-channel")
        .first()
    )


def owner_last_trip_at(*, owner: Customer) -> datetime | None:
    return customer_trips(owner).aggregate(last=Max("ends"))["last"]


def trips_followed(
    *, contact_point: ContactPoint, now: datetime | None = None
) -> list[tuple[Trip, Customer | None]]:
    """(trip, whose) for the trips a person may ask about: their own
    (whose None) and their groups' owners'."""
    now = now or timezone.now()
    followed: list[tuple[Trip, Customer | None]] = []
    owners = [(contact_point.customer, None)] + [
        (m.group.owner, m.group.owner)
        for m in GroupMembership.objects.filter(
            contact_point=contact_point, left_at__isnull=True, group__ended_at__isnull=True
        ).select_related("group__owner")
    ]
    for owner, whose in owners:
        trip = current_trip(trips=list(customer_trips(owner)), now=now)
        if trip is not None and all(trip.pk != t.pk or w != whose for t, w in followed):
            followed.append((trip, whose))
    return followed


# Which trip events reach group members: always, or when the group's owner chose so.
GROUP_EVENTS = {
    "departed": None,
    "delayed": None,
    "arrived": None,
    "cancelled": "notify_cancelled",
    "gate_changed": "notify_gate_changed",
    "diverted": None,  # relatives must know where to go
    "schedule_changed": None,
}


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
            "contact_point_id",
            "customer_id",
            "contact_point__channel",
            "contact_point__last_inbound_at",
            "group__owner_id",
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
        {
            "id": r["contact_point_id"],
            "customer_id": r["customer_id"],
            "channel": r["contact_point__channel"],
            "last_inbound_at": r["contact_point__last_inbound_at"],
        }
        for r in rows
    )
    for customer_id, row in best.items():
        names = [wording.first_name(people[o]) for o in sorted(travellers[customer_id])]
        row["kind"] = f"group_{event_type}"
        # In the member's own words: "Anna en Bram", "Anna and Bram".
        row["context"] = {"traveller": wording.names_joined(names, people[customer_id])}
    return best


def panel_rows(customer: Customer) -> list[dict]:
    """The update groups this person owns (their trip's followers) or follows,
    with who is in them."""
    rows = []
    for group in UpdateGroup.objects.filter(owner=customer).order_by("pk")[:10]:
        members = GroupMembership.objects.filter(group=group, left_at__isnull=True).select_related(
            "customer"
        )
        rows.append(
            {
                "role": "owner",
                "name": str(group),
                "members": [m.customer.full_name or str(m.contact_point_id) for m in members[:20]],
            }
        )
    follows = GroupMembership.objects.filter(
        customer=customer, left_at__isnull=True
    ).select_related("group__owner")
    for membership in follows.order_by("joined_at")[:10]:
        rows.append(
            {
                "role": "follower",
                "name": str(membership.group),
                "owner": membership.group.owner.full_name,
                "members": [],
            }
        )
    return rows
