"""One small form per trip event type, as the operator panel shows them.

Times are typed as the clock at the airport shows them (departures at the origin, arrivals at
the destination) and stored as aware datetimes.
"""

from datetime import UTC, datetime, timedelta

from django import forms
from django.utils import timezone

from core.airports import airport_timezone, local_time
from core.models import Channel, ContactPoint, Passenger, Trip
from core.phone import InvalidPhoneNumber, to_e164

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalTimeField(forms.DateTimeField):
    """A datetime-local input read in one airport's time zone (set per form instance)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, *, airport_side: str, **kwargs) -> None:
        super().__init__(input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], **kwargs)
        self.airport_side = airport_side  # "origin" or "destination"
        self.tz = UTC

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        naive = timezone.make_naive(parsed) if timezone.is_aware(parsed) else parsed
        return naive.replace(tzinfo=self.tz)


class TripEventForm(forms.Form):
    type: str = ""
    label: str = ""
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def __init__(self, *args, trip: Trip, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trip = trip
        for field in self.fields.values():
            if isinstance(field, LocalTimeField):
                airport = trip.origin if field.airport_side == "origin" else trip.destination
                field.tz = airport_timezone(airport) or UTC
                field.help_text = f"local time at {airport}"

    def event_data(self) -> dict:
        """The event's fields without empty values: parsed (for the trip) and as JSON (payload)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "idempotency_key" and value not in (None, "")
        }


def _local(moment: datetime, airport: str) -> str:
    return local_time(moment, airport).strftime(LOCAL_FORMAT)


class CheckInOpenForm(TripEventForm):
    type, label = "check_in_open", "Check-in open"
    check_in_url = forms.URLField(required=False, assume_scheme="https", label="Check-in link")


class GateChangedForm(TripEventForm):
    type, label = "gate_changed", "Gate changed"
    gate = forms.CharField(max_length=10)
    terminal = forms.CharField(max_length=10, required=False)


class BoardingForm(TripEventForm):
    type, label = "boarding", "Boarding"
    gate = forms.CharField(max_length=10, required=False)


class DelayedForm(TripEventForm):
    type, label = "delayed", "Delayed"
    estimated_departure = LocalTimeField(airport_side="origin", label="New departure")
    estimated_arrival = LocalTimeField(
        airport_side="destination", required=False, label="New arrival"
    )
    reason = forms.CharField(max_length=300, required=False)


class DepartedForm(TripEventForm):
    type, label = "departed", "Departed"
    actual_departure = LocalTimeField(airport_side="origin", label="Departed at")
    estimated_arrival = LocalTimeField(
        airport_side="destination", required=False, label="Expected arrival"
    )


class ArrivedForm(TripEventForm):
    type, label = "arrived", "Arrived"
    actual_arrival = LocalTimeField(airport_side="destination", label="Landed at")
    baggage_belt = forms.CharField(max_length=10, required=False, label="Baggage belt")


class CancelledForm(TripEventForm):
    type, label = "cancelled", "Cancelled"
    reason = forms.CharField(max_length=300, required=False)
    rebooking_url = forms.URLField(required=False, assume_scheme="https", label="Rebooking link")


class DivertedForm(TripEventForm):
    type, label = "diverted", "Diverted"
    destination = forms.RegexField(
        regex=r"^[A-Za-z]{3}$", label="Now lands at", help_text="airport code, e.g. BRU"
    )
    estimated_arrival = LocalTimeField(
        airport_side="destination", required=False, label="Expected arrival"
    )
    reason = forms.CharField(max_length=300, required=False)

    def clean_destination(self) -> str:
        return self.cleaned_data["destination"].upper()


class ScheduleChangedForm(TripEventForm):
    type, label = "schedule_changed", "New schedule"
    scheduled_departure = LocalTimeField(airport_side="origin", label="New departure")
    scheduled_arrival = LocalTimeField(
        airport_side="destination", required=False, label="New arrival"
    )
    reason = forms.CharField(max_length=300, required=False)


EVENT_FORMS: dict[str, type[TripEventForm]] = {
    f.type: f
    for f in (
        CheckInOpenForm,
        GateChangedForm,
        BoardingForm,
        DelayedForm,
        DepartedForm,
        ArrivedForm,
        CancelledForm,
        DivertedForm,
        ScheduleChangedForm,
    )
}


def initial_values(trip: Trip, idempotency_key: str) -> dict:
    """Sensible defaults so a demo needs one click: a 45-minute delay, departed and landed on time.

    The trip's own times, not now: a demo trip leaves hours from now, and a departure that much
    before the schedule is refused as implausible (core/trips.py).
    """
    delay = trip.departure + timedelta(minutes=45)
    return {
        "idempotency_key": idempotency_key,
        "estimated_departure": _local(delay, trip.origin),
        "actual_departure": _local(trip.departure, trip.origin),
        "actual_arrival": _local(trip.arrival, trip.destination),
        "scheduled_departure": _local(trip.scheduled_departure + timedelta(hours=1), trip.origin),
        "reason": "",
    }


class PhoneMessageForm(forms.Form):
    text = forms.CharField(max_length=1600, strip=True, widget=forms.Textarea(attrs={"rows": 1}))


class LinkOpenForm(forms.Form):
    ref = forms.CharField(max_length=200, strip=True, label="Link code")


class WhatsAppNumberForm(forms.Form):
    """The number a traveller sends their own opt-in code from: new, or one already theirs."""

    number = forms.CharField(max_length=32, strip=True, label="WhatsApp number")

    def __init__(self, *args, passenger: Passenger, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.passenger = passenger

    def clean_number(self) -> str:
        try:
            number = to_e164(self.cleaned_data["number"])
        except InvalidPhoneNumber as exc:
            raise forms.ValidationError(str(exc)) from exc
        known = ContactPoint.objects.filter(channel=Channel.WHATSAPP, address=number)
        others = known.exclude(customer_id=self.passenger.customer_id)
        owner = others.select_related("customer").first()
        if owner is not None:
            # Opening the link from it would make them one person with the traveller (the contract).
            name = owner.customer.full_name or owner.profile_name or "someone else"
            raise forms.ValidationError(
                f"{number} is {name}'s number already; use a new number or one of "
                f"{self.passenger.given_name}'s own"
            )
        return number
