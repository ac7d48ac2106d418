"""Update groups: a traveller's relatives follow their trips, each 1:1 on their own channel.

A group belongs to one traveller (its owner) and follows every trip the owner travels on. A
relative joins by sending one of the owner's passengers' follow codes (or opening the m.me link
that carries it) and is opted in for group updates with their own consent. The chat edge
(update_groups/chat_handlers.py) calls these services; replies go out through message_create on
the interactive lane.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import ContactPoint, Customer, InboundMessage, Passenger, Trip
from core.services import contact_point_opt_in
from core.trips import trip_current_or_next
from notifications.catalogue import HUMAN_QUICK_REPLY
from notifications.models import Delivery, Lane, MessageKind
from notifications.selectors import catalogue_text, quick_reply_fields
from notifications.services import message_create
from update_groups import selectors, wording
from update_groups.models import GroupJoinAttempt, GroupMembership, UpdateGroup

WRONG_CODE_WINDOW = timedelta(hours=1)


def wrong_codes_per_hour() -> int:
    return getattr(settings, "UPDATE_GROUP_WRONG_CODES_PER_HOUR", 5)


@dataclass(frozen=True)
class Reply:
    """What a service answered in the chat: the delivery and the text as the inbox shows it."""

    status: str
    delivery: Delivery | None = None
    text: str = ""


# --- Joining ----------------------------------------------------------------------------------


def _group_for_code(code: str, at: datetime) -> UpdateGroup | None:
    """The group a follow code opens; an ended group comes back only when the owner travels
    again."""
    passenger = (
        Passenger.objects.select_related("customer").filter(follow_code=code.upper()).first()
    )
    if passenger is None:
        return None
    group, _ = UpdateGroup.objects.get_or_create(owner=passenger.customer)
    if group.ended_at is not None:
        last = selectors.owner_last_trip_at(owner=passenger.customer)
        if last is None or last <= group.ended_at:
            return None
        group.ended_at = None
        group.save(update_fields=["ended_at"])
    return group


def _wrong_codes_recently(contact_point: ContactPoint, at: datetime) -> int:
    return GroupJoinAttempt.objects.filter(
        contact_point=contact_point, at__gte=at - WRONG_CODE_WINDOW
    ).count()


def _reply(
    contact_point: ContactPoint,
    kind: str,
    *,
    status: str,
    context: dict | None = None,
    dedupe_key: str | None = None,
    trip: Trip | None = None,
    buttons: list[tuple[str, str]] | None = None,
) -> Reply:
    """Answer what the person just wrote, in the catalogue's words for `kind`.

    An answer goes out as free text inside the window the message opened (an automated reply),
    so it reaches people who gave no consent for proactive messages too: a wrong code, a question.
    """
    text = catalogue_text(kind=kind, contact_point=contact_point, context=context or {})
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.AUTOMATED_REPLY,
        lane=Lane.INTERACTIVE,
        text=text,
        dedupe_key=dedupe_key,
        trip=trip,
        **quick_reply_fields(
            kind=kind,
            contact_point=contact_point,
            buttons=buttons or [],
            context={"answer_kind": kind},
            values=context,
        ),
    )
    return Reply(status=status, delivery=delivery, text=text)


def code_limited_reply(*, contact_point: ContactPoint, at: datetime) -> Reply | None:
    """Too many wrong codes from this address lately: the notice (once an hour), else None."""
    if _wrong_codes_recently(contact_point, at) < wrong_codes_per_hour():
        return None
    # One notice per hour at most: the limit must not turn us into a message cannon.
    bucket = int(at.timestamp() // WRONG_CODE_WINDOW.total_seconds())
    return _reply(
        contact_point,
        MessageKind.GROUP_CODE_LIMITED,
        status="limited",
        dedupe_key=f"group-code-limited:{contact_point.pk}:{bucket}",
    )


def code_unknown_reply(*, contact_point: ContactPoint, at: datetime) -> Reply:
    """A code that opens nothing (follow or opt-in code): counted, and always the same answer."""
    GroupJoinAttempt.objects.create(contact_point=contact_point, at=at)
    return _reply(contact_point, MessageKind.GROUP_CODE_UNKNOWN, status="unknown")


@transaction.atomic
def group_join(
    *,
    contact_point: ContactPoint,
    code: str,
    source: str,
    language: str | None = None,
    at: datetime | None = None,
    notify_existing: bool = True,
) -> Reply:
    """Join the group a code opens, with one confirmation; wrong codes all get the same answer.

    Status: "joined", "already", "own_code", "unknown", "limited" or "full".
    """
    at = at or timezone.now()
    limited = code_limited_reply(contact_point=contact_point, at=at)
    if limited is not None:
        return limited
    group = _group_for_code(code, at)
    if group is None:
        return code_unknown_reply(contact_point=contact_point, at=at)
    group = UpdateGroup.objects.select_for_update().select_related("owner").get(pk=group.pk)
    owner = group.owner
    if owner.pk == contact_point.customer_id:
        return group_followers_send(contact_point=contact_point, status="own_code")
    traveller = wording.first_name(owner)
    existing = group.memberships.filter(contact_point=contact_point, left_at__isnull=True).first()
    if existing is not None:
        if not notify_existing:
            return Reply(status="already")
        return _reply(
            contact_point,
            MessageKind.GROUP_ALREADY_MEMBER,
            status="already",
            context={"traveller": traveller},
        )
    if group.memberships.filter(left_at__isnull=True).count() >= group.max_members:
        return _reply(
            contact_point, MessageKind.GROUP_FULL, status="full", context={"max": group.max_members}
        )
    membership = _membership_create(group, contact_point, source=source, language=language, at=at)
    trip = trip_current_or_next(customer=owner, now=at)
    # The member has just given consent: the confirmation is the group's own message kind.
    delivery = message_create(
        contact_point=contact_point,
        kind=MessageKind.GROUP_JOINED,
        lane=Lane.INTERACTIVE,
        trip=trip,
        context={
            "traveller": traveller,
            "trip": wording.trip_phrase(trip=trip, reader=contact_point.customer),
        },
        dedupe_key=f"group-joined:{membership.pk}",
    )
    reply = Reply(status="joined", delivery=delivery)
    _owner_tell(
        owner,
        MessageKind.GROUP_OWNER_JOINED,
        member=membership,
        dedupe_key=f"group-owner-joined:{membership.pk}",
    )
    return reply


def _membership_create(
    group: UpdateGroup,
    contact_point: ContactPoint,
    *,
    source: str,
    language: str | None,
    at: datetime,
) -> GroupMembership:
    _member_language_learn(contact_point.customer, language=language, traveller=group.owner)
    contact_point_opt_in(
        contact_point=contact_point,
        source=f"joined update group of {group.owner.full_name or group.owner.pk}",
        at=at,
    )
    group.last_trip_at = selectors.owner_last_trip_at(owner=group.owner)
    group.save(update_fields=["last_trip_at"])
    return GroupMembership.objects.create(
        group=group,
        contact_point=contact_point,
        customer=contact_point.customer,
        joined_at=at,
        join_source=source,
    )


def _member_language_learn(
    customer: Customer, *, language: str | None, traveller: Customer
) -> None:
    """A relative is answered in the language they wrote in; failing that in the one we know is
    theirs (a traveller's from their booking, a relative's from before); only someone we know
    from nothing but this chat takes the traveller's. Their form of address stays their own."""
    if customer.passengers.exists():
        return
    if language is None and customer.language_known:
        return
    customer.language = language or traveller.language
    customer.language_known = True
    customer.save(update_fields=["language", "language_known"])


