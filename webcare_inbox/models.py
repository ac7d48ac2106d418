"""Conversations between people and the webcare team."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Channel, ContactPoint, Customer, InboundMessage, Trip
from notifications.models import Delivery


class Team(models.Model):
    """A group of agents; a conversation routed to a team is seen by its members (and admins)."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inbox_teams", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    """An agent's preferences and round-robin state."""

    class Language(models.TextChoices):
        EN = "en", "English"
        NL = "nl", "Nederlands"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_profile"
    )
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    # Round-robin hands new conversations only to available agents below their cap.
    available = models.BooleanField(default=False)
    max_open = models.PositiveSmallIntegerField(default=8)
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class Label(models.Model):
    """A contact reason ("delay", "baggage", "refund"…) put on conversations."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CannedReply(models.Model):
    """A ready answer; {name}, {trip}, {route}, {departure}, {arrival}, {gate},
    {agent} are filled in."""

    shortcut = models.SlugField(max_length=40, unique=True)
    body = models.TextField()

    class Meta:
        ordering = ["shortcut"]
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.shortcut


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        PENDING = "pending"
        SNOOZED = "snoozed"
        RESOLVED = "resolved"

    class HandledBy(models.TextChoices):
        BOT = "bot"
        HUMAN = "human"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="conversations")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_message_preview = models.CharField(max_length=200, blank=True)
    unread = models.PositiveIntegerField(default=0)
    # Who is answering: automation ("bot") or the webcare team ("human"). On escalation the
    # bot sets "human" and says why in handover_reason, which the agent sees in the thread.
    handled_by = models.CharField(max_length=10, choices=HandledBy.choices, default=HandledBy.HUMAN)
    handover_reason = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="conversations")
    snoozed_until = models.DateTimeField(null=True, blank=True, db_index=True)
    csat_asked_at = models.DateTimeField(null=True, blank=True)
    csat_score = models.PositiveSmallIntegerField(null=True, blank=True)
    csat_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at"]
        indexes = [
            models.Index(fields=["status", "-last_message_at"]),
            # The list's keyset order: every page is an index range scan, however long the list.
            models.Index(fields=["-last_message_at", "-id"], name="conversation_list_order"),
            models.Index(
                fields=["assignee", "-last_message_at"], name="conversation_assignee_order"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.customer} on {self.channel}"


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in"
        OUTBOUND = "out"
        NOTE = "note"  # private note: never sent out

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    media = models.JSONField(default=list, blank=True)
    automated = models.BooleanField(default=False)
    # The channel it came or went on: a conversation may continue on another (channel_switch.py).
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    inbound = models.OneToOneField(
        InboundMessage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_message",
    )
    delivery = models.OneToOneField(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_message"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Agents named with @username in a private note.
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inbox_mentions"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        if not self.channel and self.conversation_id:
            self.channel = (
                self.inbound.channel
                if self.inbound_id
                else Conversation.objects.values_list("channel", flat=True).get(
                    pk=self.conversation_id
                )
            )
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """Who did what to a conversation, and when; shown in the thread."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.detail}"


class CallbackRequest(models.Model):
    """A person asked to be called ("bel mij", "call me back", the call-back button).

    Asking: we asked when (and, without a known number, on which number). Scheduled: due at the
    agreed time, which lies within opening hours. An agent records each call: done, or not
    reached (the person is asked for a new time, and the attempt counts).
    """

    class Status(models.TextChoices):
        ASKING = "asking"
        SCHEDULED = "scheduled"
        DONE = "done"
        CANCELLED = "cancelled"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="callbacks"
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="callbacks"
    )
    phone = models.CharField(max_length=32, blank=True)  # E.164
    # The person's own time zone (from their number), in which the time is asked and told.
    tz_name = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKING)
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    moved = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)  # calls made
    not_reached = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "requested_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="callback_queue_order")]

    def __str__(self) -> str:
        return f"call-back #{self.pk} for conversation {self.conversation_id} ({self.status})"
