"""Trip events → deliveries → provider sends → statuses.

The database is the source of truth: a delivery row is saved before the provider is called,
tasks are queued after commit (enqueue.py), a worker claims a delivery by conditional update,
and a status only ever moves to a higher rank. Read top-down: events.py publishes and fans
out (in one transaction), claims.py claims under a lease, outbound.py decides what goes out,
batch.py sends (renewing the lease), status.py records, sweep.py picks up what was left behind
(a dead worker's lapsed leases within seconds).

This package's face: what the other modules and apps use.
"""

from notifications.services.batch import batch_send, deliveries_send
from notifications.services.claims import deliveries_withdraw
from notifications.services.events import (
    IdempotencyConflict,
    booking_confirmation_send,
    event_fan_out,
    message_create,
    trip_event_publish,
)
from notifications.services.outbound import (
    ReplyWindow,
    outbound_build,
    reply_window,
)
from notifications.services.status import (
    STATUS_APPLY_BATCH,
    deliveries_mark_up_to,
    delivery_accepted,
    delivery_status_record,
    status_report_astore,
    status_report_store,
    status_reports_apply,
    status_reports_waiting,
)
from notifications.services.sweep import leases_sweep, sweep
from notifications.services.timeline import (
    timeline_due_send,
    timeline_schedule,
    timeline_trip_changed,
)

__all__ = [
    "STATUS_APPLY_BATCH",
    "IdempotencyConflict",
    "ReplyWindow",
    "batch_send",
    "booking_confirmation_send",
    "deliveries_mark_up_to",
    "deliveries_send",
    "deliveries_withdraw",
    "delivery_accepted",
    "delivery_status_record",
    "event_fan_out",
    "message_create",
    "outbound_build",
    "reply_window",
    "status_report_astore",
    "status_report_store",
    "status_reports_apply",
    "status_reports_waiting",
    "sweep",
    "leases_sweep",
    "timeline_due_send",
    "timeline_schedule",
    "timeline_trip_changed",
    "trip_event_publish",
]