def _owner_tell(
    owner: Customer, kind: str, *, member: GroupMembership, dedupe_key: str
) -> Delivery | None:
    cp = selectors.owner_contact_point(owner=owner)
    if cp is None:
        return None
    name = wording.member_name(member.customer, member.contact_point.profile_name, owner)
    return message_create(
        contact_point=cp,
        kind=kind,
        lane=Lane.INTERACTIVE,
        context={"member": name},
        dedupe_key=dedupe_key,
    )


# --- The traveller's commands -----------------------------------------------------------------


def _own_group(customer: Customer) -> UpdateGroup | None:
    """The traveller's group (created on first use); None for someone who never travelled with
    us."""
    if not customer.passengers.exists():
        return None
    group, _ = UpdateGroup.objects.get_or_create(owner=customer)
    return group


def _member_names(members: list[GroupMembership], reader: Customer) -> list[str]:
    return [wording.member_name(m.customer, m.contact_point.profile_name, reader) for m in members]


def group_followers_send(*, contact_point: ContactPoint, status: str = "followers") -> Reply:
    """ "Who follows me?": the numbered names (never numbers or ids), or how to invite someone."""
    owner = contact_point.customer
    group = _own_group(owner)
    if group is None:
        return Reply(status="not_a_traveller")
    names = (
        _member_names(selectors.group_active_members(group=group), owner)
        if group.ended_at is None
        else []
    )
    passenger = owner.passengers.order_by("-booking__created_at").first()
    context = {
        "followers": wording.followers_list(names=names, reader=owner),
        "hint": wording.followers_hint(
            names=names, reader=owner, follow_code=passenger.follow_code
        ),
    }
    return _reply(contact_point, MessageKind.GROUP_FOLLOWERS, status=status, context=context)


