"""Update groups: a traveller's relatives, their memberships (consent records) and wrong codes.

The tables were created by the notifications app and keep their names (db_table), so moving the
models here moved no data (migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import ContactPoint, Customer


def _default_max_members() -> int:
    return getattr(settings, "UPDATE_GROUP_MAX_MEMBERS", 25)


class UpdateGroup(models.Model):
    """A traveller's relatives, each reached 1:1 on their own channel with their own consent.

    One group per traveller: it follows every trip the owner travels on, is joined through any of
    the owner's passengers' follow codes, and outlives the trip (it ends after 30 days without one).
    """

    owner = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="update_group")
    notify_cancelled = models.BooleanField(default=True)
    notify_gate_changed = models.BooleanField(default=False)
    max_members = models.PositiveSmallIntegerField(default=_default_max_members)
    created_at = models.DateTimeField(default=timezone.now)
    last_trip_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "notifications_updategroup"

    def __str__(self) -> str:
        return f"update group of {self.owner}"


class GroupMembership(models.Model):
    """One address in one group; the row is also the member's consent record (joined, left)."""

    class Source(models.TextChoices):
        WHATSAPP_CODE = "whatsapp_code", "sent the code on WhatsApp"
        MESSENGER_CODE = "messenger_code", "sent the code on Messenger"
        MESSENGER_LINK = "messenger_link", "opened the m.me link"
        OPERATOR = "operator", "added by an operator"

    class LeftReason(models.TextChoices):
        STOP = "stop", "sent STOP"
        REMOVED = "removed", "removed by the traveller"
        GROUP_ENDED = "group_ended", "the group ended"
        OWN_TRIP = "own_trip", "opted in as the traveller themself"

    group = models.ForeignKey(UpdateGroup, on_delete=models.CASCADE, related_name="memberships")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="group_memberships"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="group_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    join_source = models.CharField(max_length=20, choices=Source.choices)
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(max_length=20, choices=LeftReason.choices, blank=True)

    class Meta:
        db_table = "notifications_groupmembership"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "contact_point"],
                condition=models.Q(left_at__isnull=True),
                name="membership_one_active_per_address",
            ),
        ]
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.contact_point} in {self.group}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class GroupJoinAttempt(models.Model):
    """A code that matched no group, per address: repeated wrong codes are rate-limited here.

    Kept in the database rather than Redis so embedded mode (no Redis) limits the same way.
    """

    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "notifications_groupjoinattempt"
        indexes = [
            models.Index(fields=["contact_point", "at"], name="notificatio_contact_4a0c90_idx")
        ]
