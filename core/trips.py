"""A trip's life: which events may follow which status, which event times are plausible, what
a departure delay implies for the arrival, and which trip is a person's current one. The one
place these rules live."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.airports import local_time
from core.models import Customer, Trip

EVENT_TYPES = (
    "check_in_open",
    "gate_changed",
    "boarding",
    "delayed",
    "departed",
    "arrived",
    "cancelled",
    "diverted",
    "schedule_changed",
)

# The state machine: the trip's status → the events that may still follow it. Before departure
# anything may happen; once in the air only a corrected departure and the landing; after landing
# or a cancellation only a repeat of that event (a corrected time, a belt, a rebooking link).
NEXT_EVENTS: dict[str, frozenset[str]] = {
    Trip.Status.SCHEDULED: frozenset(EVENT_TYPES),
    Trip.Status.CHECK_IN_OPEN: frozenset(EVENT_TYPES),
    Trip.Status.DELAYED: frozenset(EVENT_TYPES),
    Trip.Status.BOARDING: frozenset(EVENT_TYPES),
    Trip.Status.DEPARTED: frozenset({"departed", "arrived", "diverted"}),
    Trip.Status.DIVERTED: frozenset({"departed", "arrived", "diverted"}),
    Trip.Status.ARRIVED: frozenset({"arrived"}),
    Trip.Status.CANCELLED: frozenset({"cancelled"}),
}

# Events that say why the trip stands as it does; any other reason is stale once they happen.
REASON_EVENTS = frozenset(
    {"delayed", "departed", "arrived", "cancelled", "diverted", "schedule_changed"}
)

_TIME_FIELDS = ("estimated_departure", "actual_departure", "estimated_arrival", "actual_arrival")
_SCHEDULE_FIELDS = ("scheduled_departure", "scheduled_arrival")


class TripEventRefused(Exception):
    """An event the trip's life or its times rule out; `errors` are (field, message) pairs."""

    status = 400

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))
        self.errors = errors


class TripStateConflict(TripEventRefused):
    """The event cannot follow the trip's current status (409)."""

    status = 409


def parse_times(data: dict) -> dict:
    """The event's data with its times as datetimes (callers may pass ISO strings)."""
    return {
        name: parse_datetime(value)
        if name in _TIME_FIELDS + _SCHEDULE_FIELDS and isinstance(value, str)
        else value
        for name, value in data.items()
    }


def event_check(*, trip: Trip, type: str, data: dict) -> None:
    """Raise TripStateConflict or TripEventRefused when the event cannot happen to this trip."""
    allowed = NEXT_EVENTS[Trip.Status(trip.status)]
    if type not in allowed:
        raise TripStateConflict(
            [
                (
                    "type",
                    f"the trip {trip.key} is {trip.status}: a {type} event can no longer follow "
                    f"(accepted now: {', '.join(e for e in EVENT_TYPES if e in allowed)})",
                )
            ]
        )
    errors = _time_problems(trip=trip, data=data)
    if type == "schedule_changed":
        errors += _schedule_problems(trip=trip, data=data)
    if type == "diverted" and data.get("destination") == trip.arrival_airport:
        errors.append(("destination", f"the trip already lands at {trip.arrival_airport}"))
    if errors:
        raise TripEventRefused(errors)


def _iso(moment: datetime, airport: str) -> str:
    return local_time(moment, airport).isoformat()


def _time_problems(*, trip: Trip, data: dict) -> list[tuple[str, str]]:
    early = timedelta(minutes=settings.TRIP_EARLIEST_DEPARTURE_MARGIN_MINUTES)
    late = timedelta(hours=settings.TRIP_LATEST_DELAY_HOURS)
    scheduled = {"departure": trip.scheduled_departure, "arrival": trip.scheduled_arrival}
    errors = []
    for name in ("estimated_departure", "actual_departure"):
        moment = data.get(name)
        if moment and moment < trip.scheduled_departure - early:
            errors.append(
                (
                    name,
                    f"must not be more than {int(early.total_seconds() // 60)} minutes before "
                    f"the scheduled departure ({_iso(trip.scheduled_departure, trip.origin)})",
                )
            )
    for name in _TIME_FIELDS:
        moment, which = data.get(name), name.rsplit("_", 1)[1]
        if moment and moment > scheduled[which] + late:
            airport = trip.origin if which == "departure" else trip.destination
            errors.append(
                (
                    name,
                    f"must not be more than {int(late.total_seconds() // 3600)} hours after "
                    f"the scheduled {which} ({_iso(scheduled[which], airport)})",
                )
            )
    departure = data.get("actual_departure") or data.get("estimated_departure") or trip.departure
    for name in ("estimated_arrival", "actual_arrival"):
        moment = data.get(name)
        if moment and moment <= departure:
            errors.append((name, f"must be after the departure ({_iso(departure, trip.origin)})"))
    return errors