def _resolve(
    members: list[GroupMembership], target: str, reader: Customer
) -> GroupMembership | None:
    if target.isdigit():
        index = int(target) - 1
        return members[index] if 0 <= index < len(members) else None
    wanted = target.casefold()
    names = _member_names(members, reader)
    matches = [m for m, name in zip(members, names) if name.casefold() == wanted] or [
        m for m, name in zip(members, names) if name.casefold().startswith(wanted)
    ]
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def group_member_remove(
    *, contact_point: ContactPoint, target: str, at: datetime | None = None
) -> Reply:
    """The traveller removes a follower by number or name; the follower hears it once."""
    at = at or timezone.now()
    owner = contact_point.customer
    group = _own_group(owner)
    if group is None:
        return Reply(status="not_a_traveller")
    membership = _resolve(selectors.group_active_members(group=group), target, owner)
    if membership is None:  # "verwijder mijn stoel" is not about followers: a person reads it
        return Reply(status="not_found")
    _memberships_end(
        GroupMembership.objects.filter(pk=membership.pk),
        reason=GroupMembership.LeftReason.REMOVED,
        at=at,
    )
    message_create(
        contact_point=membership.contact_point,
        kind=MessageKind.GROUP_REMOVED,
        lane=Lane.INTERACTIVE,
        context={"traveller": wording.first_name(owner)},
        dedupe_key=f"group-removed:{membership.pk}",
    )
    name = wording.member_name(membership.customer, membership.contact_point.profile_name, owner)
    return _reply(
        contact_point,
        MessageKind.GROUP_MEMBER_REMOVED,
        status="removed",
        context={"member": name},
        dedupe_key=f"group-member-removed:{membership.pk}",
    )


def _memberships_end(memberships, *, reason: str, at: datetime) -> int:
    return memberships.filter(left_at__isnull=True).update(left_at=at, left_reason=reason)


def memberships_leave_all(
    *, contact_point: ContactPoint, reason: str, at: datetime | None = None
) -> int:
    """STOP: the address leaves every group at once (the opt-out confirmation is the only reply)."""
    return _memberships_end(
        GroupMembership.objects.filter(contact_point=contact_point),
        reason=reason,
        at=at or timezone.now(),
    )


@transaction.atomic
def group_share(*, contact_point: ContactPoint, text: str, media: list, ref: str) -> Reply:
    """ "deel: …" / "share: …": the traveller's text or photo goes to every follower,
    marked as theirs."""
    owner = contact_point.customer
    group = _own_group(owner)
    if group is None:
        return Reply(status="not_a_traveller")
    members = selectors.group_active_members(group=group) if group.ended_at is None else []
    photo = next(
        (
            m
            for m in media
            if isinstance(m, dict) and str(m.get("url", "")).startswith(("http://", "https://"))
        ),
        None,
    )
    traveller = wording.first_name(owner)
    for member in members:
        delivery = message_create(
            contact_point=member.contact_point,
            kind=MessageKind.GROUP_SHARE,
            lane=Lane.INTERACTIVE,
            context={
                "traveller": traveller,
                "text": wording.share_text(text=text, reader=member.customer),
            },
            dedupe_key=f"group-share:{ref}:{member.customer_id}",
        )
        if photo:  # still inside this transaction: the send is queued only after commit
            Delivery.objects.filter(pk=delivery.pk).update(
                media_url=photo["url"][:500],
                media_content_type=str(photo.get("content_type", ""))[:100],
            )
    if not members:
        return group_followers_send(contact_point=contact_point, status="nobody")
    return _reply(
        contact_point,
        MessageKind.GROUP_SHARE_SENT,
        status="shared",
        context={"count": len(members)},
        dedupe_key=f"group-share-sent:{ref}",
    )


