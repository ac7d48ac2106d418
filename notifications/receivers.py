from django.dispatch import receiver

from core.signals import booking_saved


@receiver(booking_saved)
def confirm_new_booking(sender, booking, created, **kwargs):
    """An opted-in passenger gets one confirmation when the booking is first created."""
    if created:
        from notifications.tasks import booking_confirm

        booking_confirm.apply_async(args=[booking.pk], queue="interactive")

