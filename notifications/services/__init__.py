"""Trip events → deliveries → provider sends → statuses.

The database is the source of truth: a delivery row is saved before the provider is called,
tasks are queued after commit, a worker claims a delivery by conditional update, and a status
only ever moves to a higher rank.
"""

from notifications.services.events import (
    IdempotencyConflict,
    booking_confirmation_send,
    deliveries_enqueue,
    event_fan_out,
    message_create,
    trip_event_publish,
)
from notifications.services.sending import (
    FREE_TEXT_KINDS,
    HUMAN_AGENT_WINDOW,
    MAX_ATTEMPTS,
    SendOutcome,
    backoff_seconds,
    delivery_send,
    outbound_build,
    status_callback_url,
)
from notifications.services.status import (
    contact_point_mark_unreachable,
    deliveries_mark_up_to,
    delivery_accepted,
    delivery_status_record,
)
from notifications.services.sweep import STUCK_SENDING_AFTER, sweep

__all__ = [
    "FREE_TEXT_KINDS",
    "HUMAN_AGENT_WINDOW",
    "MAX_ATTEMPTS",
    "STUCK_SENDING_AFTER",
    "IdempotencyConflict",
    "SendOutcome",
    "backoff_seconds",
    "booking_confirmation_send",
    "contact_point_mark_unreachable",
    "deliveries_enqueue",
    "deliveries_mark_up_to",
    "delivery_accepted",
    "delivery_send",
    "delivery_status_record",
    "event_fan_out",
    "message_create",
    "outbound_build",
    "status_callback_url",
    "sweep",
    "trip_event_publish",
]
