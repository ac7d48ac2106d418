from django.dispatch import receiver

from core.signals import contact_point_opted_out
from update_groups.models import GroupMembership
from update_groups.services import memberships_leave_all


@receiver(contact_point_opted_out)
def leave_every_group(sender, contact_point, at, **kwargs):
    """STOP means no more group updates either; the opt-out confirmation is the one reply."""
    memberships_leave_all(
        contact_point=contact_point, reason=GroupMembership.LeftReason.STOP, at=at
    )
