from django.dispatch import receiver

from core.signals import bookings_saved
from notifications import enqueue


@receiver(bookings_saved)
def confirm_new_bookings(sender, bookings, **kwargs):
    """An opted-in passenger gets one confirmation when the booking is first created."""
    created = [booking.pk for booking, was_created in bookings if was_created]
    if created:
        enqueue.bookings_confirm_later(created)
