from django.dispatch import receiver

from core.signals import bookings_saved, bookings_storing
from notifications import enqueue
from notifications.services.timeline import timeline_schedule, timeline_trip_changed
from notifications.signals import trip_event_published


@receiver(bookings_saved)
def confirm_new_bookings(sender, bookings, stored=None, **kwargs):
    """An opted-in passenger gets one confirmation when the booking is first created; a booking
    whose passengers have no address opted in (core.bookings.StoredBooking.reachable) is not
    handed to the worker, who would find nobody to send it to."""
    if stored is not None:
        reachable = {s.booking.pk for s in stored if s.reachable}
        created = [s.booking.pk for s in stored if s.created and s.booking.pk in reachable]
    else:
        created = [booking.pk for booking, was_created in bookings if was_created]
    if created:
        enqueue.bookings_confirm_later(created)


@receiver(bookings_storing)
def schedule_the_timeline(sender, bookings, stored=None, **kwargs):
    """Check-in notice and departure reminder for each passenger and trip, new or moved, in the
    transaction that stores the bookings."""
    timeline_schedule(bookings=[booking for booking, _ in bookings], stored=stored)


@receiver(trip_event_published)
def move_the_timeline(sender, trip, event, **kwargs):
    """A delay or new schedule moves what is waiting; a cancellation or departure drops it."""
    timeline_trip_changed(trip=trip, event_type=event.type)
