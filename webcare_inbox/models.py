"""Conversations between people and the webcare team."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Channel, ContactPoint, Customer, InboundMessage, Trip
from notifications.models import Delivery


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
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="conversations")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_conversations"
    )
    trip = models.ForeignKey(Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_message_preview = models.CharField(max_length=200, blank=True)
    unread = models.PositiveIntegerField(default=0)
    # Who is answering: automation ("bot") or the webcare team ("human"). On escalation the
    # bot sets "human" and says why in handover_reason, which the agent sees in the thread.
    handled_by = models.CharField(max_length=10, choices=HandledBy.choices, default=HandledBy.HUMAN)
    handover_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["status", "-last_message_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.customer} on {self.channel}"


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in"
        OUTBOUND = "out"
        NOTE = "note"  # private note: never sent out

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    media = models.JSONField(default=list, blank=True)
    automated = models.BooleanField(default=False)
    inbound = models.OneToOneField(
        InboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_message"
    )
    delivery = models.OneToOneField(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_message"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction}: {self.text[:40]}"
