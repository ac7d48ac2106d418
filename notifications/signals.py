from django.dispatch import Signal

# Sent after commit whenever a delivery's status moved: delivery=Delivery.
delivery_updated = Signal()
