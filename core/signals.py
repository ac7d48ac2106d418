from django.dispatch import Signal

# Sent once per transaction that stored bookings (after commit), however many it stored (the bulk
# intake stores hundreds at once): bookings=[(Booking, created: bool), ...], in order, and
# stored=[core.bookings.StoredBooking, ...], the same with what was written (segments, trips).
bookings_saved = Signal()

# The same, sent inside that transaction before it commits: what a receiver writes is stored
# with the bookings or not at all (the timeline's check-in notice and reminder), never lost to a
# crash between the commit and an after-commit hook.
bookings_storing = Signal()

# Sent after an inbound message row was committed for the first time: inbound=InboundMessage.
inbound_stored = Signal()

# The same for many rows at once, from a webhook's windowed hand-off (core/handoff.py), whose
# rows were stored with announce=False: ids=[InboundMessage pk, ...].
inbounds_stored = Signal()

# Sent whenever an address withdrew consent (STOP): contact_point=ContactPoint, at=datetime.
contact_point_opted_out = Signal()
