"""Trip events, the deliveries they fan out to, provider status, and the template catalogue."""

import uuid

from django.db import models
from django.utils import timezone

from core.models import Booking, Channel, ContactPoint, Customer, Formality, Language, Trip


class EventType(models.TextChoices):
    CHECK_IN_OPEN = "check_in_open"
    GATE_CHANGED = "gate_changed"
    BOARDING = "boarding"
    DELAYED = "delayed"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    DIVERTED = "diverted"
    SCHEDULE_CHANGED = "schedule_changed"


class MessageKind(models.TextChoices):
    BOOKING_CONFIRMATION = "booking_confirmation"
    CHECK_IN_OPEN = "check_in_open"
    GATE_CHANGED = "gate_changed"
    BOARDING = "boarding"
    DELAYED = "delayed"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    AGENT_REPLY = "agent_reply"
    AUTOMATED_REPLY = "automated_reply"
    OPT_OUT_CONFIRMATION = "opt_out_confirmation"
    AGENT_FOLLOW_UP = "agent_follow_up"  # template an agent sends to reopen a closed window
    CSAT_QUESTION = "csat_question"
    # A traveller linked a chat to themselves with their own opt-in code (update_groups/optin.py).
    OPT_IN_CONFIRMATION = "opt_in_confirmation"
    CSAT_THANKS = "csat_thanks"
    # A person handed to the webcare team is told when an answer comes (webcare_inbox/handover.py).
    HANDOVER_WAITING = "handover_waiting"
    HANDOVER_CLOSED = "handover_closed"
    # Call-backs (webcare_inbox/callbacks.py): when to call, on which number; agreed; moved; missed.
    CALLBACK_TIME_QUESTION = "callback_time_question"
    CALLBACK_NUMBER_QUESTION = "callback_number_question"
    CALLBACK_SCHEDULED = "callback_scheduled"
    CALLBACK_MOVED = "callback_moved"
    CALLBACK_MISSED = "callback_missed"
    # The person asked to be answered on another channel (webcare_inbox/channel_switch.py).
    CHANNEL_SWITCHED = "channel_switched"
    # START / AANMELDEN in the chat (webcare_inbox/services.py): back in, or already in.
    OPT_IN_AGAIN_CONFIRMATION = "opt_in_again_confirmation"
    OPT_IN_ALREADY = "opt_in_already"
    # Update groups: relatives who follow a traveller (update_groups/).
    GROUP_JOINED = "group_joined"
    GROUP_OWNER_JOINED = "group_owner_joined"
    GROUP_CODE_UNKNOWN = "group_code_unknown"
    GROUP_CODE_LIMITED = "group_code_limited"
    GROUP_FULL = "group_full"
    GROUP_ALREADY_MEMBER = "group_already_member"
    GROUP_FOLLOWERS = "group_followers"
    GROUP_MEMBER_REMOVED = "group_member_removed"
    GROUP_REMOVED = "group_removed"
    GROUP_SHARE = "group_share"
    GROUP_SHARE_SENT = "group_share_sent"
    GROUP_GOODBYE = "group_goodbye"
    GROUP_TRIP_ANSWER = "group_trip_answer"
    GROUP_DEPARTED = "group_departed"
    GROUP_DELAYED = "group_delayed"
    GROUP_ARRIVED = "group_arrived"
    GROUP_CANCELLED = "group_cancelled"
    GROUP_GATE_CHANGED = "group_gate_changed"
    # The trip's own timeline (notifications/services/timeline.py) and its newer events.
    DEPARTURE_REMINDER = "departure_reminder"
    DEPARTURE_REMINDER_DOCUMENT = "departure_reminder_document"  # with the boarding pass
    DIVERTED = "diverted"
    SCHEDULE_CHANGED = "schedule_changed"
    GROUP_DIVERTED = "group_diverted"
    GROUP_SCHEDULE_CHANGED = "group_schedule_changed"
    # A boarding pass or rail ticket as a PDF (documents/).
    BOARDING_PASS = "boarding_pass"
    TICKET = "ticket"
    # Surveys in the chat (insights/surveys.py): "did this help?", effort, recommendation.
    SURVEY_HELPFUL = "survey_helpful"
    SURVEY_CES = "survey_ces"
    SURVEY_NPS = "survey_nps"
    SURVEY_THANKS = "survey_thanks"


# Sent on Thuisfront's own initiative (besides trip events), not in answer to the person: the
# inbox shows them in the person's thread with the messages.
PROACTIVE_KINDS = frozenset(
    {
        MessageKind.BOOKING_CONFIRMATION,
        MessageKind.CHECK_IN_OPEN,
        MessageKind.DEPARTURE_REMINDER,
        MessageKind.DEPARTURE_REMINDER_DOCUMENT,
        MessageKind.BOARDING_PASS,
        MessageKind.TICKET,
    }
)


class Lane(models.TextChoices):
    """Celery queues: interactive work never waits behind a disruption fan-out."""

    INTERACTIVE = "interactive"
    BULK = "bulk"


class TripEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, choices=EventType.choices)
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trip", "idempotency_key"], name="event_idempotency"),
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.trip.key}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"  # saved, not yet handed to the provider
    SENDING = "sending"  # claimed by a worker, provider call under way
    QUEUED = "queued"  # the provider accepted it
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"
    SUPERSEDED = "superseded"  # replaced by a newer update before it went out