# --- Questions --------------------------------------------------------------------------------


def trip_answer_send(*, contact_point: ContactPoint, now: datetime | None = None) -> Reply:
    """An immediate, automated answer from the live status of every trip the person follows."""
    followed = selectors.trips_followed(contact_point=contact_point, now=now)
    if not followed:
        return Reply(status="no_trip")
    reader = contact_point.customer
    answer = " ".join(
        wording.trip_status_line(
            trip=trip, reader=reader, traveller=wording.names_joined(names, reader)
        )
        for trip, names in _travellers_per_trip(followed)[:3]
    )
    return _reply(
        contact_point,
        MessageKind.GROUP_TRIP_ANSWER,
        status="answered",
        context={"answer": answer},
        trip=followed[0][0],
        buttons=[HUMAN_QUICK_REPLY["nl" if reader.language == "nl" else "en"]],
    )


def _travellers_per_trip(
    followed: list[tuple[Trip, Customer | None]],
) -> list[tuple[Trip, list[str]]]:
    """One entry per trip, naming everyone followed on it ("Anna en Bram"); none on one's own."""
    per_trip: dict[int, tuple[Trip, list[str]]] = {}
    own = set()
    for trip, whose in followed:
        names = per_trip.setdefault(trip.pk, (trip, []))[1]
        if whose is None:
            own.add(trip.pk)
        elif (name := wording.first_name(whose)) not in names:
            names.append(name)
    return [(trip, [] if trip.pk in own else names) for trip, names in per_trip.values()]


# --- The end of a group -----------------------------------------------------------------------

GROUP_IDLE = timedelta(days=30)
# Members' data goes once the goodbye has had time to go out (it is a delivery row of theirs).
GROUP_PURGE_AFTER = timedelta(days=1)


def groups_expire(*, now: datetime | None = None) -> dict[str, int]:
    """End groups without a trip for 30 days (a goodbye to each member),
    then remove members' data."""
    now = now or timezone.now()
    cutoff = now - GROUP_IDLE
    ended = 0
    for group in UpdateGroup.objects.filter(
        ended_at__isnull=True, created_at__lt=cutoff
    ).select_related("owner"):
        last = selectors.owner_last_trip_at(owner=group.owner)
        if last != group.last_trip_at:
            UpdateGroup.objects.filter(pk=group.pk).update(last_trip_at=last)
        if last is None or last < cutoff:
            group_end(group=group, at=now)
            ended += 1
    return {"ended": ended, "purged": groups_purge(now=now)}


@transaction.atomic
def group_end(*, group: UpdateGroup, at: datetime) -> None:
    traveller = wording.first_name(group.owner)
    for member in selectors.group_active_members(group=group):
        message_create(
            contact_point=member.contact_point,
            kind=MessageKind.GROUP_GOODBYE,
            lane=Lane.BULK,
            context={"traveller": traveller},
            dedupe_key=f"group-goodbye:{member.pk}",
        )
    _memberships_end(group.memberships.all(), reason=GroupMembership.LeftReason.GROUP_ENDED, at=at)
    UpdateGroup.objects.filter(pk=group.pk).update(ended_at=at)


@transaction.atomic
def groups_purge(*, now: datetime) -> int:
    """Remove what we kept about the members of groups that ended: memberships, and relatives
    who are known to us only through such a group (their person, addresses, consent, chats)."""
    memberships = GroupMembership.objects.filter(group__ended_at__lt=now - GROUP_PURGE_AFTER)
    customer_ids = set(memberships.values_list("customer_id", flat=True))
    removed = memberships.delete()[0]
    only_ours = (
        Customer.objects.filter(pk__in=customer_ids, passengers__isnull=True)
        .exclude(pk__in=GroupMembership.objects.filter(left_at__isnull=True).values("customer_id"))
        .exclude(update_group__isnull=False)
    )
    addresses = ContactPoint.objects.filter(customer__in=only_ours)
    InboundMessage.objects.filter(contact_point__in=addresses).delete()
    only_ours.delete()
    GroupJoinAttempt.objects.filter(at__lt=now - GROUP_PURGE_AFTER).delete()
    return removed
