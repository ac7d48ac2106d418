"""The trip's own timeline: check-in opens, the departure-day reminder, and what quiet hours held.

Each is a ScheduledMessage row with a due time (models.py). timeline_schedule makes or moves a
booking's rows; timeline_trip_changed moves or drops them when the trip changes; a periodic
task runs timeline_due_send, which turns the rows whose time has come into deliveries, once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from core import rollout
from core.airports import is_rail_station, local_time
from core.bookings import StoredBooking, stored_last
from core.bulk import rows_insert
from core.models import Booking, Customer, Formality, Passenger, Segment, Trip
from notifications import enqueue, rendering
from notifications.models import (
    Delivery,
    DeliveryStatus,
    Lane,
    MessageKind,
    ScheduledMessage,
    TripEvent,
)
from notifications.quiet import outside_quiet
from notifications.selectors import one_per_person, trip_attachment
from notifications.services.events import booking_confirmation_create, message_create

log = logging.getLogger(__name__)

CHECK_IN = "check_in_open"
REMINDER = "departure_reminder"
CONFIRMATION = "booking_confirmation"
# Check-in closes about this long before departure: a notice later than that is pointless.
CHECK_IN_CLOSES = timedelta(minutes=60)
# A reminder closer to departure than this is no longer a reminder.
REMINDER_LATEST = timedelta(minutes=30)
OVER = {Trip.Status.DEPARTED, Trip.Status.ARRIVED, Trip.Status.CANCELLED, Trip.Status.DIVERTED}
BATCH = 500
# Due at the same moment (the end of the night), they go in the order a traveller expects.
_ORDER = Case(
    When(kind=CONFIRMATION, then=Value(0)),
    When(kind=CHECK_IN, then=Value(1)),
    When(kind=REMINDER, then=Value(3)),
    default=Value(2),  # a held trip event
    output_field=IntegerField(),
)


def is_train(trip: Trip) -> bool:
    return is_rail_station(trip.origin) and is_rail_station(trip.destination)


def check_in_hours(trip: Trip) -> float | None:
    """When check-in opens before departure for this carrier (TIMELINE_CHECK_IN_HOURS)."""
    if is_train(trip):
        return None  # trains have no check-in
    hours = settings.TIMELINE_CHECK_IN_HOURS
    service = trip.service.upper()
    for carrier in sorted((c for c in hours if c != "*"), key=len, reverse=True):
        if service.startswith(carrier):
            return hours[carrier] or None
    return hours.get("*") or None


def _due(kind: str, trip: Trip, now: datetime) -> datetime | None:
    """When a timeline message about `trip` is due, moved out of the night; None: not at all."""
    if kind == CHECK_IN:
        hours = check_in_hours(trip)
        if hours is None:
            return None
        due = trip.scheduled_departure - timedelta(hours=hours)
        latest = trip.departure - CHECK_IN_CLOSES - timedelta(hours=1)
    else:
        hours = settings.TIMELINE_REMINDER_HOURS
        if not hours:
            return None
        due = trip.departure - timedelta(hours=hours)
        latest = trip.departure - timedelta(hours=1)
    return outside_quiet(due, trip.origin, latest=latest, now=now)


def _key(kind: str, trip: Trip, customer_id: int) -> str:
    return f"timeline:{kind}:trip:{trip.pk}:customer:{customer_id}"


def timeline_schedule(
    *,
    bookings: list[Booking],
    now: datetime | None = None,
    stored: list[StoredBooking] | None = None,
) -> int:
    """Make (or move) the check-in notice and departure reminder of each passenger and trip of
    these bookings; returns how many rows were made.

    The queries do not grow with the bookings or passengers (a bulk request of hundreds of
    bookings reads and writes its rows in a handful): the rollout's plans and one read of the
    segments with their trips and passengers (neither when `stored`, what the bookings' batch
    wrote with their offers, core.bookings.StoredBooking, is given), one of the rows already
    there (none when they are all for people these bookings made), one insert,
    and one update for the rows that moved (a statement per TIMELINE_WRITE_BATCH rows).
    A passenger who comes again later in the list (the same person on two bookings of the same
    trip) is scheduled as the later booking says, as when the bookings are stored one by one.
    """
    now = now or timezone.now()
    wanted: dict[str, dict] = {}
    for booking, trip, customer_ids in _timeline_segments(bookings, stored):
        if trip.status in OVER:
            continue
        dues = {kind: _due(kind, trip, now) for kind in (CHECK_IN, REMINDER)}
        for customer_id in customer_ids:
            for kind, due in dues.items():
                if due is not None:
                    wanted[_key(kind, trip, customer_id)] = {
                        "kind": kind,
                        "trip": trip,
                        "customer_id": customer_id,
                        "booking": booking,
                        "due_at": due,
                    }
    if not wanted:
        return 0
    new_people = frozenset().union(*(s.new_people for s in stored)) if stored else frozenset()
    there = ScheduledMessage.objects.filter(dedupe_key__in=list(wanted)).values_list(
        "pk", "dedupe_key", "status", "due_at", "booking_id"
    )
    if all(row["customer_id"] in new_people for row in wanted.values()):
        there = []  # people made by these bookings: nothing of theirs is scheduled yet
    seen, moved = set(), []
    for pk, key, status, due_at, booking_id in there:
        seen.add(key)
        row = wanted[key]
        if status == ScheduledMessage.Status.WAITING and (
            due_at != row["due_at"] or booking_id != row["booking"].pk
        ):
            moved.append((pk, row))
    for start in range(0, len(moved), TIMELINE_WRITE_BATCH):
        _rows_move(moved[start : start + TIMELINE_WRITE_BATCH])
    made = [
        {
            "dedupe_key": key,
            "kind": row["kind"],
            "trip_id": row["trip"].pk,
            "customer_id": row["customer_id"],
            "booking_id": row["booking"].pk,
            "due_at": row["due_at"],
        }
        for key, row in wanted.items()
        if key not in seen
    ]
    # One statement; a row made at the same moment by another request is skipped: that one counts.
    rows_insert(ScheduledMessage, made)
    return len(made)


# Rows moved by one UPDATE: a CASE of this many branches each.
TIMELINE_WRITE_BATCH = 500


def _timeline_segments(bookings: list[Booking], stored: list[StoredBooking] | None):
    """(booking, trip, customer ids) for each segment, in the order of the bookings (a booking
    that comes twice at its last place) and then of the segments; the staged rollout's hold-out
    left out (no notice, no reminder)."""
    order = {booking.pk: index for index, booking in enumerate(bookings)}
    if stored is not None:
        last = stored_last(stored)
        held = {pk for pk, s in last.items() if s.offer.holdout}
        for pk in sorted(last, key=order.__getitem__):
            if pk not in held:
                for seg in last[pk].segments:
                    yield last[pk].booking, seg.trip, [p.customer_id for p in seg.passengers]
        return
    held = rollout.held_out([booking.pk for booking in bookings])
    segments = (
        Segment.objects.filter(booking__in=bookings)
        .exclude(booking_id__in=held)
        .select_related("trip", "booking")
        .prefetch_related("passengers")
    )
    for segment in sorted(segments, key=lambda s: (order[s.booking_id], s.position, s.pk)):
        yield segment.booking, segment.trip, [p.customer_id for p in segment.passengers.all()]


def _rows_move(moved: list[tuple[int, dict]]) -> None:
    """Move waiting rows to their new due time and booking, in one statement; a row sent or
    dropped meanwhile stays as it is."""
    table = ScheduledMessage._meta.db_table
    if connection.vendor == "postgresql":
        # The rows' new values as arrays: Django's CASE of a branch per row costs more to build
        # than the bookings of the batch cost to store.
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS m SET due_at = v.due_at, booking_id = v.booking_id '
                "FROM unnest(%s::bigint[], %s::timestamptz[], %s::bigint[]) "
                "AS v(id, due_at, booking_id) WHERE m.id = v.id AND m.status = %s",
                [
                    [pk for pk, _ in moved],
                    [row["due_at"] for _, row in moved],
                    [row["booking"].pk for _, row in moved],
                    ScheduledMessage.Status.WAITING,
                ],
            )
        return
    due_at = ScheduledMessage._meta.get_field("due_at")
    booking = ScheduledMessage._meta.get_field("booking")
    ScheduledMessage.objects.filter(
        pk__in=[pk for pk, _ in moved], status=ScheduledMessage.Status.WAITING
    ).update(
        due_at=Case(
            *[When(pk=pk, then=Value(row["due_at"], output_field=due_at)) for pk, row in moved],
            output_field=due_at,
        ),
        booking_id=Case(
            *[
                When(pk=pk, then=Value(row["booking"].pk, output_field=booking))
                for pk, row in moved
            ],
            output_field=booking,
        ),
    )


def timeline_trip_changed(*, trip: Trip, event_type: str, now: datetime | None = None) -> None:
    """A trip event moves the messages still waiting, or drops what no longer makes sense."""
    now = now or timezone.now()
    waiting = ScheduledMessage.objects.filter(
        trip=trip, status=ScheduledMessage.Status.WAITING, customer__isnull=False
    )
    if trip.status in OVER:
        _drop(waiting.exclude(kind=CONFIRMATION), f"the trip is {trip.status}", now)
        return
    if event_type == "check_in_open":
        # The airline's own notice counts; ours would only repeat it.
        _drop(waiting.filter(kind=CHECK_IN), "the airline posted check_in_open", now)
    if event_type in ("delayed", "schedule_changed", "check_in_open"):
        for kind in (CHECK_IN, REMINDER):
            due = _due(kind, trip, now)
            if due is not None:
                waiting.filter(kind=kind).update(due_at=due, note=f"moved by {event_type}")


def _drop(rows, note: str, now: datetime) -> int:
    return rows.update(status=ScheduledMessage.Status.DROPPED, note=note[:200], done_at=now)


def timeline_due_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send the rows whose time has come, each once; run by a periodic task.

    Reminders go in a second transaction, after the check-in notices and released events of
    the same moment have been committed (and so fanned out): a traveller reads them in order.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "dropped": 0}
    for reminders in (False, True):
        with transaction.atomic():
            rows = (
                ScheduledMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ScheduledMessage.Status.WAITING, due_at__lte=now)
                .select_related("trip", "customer", "booking", "event__trip")
            )
            rows = rows.filter(kind=REMINDER) if reminders else rows.exclude(kind=REMINDER)
            for row in rows.order_by("due_at", _ORDER, "created_at")[:BATCH]:
                delivery, note = _send(row, now)
                row.status = (
                    ScheduledMessage.Status.DROPPED if note else ScheduledMessage.Status.SENT
                )
                row.note, row.delivery, row.done_at = note[:200], delivery, now
                row.save(update_fields=["status", "note", "delivery", "done_at"])
                counts["dropped" if note else "sent"] += 1
    return counts


def _send(row: ScheduledMessage, now: datetime) -> tuple[Delivery | None, str]:
    """The delivery for a due row, or why nothing goes (the row is then dropped)."""
    if row.event_id:
        # Released: fanned out by its own task (and by the sweep, should that task be lost).
        TripEvent.objects.filter(pk=row.event_id).update(fanned_out_at=None)
        enqueue.fan_out_after_commit(row.event_id)
        return None, ""
    if row.booking_id and row.booking_id in rollout.held_out([row.booking_id]):
        return None, "held out of the staged rollout"
    if row.kind == CONFIRMATION:
        passenger = _passenger(row)
        if passenger is None:
            return None, "no longer on the booking"
        trips = [s.trip for s in row.booking.segments.filter(passengers=passenger)]
        delivery = booking_confirmation_create(
            booking=row.booking, passenger=passenger, trips=trips
        )
        return delivery, "" if delivery else "no channel to send it on"
    trip = row.trip
    if trip.status in OVER:
        return None, f"the trip is {trip.status}"
    cp = _contact_point(row.customer, trip)
    if cp is None:
        return None, "not travelling on the trip, or no channel to send it on"
    if row.kind == CHECK_IN:
        return _check_in(row, trip, cp, now)
    return _reminder(row, trip, cp, now)


def _passenger(row: ScheduledMessage) -> Passenger | None:
    return row.booking.passengers.filter(customer=row.customer).select_related("customer").first()


def _contact_point(customer: Customer, trip: Trip):
    """The person's best channel, if they still travel on the trip (one_per_person's choice)."""
    travelling = Passenger.objects.filter(customer=customer, segments__trip=trip).exists()
    if not travelling:
        return None
    rows = customer.contact_points.filter(opted_in=True, unreachable_at__isnull=True).values(
        "id", "customer_id", "channel", "last_inbound_at"
    )
    best = one_per_person(rows).get(customer.pk)
    return customer.contact_points.get(pk=best["id"]) if best else None


def _check_in(row, trip: Trip, cp, now: datetime) -> tuple[Delivery | None, str]:
    if trip.departure - now < CHECK_IN_CLOSES:
        return None, "check-in has closed"
    if TripEvent.objects.filter(trip=trip, type="check_in_open").exists():
        return None, "the airline posted check_in_open"
    told = Delivery.objects.filter(
        trip=trip, customer=row.customer, kind=MessageKind.CHECK_IN_OPEN
    ).exclude(status__in=[DeliveryStatus.FAILED, DeliveryStatus.SUPERSEDED])
    if told.exists():
        return None, "told already"
    url = (row.booking.check_in_url if row.booking else "") or trip.check_in_url
    context = rendering.trip_context(
        trip=trip, customer=row.customer, data={"check_in_url": url} if url else {}
    )
    delivery = message_create(
        contact_point=cp,
        kind=MessageKind.CHECK_IN_OPEN,
        lane=Lane.BULK,
        booking=row.booking,
        trip=trip,
        dedupe_key=row.dedupe_key,
        context=context,
    )
    return delivery, ""


_WORDS = {
    "nl": {
        "flight": "vlucht {service}",
        "train": "trein {service}",
        "today": "vandaag om {time}",
        "tomorrow": "morgen om {time}",
        "on": "op {date} om {time}",
        "terminal_gate": "U vertrekt vanaf terminal {terminal}, gate {gate}.",
        "terminal_gate_informal": "Je vertrekt vanaf terminal {terminal}, gate {gate}.",
        "gate": "U vertrekt vanaf gate {gate}.",
        "gate_informal": "Je vertrekt vanaf gate {gate}.",
        "terminal": "U vertrekt vanaf terminal {terminal}; de gate ziet u op de schermen.",
        "terminal_informal": (
            "Je vertrekt vanaf terminal {terminal}; de gate zie je op de schermen."
        ),
        "no_gate": "De gate ziet u op de schermen op het vliegveld.",
        "no_gate_informal": "De gate zie je op de schermen op het vliegveld.",
        "platform": "De trein vertrekt van spoor {gate}.",
        "no_platform": "Het spoor ziet u op de borden op het station.",
        "no_platform_informal": "Het spoor zie je op de borden op het station.",
    },
    "en": {
        "flight": "flight {service}",
        "train": "train {service}",
        "today": "today at {time}",
        "tomorrow": "tomorrow at {time}",
        "on": "on {date} at {time}",
        "terminal_gate": "You depart from terminal {terminal}, gate {gate}.",
        "gate": "You depart from gate {gate}.",
        "terminal": "You depart from terminal {terminal}; check the screens for your gate.",
        "no_gate": "Check the screens at the airport for your gate.",
        "platform": "The train leaves from platform {gate}.",
        "no_platform": "Check the boards at the station for your platform.",
    },
}


def _word(customer: Customer, key: str, **kw) -> str:
    words = _WORDS[customer.language if customer.language in _WORDS else "en"]
    if customer.formality == Formality.INFORMAL and f"{key}_informal" in words:
        key = f"{key}_informal"
    return words[key].format(**kw)


def reminder_context(*, trip: Trip, customer: Customer, now: datetime) -> dict[str, str]:
    """The reminder's words: which trip, when ("vandaag om 10:15"), where (terminal, gate)."""
    lang = customer.language if customer.language in _WORDS else "en"
    departure = local_time(trip.departure, trip.origin)
    days = (departure.date() - local_time(now, trip.origin).date()).days
    time = departure.strftime("%H:%M")
    when = {0: "today", 1: "tomorrow"}.get(days, "on")
    train = is_train(trip)
    if train:
        where = (
            _word(customer, "platform", gate=trip.gate)
            if trip.gate
            else _word(customer, "no_platform")
        )
    elif trip.gate and trip.terminal:
        where = _word(customer, "terminal_gate", terminal=trip.terminal, gate=trip.gate)
    elif trip.gate:
        where = _word(customer, "gate", gate=trip.gate)
    elif trip.terminal:
        where = _word(customer, "terminal", terminal=trip.terminal)
    else:
        where = _word(customer, "no_gate")
    return {
        "trip": _word(customer, "train" if train else "flight", service=trip.service),
        "destination": rendering.city(trip.arrival_airport, lang),
        "when": _word(
            customer, when, time=time, date=rendering.day(trip.departure, trip.origin, lang)
        ),
        "where": where,
    }


def _reminder(row, trip: Trip, cp, now: datetime) -> tuple[Delivery | None, str]:
    if trip.departure - now < REMINDER_LATEST:
        return None, "too close to departure"
    context = reminder_context(trip=trip, customer=row.customer, now=now)
    attachment = trip_attachment(trip=trip, customer=row.customer)
    kind, media = MessageKind.DEPARTURE_REMINDER, {}
    if attachment is not None:
        kind = MessageKind.DEPARTURE_REMINDER_DOCUMENT
        lang = row.customer.language if row.customer.language in attachment.names else "en"
        context["document"] = attachment.names[lang]
        media = {"media_url": attachment.url, "media_content_type": attachment.content_type}
    delivery = message_create(
        contact_point=cp,
        kind=kind,
        lane=Lane.BULK,
        booking=row.booking,
        trip=trip,
        dedupe_key=row.dedupe_key,
        context=context,
        **media,
    )
    if attachment is not None:
        attachment.record(delivery)
    return delivery, ""
