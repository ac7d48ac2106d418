"""What the sandbox provider "sent": the phone simulator shows these as the recipient sees them."""

from django.db import models
from django.utils import timezone

from core.models import Channel


class SandboxMessage(models.Model):
    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(max_length=64, unique=True)
    to = models.CharField(max_length=64, db_index=True)
    text = models.TextField(blank=True)
    template_sid = models.CharField(max_length=100, blank=True)
    template_variables = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    media_content_type = models.CharField(max_length=100, blank=True)
    # The file as the provider fetched it (and the phone keeps it), with its first page pictured.
    media_filename = models.CharField(max_length=200, blank=True)
    media_file = models.BinaryField(null=True, blank=True)
    media_preview = models.BinaryField(null=True, blank=True)
    media_pages = models.PositiveSmallIntegerField(default=0)
    messaging_type = models.CharField(max_length=20, blank=True)
    tag = models.CharField(max_length=30, blank=True)
    status_callback = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
