from django.dispatch import Signal

# Sent once per transaction that stored bookings (after commit), however many it stored (the bulk
# intake stores hundreds at once): bookings=[(Booking, created: bool), ...], in order.
bookings_saved = Signal()

# Sent after an inbound message row was committed for the first time: inbound=InboundMessage.
inbound_stored = Signal()

# Sent whenever an address withdrew consent (STOP): contact_point=ContactPoint, at=datetime.
contact_point_opted_out = Signal()
