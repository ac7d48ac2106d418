from django.dispatch import Signal

# Sent after commit whenever a delivery's status moved: delivery=Delivery.
delivery_updated = Signal()

# Sent after commit when a batch of trip-event deliveries moved (accepted or failed by the
# provider): delivery_ids=list, and contact_point_ids=list, the addresses they went to. One signal
# per batch, so a fan-out to thousands stays cheap.
event_deliveries_updated = Signal()

# Sent after commit when a trip event was accepted and applied to the trip:
# trip=Trip, event=TripEvent.
trip_event_published = Signal()