def _schedule_problems(*, trip: Trip, data: dict) -> list[tuple[str, str]]:
    """A new schedule keeps the trip's day (the trip key names it) and lands after it leaves."""
    departure = data.get("scheduled_departure")
    arrival = data.get("scheduled_arrival") or new_schedule(trip=trip, data=data)[1]
    errors = []
    if departure and local_time(departure, trip.origin).date() != trip.local_date:
        errors.append(
            (
                "scheduled_departure",
                f"moves the departure off {trip.local_date.isoformat()} (local time at "
                f"{trip.origin}); a trip on another day is another trip: book it as such",
            )
        )
    if departure and arrival and arrival <= departure:
        errors.append(("scheduled_arrival", "must be after the new scheduled_departure"))
    return errors


def new_schedule(*, trip: Trip, data: dict) -> tuple[datetime, datetime]:
    """The times a schedule_changed event sets: without a new arrival the flight time stays."""
    departure = data["scheduled_departure"]
    arrival = data.get("scheduled_arrival")
    if arrival is None:
        arrival = trip.scheduled_arrival + (departure - trip.scheduled_departure)
    return departure, arrival


def event_facts(*, trip: Trip, type: str, data: dict) -> dict[str, str]:
    """What the stored event also says, as known before it changes the trip: the arrival a moved
    departure implies, and the times a schedule change replaces (for "was 09:00")."""
    facts = {}
    implied = implied_arrival(trip=trip, type=type, data=data)
    if implied is not None:
        facts["estimated_arrival"] = implied.isoformat()
    if type == "schedule_changed":
        _, arrival = new_schedule(trip=trip, data=data)
        facts["scheduled_arrival"] = arrival.isoformat()
        facts["previous_departure"] = trip.scheduled_departure.isoformat()
        facts["previous_arrival"] = trip.scheduled_arrival.isoformat()
    return facts


def implied_arrival(*, trip: Trip, type: str, data: dict) -> datetime | None:
    """A departure that moves without a new arrival moves the expected arrival by as much."""
    if type not in ("delayed", "departed") or data.get("estimated_arrival"):
        return None
    departure = data.get("actual_departure") or data.get("estimated_departure")
    if departure is None or trip.actual_arrival:
        return None
    return trip.arrival + (departure - trip.departure)


# --- The current trip -------------------------------------------------------------------------

# A trip still counts as current for a while after it landed: that is when people ask about bags.
STILL_CURRENT_AFTER_ARRIVAL = timedelta(hours=12)


def customer_trips(customer: Customer) -> QuerySet[Trip]:
    """The trips a person travels on, each annotated with when it `ends` (its best arrival)."""
    return (
        Trip.objects.filter(segments__passengers__customer=customer)
        .annotate(ends=Coalesce("actual_arrival", "estimated_arrival", "scheduled_arrival"))
        .distinct()
    )


def trip_current_or_next(*, customer: Customer, now: datetime | None = None) -> Trip | None:
    """The trip the person is on now (or landed on lately), or else the next one they booked."""
    now = now or timezone.now()
    return (
        customer_trips(customer)
        .filter(ends__gte=now - STILL_CURRENT_AFTER_ARRIVAL)
        .order_by("scheduled_departure")
        .first()
    )


def current_trip(*, trips: list[Trip], now: datetime) -> Trip | None:
    """The trip people mean: in the air, else the next one, else the one that just landed."""
    recent = [t for t in trips if t.arrival >= now - STILL_CURRENT_AFTER_ARRIVAL]
    flying = [t for t in recent if t.status == Trip.Status.DEPARTED]
    coming = sorted(
        (t for t in recent if t.status != Trip.Status.ARRIVED), key=lambda t: t.departure
    )
    landed = sorted(
        (t for t in recent if t.status == Trip.Status.ARRIVED),
        key=lambda t: t.arrival,
        reverse=True,
    )
    return (flying or coming or landed or [None])[0]
