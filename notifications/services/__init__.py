"""Trip events → deliveries → provider sends → statuses.

The database is the source of truth: a delivery row is saved before the provider is called,
tasks are queued after commit, a worker claims a delivery by conditional update, and a status
only ever moves to a higher rank.
"""

from notifications.services.batch import deliveries_send, follow_up, interactive_send_now
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
    BatchResult,
    SendOutcome,
    backoff_seconds,
    delivery_send,
    outbound_build,
    status_callback_url,
)
from notifications.services.status import (
    contact_point_mark_unreachable,
    deliveries_accepted,
    deliveries_mark_up_to,
    delivery_accepted,
    delivery_status_record,
)
from notifications.services.sweep import stuck_sending_after, sweep

__all__ = [
    "FREE_TEXT_KINDS",
    "HUMAN_AGENT_WINDOW",
    "MAX_ATTEMPTS",
    "BatchResult",
    "IdempotencyConflict",
    "SendOutcome",
    "backoff_seconds",
    "booking_confirmation_send",
    "contact_point_mark_unreachable",
    "deliveries_accepted",
    "deliveries_enqueue",
    "deliveries_mark_up_to",
    "deliveries_send",
    "delivery_accepted",
    "delivery_send",
    "delivery_status_record",
    "event_fan_out",
    "follow_up",
    "interactive_send_now",
    "message_create",
    "outbound_build",
    "status_callback_url",
    "stuck_sending_after",
    "sweep",
    "trip_event_publish",
]