# A status only moves to a higher rank: read > delivered > failed/undelivered > sent > queued.
# failed/undelivered rank below delivered because a later delivered/read proves delivery
# (several devices); superseded is final for a message that never left.
STATUS_RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.QUEUED: 2,
    DeliveryStatus.SENT: 3,
    DeliveryStatus.FAILED: 4,
    DeliveryStatus.UNDELIVERED: 4,
    DeliveryStatus.DELIVERED: 5,
    DeliveryStatus.READ: 6,
    DeliveryStatus.SUPERSEDED: 7,
}


class Delivery(models.Model):
    """One message to one person on one channel: saved before the provider is called.

    Its id goes into the status-callback URL, so callbacks find it even when they arrive before
    the provider's answer to our send was recorded.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # At most one delivery per key, e.g. "event:<id>:customer:<id>" — fan-out runs twice harmlessly.
    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    lane = models.CharField(max_length=20, choices=Lane.choices, default=Lane.BULK)
    event = models.ForeignKey(
        TripEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="deliveries")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    status_rank = models.PositiveSmallIntegerField(default=0)
    # What was sent: the text the recipient reads, and the template when one was used.
    text = models.TextField(blank=True)
    template_sid = models.CharField(max_length=100, blank=True)
    template_variables = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    media_content_type = models.CharField(max_length=100, blank=True)
    messaging_type = models.CharField(max_length=20, blank=True)
    tag = models.CharField(max_length=30, blank=True)
    # Free text from an agent, or the rendering context for proactive messages.
    context = models.JSONField(default=dict, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # While SENDING: the claim holds until then unless its worker renews it (claims.py).
    lease_until = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["contact_point", "created_at"]),
            models.Index(
                fields=["lease_until"],
                name="delivery_sending_lease",
                condition=models.Q(status="sending"),
            ),
        ]
        ordering = ["created_at"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.kind} → {self.contact_point} ({self.status})"

    @property
    def automated(self) -> bool:
        return self.kind != MessageKind.AGENT_REPLY


class StatusEvent(models.Model):
    """Every provider status report, as received; also the history of each delivery."""

    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.CASCADE, related_name="status_events"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    error_code = models.CharField(max_length=20, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    applied = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id", "status"], name="status_event_once"
            ),
        ]
        ordering = ["received_at"]


class StatusReport(models.Model):
    """A provider's status callback as the webhook took it in, waiting to be applied.

    The webhook stores it with one INSERT and answers; a worker on the status lane applies
    waiting reports in batches (services/status.py: status_reports_apply) and deletes them. A
    report that comes while no worker runs waits here until one does.
    """

    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    unreachable = models.BooleanField(default=False)
    opted_out = models.BooleanField(default=False)
    # Our delivery's id from the callback URL (?d=), when the provider echoes it.
    delivery_id = models.UUIDField(null=True, blank=True)
    # Who the message went to (E.164 or a page-scoped id): erasure finds the person's reports.
    address = models.CharField(max_length=64, blank=True, db_index=True)
    raw = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class MessageTemplate(models.Model):
    """The catalogue: our message kinds and languages → the provider's approved templates.

    `body` is the approved text with numbered placeholders ({{1}}, {{2}} …) and `variables`
    names what goes into each, in order. The same body, filled in, is the free text sent
    inside the 24-hour window, so both read the same.
    """

    channel = models.CharField(max_length=20, choices=Channel.choices)
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    language = models.CharField(max_length=5, choices=Language.choices)
    formality = models.CharField(max_length=10, choices=Formality.choices)
    content_sid = models.CharField(
        max_length=100,
        help_text="Twilio Content SID (HX…) for WhatsApp; the utility template name for Messenger.",
    )
    body = models.TextField()
    variables = models.JSONField(
        default=list, help_text='Names filled into {{1}}, {{2}} …, e.g. ["name", "service"].'
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "kind", "language", "formality"], name="template_unique_variant"
            ),
        ]
        ordering = ["channel", "kind", "language", "formality"]

    def __str__(self) -> str:
        return f"{self.channel}/{self.kind}/{self.language}/{self.formality}"


class ScheduledMessage(models.Model):
    """A message the trip's own timeline sends at a time: a row with a due time, not a countdown.

    A periodic task (beat: notifications.tasks.timeline_due_send) sends the rows whose time has
    come, each once (claimed with SKIP LOCKED, marked sent in the same transaction as its
    delivery is created), so they survive restarts and a Redis visibility timeout. A schedule
    change moves the rows still waiting; a cancellation or departure drops what no longer
    makes sense. Kinds: check_in_open and departure_reminder (per person and trip), and what
    quiet hours hold until morning: a booking_confirmation (per person and booking) or a whole
    trip event (`event`, no customer).
    """

    class Status(models.TextChoices):
        WAITING = "waiting"
        SENT = "sent"
        DROPPED = "dropped"

    kind = models.CharField(max_length=30)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="scheduled_messages")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="scheduled"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="scheduled"
    )
    event = models.ForeignKey(
        TripEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="held"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    note = models.CharField(max_length=200, blank=True)  # why it was dropped, or moved
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["trip", "status"]),
        ]
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.trip} at {self.due_at:%Y-%m-%d %H:%M} ({self.status})"
