from django.dispatch import receiver

from core.signals import booking_saved, contact_point_opted_out
from notifications import enqueue
from notifications.groups import memberships_leave_all
from notifications.models import GroupMembership


@receiver(booking_saved)
def confirm_new_booking(sender, booking, created, **kwargs):
    """An opted-in passenger gets one confirmation when the booking is first created."""
    if created:
        enqueue.booking_confirm_later(booking.pk)


@receiver(contact_point_opted_out)
def leave_every_group(sender, contact_point, at, **kwargs):
    """STOP means no more group updates either; the opt-out confirmation is the one reply."""
    memberships_leave_all(contact_point=contact_point, reason=GroupMembership.LeftReason.STOP, at=at)
