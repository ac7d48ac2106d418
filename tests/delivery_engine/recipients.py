"""Many opted-in travellers on one trip, inserted in bulk (tests and bench/fanout.py)."""

from datetime import timedelta

from django.utils import timezone

from core.models import Booking, ContactPoint, Customer, Passenger, Segment, Trip
from tests import clock

DEPARTURE = clock.DEPARTURE  # 09:00 in Amsterdam, tomorrow


def phone(i: int) -> str:
    return f"+316{20000000 + i}"


def recipients_load(
    *, n: int, trip_key: str = clock.TRIP, reference: str = "GROUP1", first: int = 0
) -> Trip:
    """n travellers (WhatsApp, opted in, window closed) on one booking of the trip."""
    service, day = trip_key.split("/")
    trip, _ = Trip.objects.get_or_create(
        service=service,
        local_date=day,
        defaults={
            "origin": "AMS",
            "destination": "LHR",
            "scheduled_departure": DEPARTURE,
            "scheduled_arrival": DEPARTURE + timedelta(hours=1, minutes=20),
        },
    )
    now = timezone.now()
    customers = Customer.objects.bulk_create(
        [
            Customer(given_name=f"Reiziger{i}", family_name="Jansen", language="nl")
            for i in range(first, first + n)
        ]
    )
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                customer=c,
                channel="whatsapp",
                address=phone(first + k),
                opted_in=True,
                opted_in_at=now,
                opt_in_source="test",
            )
            for k, c in enumerate(customers)
        ]
    )
    booking = Booking.objects.create(reference=reference)
    passengers = Passenger.objects.bulk_create(
        [
            Passenger(
                booking=booking,
                pax_id=f"P{k}",
                given_name=c.given_name,
                family_name=c.family_name,
                language="nl",
                customer=c,
            )
            for k, c in enumerate(customers)
        ]
    )
    segment = Segment.objects.create(booking=booking, trip=trip)
    segment.passengers.add(*passengers)
    return trip
