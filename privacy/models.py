"""What the privacy app keeps itself: hashes of addresses not to message, and a record of every
erasure and export. Neither holds the personal data it is about."""

import uuid

from django.db import models
from django.utils import timezone

from core.models import Customer


class SuppressedAddress(models.Model):
    """An address that was erased: only a keyed hash of it, so it is recognised, never read.

    A contact point created for it again starts opted out as of `since` (core/services.py), so a
    booking's opt-in does not reach it unless the consent was given after that.
    """

    class Reason(models.TextChoices):
        ERASED = "erased", "the person was erased"
        ERASED_OPTED_OUT = "erased_opted_out", "the person had opted out, then was erased"

    channel = models.CharField(max_length=20)
    address_hash = models.CharField(max_length=64)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"], name="suppressed_address_once"
            ),
        ]
        verbose_name_plural = "suppressed addresses"

    def __str__(self) -> str:
        return f"{self.channel} {self.address_hash[:12]}…"


class PrivacyRecord(models.Model):
    """One erasure or export: who asked, how, when, and which person — as a pointer (the person's
    id, which outlives an erasure as an anonymous row) and keyed hashes of how they were looked
    up, never their name, number or id."""

    class Action(models.TextChoices):
        ERASE = "erase", "erased"
        EXPORT = "export", "exported"

    class Via(models.TextChoices):
        API = "api", "REST API"
        ADMIN = "admin", "admin"
        COMMAND = "command", "management command"
        RETENTION = "retention", "retention (inactive for too long)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    actor = models.CharField(max_length=150, help_text="The admin user, API key or command user.")
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # " <hash> <hash> ": keyed hashes of the look-ups that named the person (selectors.Lookup).
    subject_hashes = models.TextField(blank=True)
    rows = models.JSONField(default=dict, blank=True, help_text="Rows changed, per table.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} person {self.customer_id or '?'} via {self.via}"


class Person(Customer):
    """The admin's view of a person for erasure and export (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "person (erase or export)"
        verbose_name_plural = "people (erase or export)"
        permissions = [
            ("erase_person", "Can erase a person"),
            ("export_person", "Can export a person's data"),
        ]
