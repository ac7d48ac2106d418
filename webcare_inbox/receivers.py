from django.dispatch import receiver

from core.signals import inbound_stored, inbounds_stored
from notifications.signals import delivery_updated, event_deliveries_updated, trip_event_published
from webcare_inbox import realtime
from webcare_inbox.services import message_delivery_updated
from webcare_inbox.tasks import inbound_process, inbounds_process


@receiver(inbound_stored)
def process_inbound(sender, inbound, **kwargs):
    """Sent after commit: the row is there for the worker to claim."""
    inbound_process.apply_async(args=[str(inbound.pk)], queue="interactive")


@receiver(inbounds_stored)
def process_inbounds(sender, ids, **kwargs):
    """A webhook's window of messages (core/handoff.py): one task, in the order they came."""
    inbounds_process.apply_async(args=[ids], queue="interactive")


@receiver(delivery_updated)
def tick_message(sender, delivery, **kwargs):
    message_delivery_updated(delivery=delivery)


@receiver(event_deliveries_updated)
def show_notifications(sender, delivery_ids, contact_point_ids=None, **kwargs):
    realtime.notifications_changed(delivery_ids=delivery_ids, contact_point_ids=contact_point_ids)


@receiver(trip_event_published)
def refresh_trip(sender, trip, **kwargs):
    realtime.trip_updated(trip=trip)
