"""Boarding passes and rail tickets: what was issued, for whom, and which version is current."""

import uuid

from django.db import models
from django.utils import timezone

from core.models import Booking, Passenger, Trip
from notifications.models import Delivery


class DocumentKind(models.TextChoices):
    BOARDING_PASS = "boarding_pass", "boarding pass"
    TICKET = "ticket", "rail ticket"


class BarcodeFormat(models.TextChoices):
    PDF417 = "pdf417", "PDF417"
    AZTEC = "aztec", "Aztec"
    QR = "qr", "QR code"


class Document(models.Model):
    """One issued document; a newer one for the same passenger and trip replaces it.

    The PDF is kept as it was sent (the link serves exactly what the provider fetched) until
    its link has expired, then dropped by the purge task; the row stays as the record.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="documents")
    passenger = models.ForeignKey(Passenger, on_delete=models.CASCADE, related_name="documents")
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="documents")
    seat = models.CharField(max_length=10, blank=True)
    coach = models.CharField(max_length=10, blank=True)
    gate = models.CharField(max_length=10, blank=True)
    terminal = models.CharField(max_length=10, blank=True)
    travel_class = models.CharField(max_length=30, blank=True)
    boarding_time = models.DateTimeField(null=True, blank=True)
    barcode = models.TextField()  # as the carrier gave it (text, or base64 of binary data)
    barcode_binary = models.BooleanField(default=False)  # `barcode` is base64 of the bytes
    barcode_format = models.CharField(max_length=10, choices=BarcodeFormat.choices)
    # Sha-256 of what the request said: the same document posted again is the same document.
    content_hash = models.CharField(max_length=64)
    filename = models.CharField(max_length=100)
    pdf = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_fetched_at = models.DateTimeField(null=True, blank=True)
    fetches = models.PositiveIntegerField(default=0)
    purged_at = models.DateTimeField(null=True, blank=True)
    # The messages that carried it: its own, and a departure reminder that attached it.
    deliveries = models.ManyToManyField(Delivery, related_name="documents", blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One current document per passenger, trip and kind: issuing is serialised on it.
            models.UniqueConstraint(
                fields=["passenger", "trip", "kind"],
                condition=models.Q(superseded_at__isnull=True),
                name="document_one_current",
            ),
        ]
        indexes = [models.Index(fields=["trip", "passenger"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trip.key} for {self.passenger_name}"

    @property
    def passenger_name(self) -> str:
        return f"{self.passenger.given_name} {self.passenger.family_name}".strip()

    @property
    def booking_reference(self) -> str:
        return self.booking.reference

    @property
    def current(self) -> bool:
        return self.superseded_at is None
