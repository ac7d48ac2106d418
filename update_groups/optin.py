"""A traveller's own opt-in: the code on their booking confirmation page links a chat to them.

Each passenger has two codes. The `follow_code` is the relatives' invitation (update_groups/
services.py); the `opt_in_code` is the passenger's alone. Opening m.me/<page>?ref=<opt_in_code>, or
sending it on WhatsApp from any number, makes that address the passenger's own (whoever we knew
behind it merges into them), records consent with where it came from, and from then on the
traveller's own trip messages reach them there.

It lives with the update groups because both codes are read from the same chats, a wrong one of
either kind counts towards the same limit, and opting in ends following one's own group.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.models import ContactPoint, Passenger
from core.services import contact_point_link, contact_point_opt_in
from notifications import rendering
from notifications.models import Lane, MessageKind
from notifications.services import message_create
from update_groups import services
from update_groups.models import GroupMembership


@transaction.atomic
def traveller_opt_in(
    *,
    contact_point: ContactPoint,
    code: str,
    source: str,
    at: datetime | None = None,
    ref: str = "",
) -> services.Reply:
    """Link the address to the passenger whose opt-in code this is, with one confirmation.

    Status: "opted_in", "unknown" or "limited" (wrong codes count with wrong follow codes).
    `ref` identifies what the person sent, so a redelivered message confirms once.
    """
    at = at or timezone.now()
    limited = services.code_limited_reply(contact_point=contact_point, at=at)
    if limited is not None:
        return limited
    passengers = Passenger.objects.select_related("customer", "booking")
    passenger = passengers.filter(opt_in_code=code.upper()).first()
    if passenger is None:
        return services.code_unknown_reply(contact_point=contact_point, at=at)
    traveller = passenger.customer
    cp = contact_point_link(contact_point=contact_point, customer=traveller)
    reference = f"{passenger.booking.reference}/{passenger.pax_id}"
    source = f"own opt-in code of passenger {reference}, {source}"
    contact_point_opt_in(contact_point=cp, source=source, at=at)
    _stop_following_oneself(cp, at)
    trips = [s.trip for s in passenger.segments.select_related("trip").order_by("position")]
    itinerary = rendering.itinerary(trips=trips, customer=traveller) or passenger.booking.reference
    delivery = message_create(
        contact_point=cp,
        kind=MessageKind.OPT_IN_CONFIRMATION,
        lane=Lane.INTERACTIVE,
        booking=passenger.booking,
        trip=trips[0] if trips else None,
        context={
            "itinerary": itinerary,
            "follow_code": passenger.follow_code,
        },
        dedupe_key=f"opt-in:{cp.pk}:{ref}" if ref else None,
    )
    return services.Reply(status="opted_in", delivery=delivery)


def _stop_following_oneself(contact_point: ContactPoint, at: datetime) -> None:
    """Who joined their own group with the relatives' code hears their trip as the traveller now."""
    GroupMembership.objects.filter(
        contact_point=contact_point, group__owner_id=contact_point.customer_id, left_at__isnull=True
    ).update(left_at=at, left_reason=GroupMembership.LeftReason.OWN_TRIP)
