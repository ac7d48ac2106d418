from django.dispatch import receiver

from core.signals import booking_saved
from notifications import enqueue


@receiver(booking_saved)
def confirm_new_booking(sender, booking, created, **kwargs):
    """An opted-in passenger gets one confirmation when the booking is first created."""
    if created:
        enqueue.booking_confirm_later(booking.pk)
