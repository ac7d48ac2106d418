"""The shared domain: people, how to reach them (with consent), bookings and trips."""

import secrets
import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone

WINDOW = timedelta(hours=24)


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    EN = "en", "English"


class Formality(models.TextChoices):
    FORMAL = "formal", "formal (u, surname)"
    INFORMAL = "informal", "informal (je, given name)"


class Customer(models.Model):
    """A person we talk to: a traveller, a relative, or someone who just wrote in."""

    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    formality = models.CharField(max_length=10, choices=Formality.choices, default=Formality.FORMAL)
    # False for someone we know only from a chat message: their language is a default, not theirs.
    language_known = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the person was erased (privacy/): what is left of them is anonymous, kept so that
    # counts and scores (deliveries, conversations) stay true.
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        if self.erased_at:
            return f"erased person {self.pk}"
        return self.full_name or f"customer {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class ContactPoint(models.Model):
    """One identity of a person on one channel, with that identity's consent."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contact_points")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # WhatsApp: E.164 ("+31612345678"). Messenger: the page-scoped id (PSID).
    address = models.CharField(max_length=64)
    # WhatsApp's business-scoped user id (Twilio ExternalUserId) for people who hide their number.
    provider_user_id = models.CharField(max_length=128, blank=True, db_index=True)
    profile_name = models.CharField(max_length=200, blank=True)
    opted_in = models.BooleanField(default=False)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    opt_in_source = models.CharField(max_length=200, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    # Set when the provider says this address can never be reached (e.g. 63003, 63024, 63014).
    unreachable_at = models.DateTimeField(null=True, blank=True)
    unreachable_code = models.CharField(max_length=20, blank=True)
    unreachable_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"], name="contact_point_unique_address"
            ),
        ]
        indexes = [models.Index(fields=["channel", "opted_in"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"

    def window_closes_at(self):
        return self.last_inbound_at + WINDOW if self.last_inbound_at else None

    def window_open(self, now=None) -> bool:
        closes = self.window_closes_at()
        return bool(closes and closes > (now or timezone.now()))

    @property
    def reachable(self) -> bool:
        return self.opted_in and self.unreachable_at is None


class ConsentRecord(models.Model):
    """Audit trail of consent: who, when, how."""

    class Action(models.TextChoices):
        OPT_IN = "opt_in", "opted in"
        OPT_OUT = "opt_out", "opted out"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="consent_records"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    source = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]


class Trip(models.Model):
    """One flight or train on one local departure date, with its live status."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        CHECK_IN_OPEN = "check_in_open"
        BOARDING = "boarding"
        DELAYED = "delayed"
        DEPARTED = "departed"
        ARRIVED = "arrived"
        CANCELLED = "cancelled"
        DIVERTED = "diverted"

    service = models.CharField(max_length=20)
    local_date = models.DateField()
    origin = models.CharField(max_length=5)
    destination = models.CharField(max_length=5)
    scheduled_departure = models.DateTimeField()
    scheduled_arrival = models.DateTimeField()
    estimated_departure = models.DateTimeField(null=True, blank=True)
    estimated_arrival = models.DateTimeField(null=True, blank=True)
    actual_departure = models.DateTimeField(null=True, blank=True)
    actual_arrival = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    gate = models.CharField(max_length=10, blank=True)
    terminal = models.CharField(max_length=10, blank=True)
    baggage_belt = models.CharField(max_length=10, blank=True)
    check_in_url = models.URLField(blank=True)
    # A diversion: the airport the trip now lands at instead of `destination`.
    diverted_to = models.CharField(max_length=5, blank=True)
    status_reason = models.CharField(max_length=300, blank=True)
    status_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "local_date"], name="trip_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.service}/{self.local_date.isoformat()}"

    @property
    def departure(self):
        return self.actual_departure or self.estimated_departure or self.scheduled_departure

    @property
    def arrival(self):
        return self.actual_arrival or self.estimated_arrival or self.scheduled_arrival

    @property
    def arrival_airport(self) -> str:
        """Where the trip lands: the booked destination, or the airport it was diverted to."""
        return self.diverted_to or self.destination


class Booking(models.Model):
    reference = models.CharField(max_length=64, unique=True)
    # Where the passengers check in (the carrier's page for this booking), told when check-in opens.
    check_in_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.reference


FOLLOW_CODE_ALPHABET = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on phones
)
assert len(FOLLOW_CODE_ALPHABET) == 32
FOLLOW_CODE_LENGTH = 10  # 32**10 ≈ 1.1e15 codes: not guessable, with wrong tries rate-limited


def _code(prefix: str) -> str:
    # 32 letters: each random byte picks one without bias (256 = 8 × 32), one read per code.
    alphabet = FOLLOW_CODE_ALPHABET
    return prefix + "".join(alphabet[b % 32] for b in secrets.token_bytes(FOLLOW_CODE_LENGTH))


def new_follow_code() -> str:
    """What relatives send to join the passenger's update group (the invitation)."""
    return _code("TF")


def new_opt_in_code() -> str:
    """What only the passenger gets: sent (or opened as ?ref=) it links that chat to them."""
    return _code("TM")


class Passenger(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="passengers")
    pax_id = models.CharField(max_length=20)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    formality = models.CharField(max_length=10, choices=Formality.choices, default=Formality.FORMAL)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="passengers")
    follow_code = models.CharField(max_length=20, unique=True, default=new_follow_code)
    opt_in_code = models.CharField(max_length=20, unique=True, default=new_opt_in_code)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "pax_id"], name="passenger_unique_in_booking"
            ),
        ]
        ordering = ["booking", "pax_id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.booking.reference}/{self.pax_id})"


class Segment(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="segments")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="segments")
    position = models.PositiveSmallIntegerField(default=0)
    passengers = models.ManyToManyField(Passenger, related_name="segments")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "trip"], name="segment_unique_trip_in_booking"
            ),
        ]
        ordering = ["booking", "position"]


class InboundMessage(models.Model):
    """Everything a person sent us, stored as received before any processing.

    The webhook answers only after this row is committed; the worker processes it later, and a
    sweep re-queues rows that were never processed, so no inbound message can vanish.
    """

    class Kind(models.TextChoices):
        MESSAGE = "message"
        REFERRAL = "referral"  # Messenger m.me?ref= opt-in link
        POSTBACK = "postback"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    from_address = models.CharField(max_length=64)
    provider_user_id = models.CharField(max_length=128, blank=True)
    profile_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    payload = models.CharField(max_length=1000, blank=True)  # button/postback payload, referral ref
    media = models.JSONField(default=list, blank=True)  # [{"url": ..., "content_type": ...}]
    raw = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)  # provider's timestamp when it has one
    received_at = models.DateTimeField(default=timezone.now)
    contact_point = models.ForeignKey(
        ContactPoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"], name="inbound_unique_provider_id"
            ),
        ]
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_message_id} from {self.from_address}"


class ApiKey(models.Model):
    """A key for the travel company's systems; only its SHA-256 is stored."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
