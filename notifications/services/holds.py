"""Holding non-urgent messages through the night: a row due in the morning, not a countdown.

Called where a message would otherwise go at once: a trip event's fan-out (check_in_open,
schedule_changed) and a new booking's confirmation. timeline.py sends the rows when they are due.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Booking, Customer, Trip
from notifications.models import ScheduledMessage, TripEvent
from notifications.quiet import NON_URGENT_EVENTS, quiet_until

# A held message must still reach the traveller this long before departure, or it goes now.
LEAD = timedelta(hours=2)


def _hold(**row) -> bool:
    try:
        with transaction.atomic():
            ScheduledMessage.objects.create(**row)
    except IntegrityError:
        pass  # held already (a redelivered task)
    return True


def event_hold(*, event: TripEvent, now: datetime | None = None) -> bool:
    """Hold a non-urgent event until the night is over at the departure airport; True if held."""
    if event.type not in NON_URGENT_EVENTS:
        return False
    trip = event.trip
    held = ScheduledMessage.objects.filter(event=event).values_list("status", flat=True).first()
    if held is not None:
        return held == ScheduledMessage.Status.WAITING  # else the timeline released it
    until = quiet_until(now or timezone.now(), trip.origin, latest=trip.departure - LEAD)
    if until is None:
        return False
    return _hold(
        kind=event.type, trip=trip, event=event, due_at=until, dedupe_key=f"held:event:{event.pk}"
    )


def confirmation_hold(
    *, booking: Booking, customer: Customer, trip: Trip, now: datetime | None = None
) -> bool:
    """Hold a booking confirmation made at night until morning; True if held."""
    until = quiet_until(now or timezone.now(), trip.origin, latest=trip.departure - LEAD)
    if until is None:
        return False
    return _hold(
        kind="booking_confirmation",
        trip=trip,
        booking=booking,
        customer=customer,
        due_at=until,
        dedupe_key=f"held:booking:{booking.pk}:customer:{customer.pk}",
    )
