"""Trip events → one delivery per person; single messages (replies, confirmations)."""

import random

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import rollout
from core.models import Booking, ContactPoint, Trip
from core.services import trip_apply_event
from core.trips import event_check, event_facts, parse_times
from notifications import enqueue, rendering
from notifications.models import Delivery, DeliveryStatus, Lane, MessageKind, TripEvent
from notifications.selectors import trip_recipient_contact_points
from notifications.services.bulk import deliveries_insert
from notifications.services.claims import event_supersede_older
from notifications.services.holds import confirmation_hold, event_hold
from notifications.signals import trip_event_published


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used before with a different request body."""


def trip_event_publish(
    *, trip: Trip, type: str, data: dict, payload: dict, idempotency_key: str, request_hash: str
) -> tuple[TripEvent, bool]:
    """Accept a trip event once per Idempotency-Key; returns (event, created).

    `data` holds parsed values (datetimes) for the trip's live status, `payload` the same as JSON.
    An event the trip's life or its times rule out raises TripStateConflict / TripEventRefused
    (core/trips.py); a replay of an accepted one answers as before, whatever happened since.
    The stored payload also carries what the event implies as known before it (core.trips.
    event_facts): the expected arrival a moved departure implies, the times a schedule replaces.
    """
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)  # serialises events of one trip
        existing = TripEvent.objects.filter(trip=trip, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.request_hash != request_hash:
                raise IdempotencyConflict(idempotency_key)
            return existing, False
        data = parse_times(data)
        event_check(trip=trip, type=type, data=data)
        payload = {**payload, **event_facts(trip=trip, type=type, data=data)}
        trip_apply_event(trip=trip, type=type, data=data)
        event = TripEvent.objects.create(
            trip=trip,
            type=type,
            payload=payload,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
        )
        event.trip = trip
        event.recipients = _fan_out(event)
        TripEvent.objects.filter(pk=event.pk).update(recipients=event.recipients)
        transaction.on_commit(
            lambda: trip_event_published.send(sender=TripEvent, trip=trip, event=event)
        )
    return event, True


def event_fan_out(*, event: TripEvent) -> int:
    """Fan out an event that was not at publication: held overnight and now released, or
    found by the sweep. Returns how many people it goes to.

    Running it twice is harmless: the dedupe key makes the second insert a no-op, and only
    deliveries still pending are queued.
    """
    with transaction.atomic():
        return _fan_out(event)


def _fan_out(event: TripEvent) -> int:
    """Find the event's people once, write one delivery each (in bulk), queue the sends after
    commit; the count is what the API answers. Runs inside the caller's transaction.

    A person's older, unsent update of the same type on this trip is superseded here: they will
    hear this one instead. A non-urgent event published at night is held until morning instead
    (holds.py): its people are counted, and it counts as fanned out meanwhile, so later events do
    not wait behind it; the timeline fans it out when it is due (finding its people then).
    """
    rows = trip_recipient_contact_points(trip=event.trip, event_type=event.type)
    if event_hold(event=event):
        TripEvent.objects.filter(pk=event.pk, fanned_out_at__isnull=True).update(
            fanned_out_at=timezone.now()
        )
        return len(rows)
    _deliveries_create(event, rows)
    replaced = event_supersede_older(event=event)
    TripEvent.objects.filter(pk=event.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    transaction.on_commit(lambda: _queue_sends(event, replaced=bool(replaced)))
    return len(rows)


def _deliveries_create(event: TripEvent, rows: list[dict]) -> None:
    deliveries_insert(
        [
            {
                "dedupe_key": f"event:{event.pk}:customer:{row['customer_id']}",
                # A row may carry its own kind and wording context (e.g. a relative's message
                # naming whose trip it is); by default the message is the event itself.
                "kind": row.get("kind", event.type),
                "context": row.get("context", {}),
                "lane": Lane.BULK,
                "event_id": event.pk,
                "trip_id": event.trip_id,
                "customer_id": row["customer_id"],
                "contact_point_id": row["id"],
                "channel": row["channel"],
            }
            for row in rows
        ]
    )


def _queue_sends(event: TripEvent, *, replaced: bool) -> None:
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    if replaced:
        # Whatever waited behind the replaced updates may go now, in event order.
        pending = pending.filter(
            trip_id=event.trip_id,
            event__isnull=False,
            customer_id__in=Delivery.objects.filter(event=event).values("customer_id"),
        )
    else:
        pending = pending.filter(event=event)
    enqueue.send_later(ids=_ids_in_order(pending), lane=Lane.BULK)
    # Deliveries of the trip's other events waited for this fan-out (newer ones to follow it,
    # older ones of its type to learn whether it replaces them): they may go now.
    behind = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, trip_id=event.trip_id, event__isnull=False
    ).exclude(event=event)
    enqueue.send_later(ids=_ids_in_order(behind), lane=Lane.BULK)


def _ids_in_order(deliveries) -> list:
    return list(deliveries.order_by("created_at").values_list("id", flat=True))


def message_create(
    *,
    contact_point: ContactPoint,
    kind: str,
    lane: str = Lane.INTERACTIVE,
    text: str = "",
    context: dict | None = None,
    dedupe_key: str | None = None,
    booking: Booking | None = None,
    trip: Trip | None = None,
    template_sid: str = "",
    template_variables: dict | None = None,
    media_url: str = "",
    media_content_type: str = "",
) -> Delivery:
    """Save one message to one person and queue it after commit (agent replies, confirmations…).

    `media_url` attaches a file the provider fetches (a boarding pass): inside the window it goes
    with the text as its caption, outside it inside the kind's approved template.
    """
    ctx = dict(context or {})
    if text:
        ctx["text"] = text
    delivery = Delivery(
        dedupe_key=dedupe_key
        or f"{kind}:{contact_point.pk}:{timezone.now().timestamp()}:{random.random()}",
        kind=kind,
        lane=lane,
        booking=booking,
        trip=trip,
        customer_id=contact_point.customer_id,
        contact_point=contact_point,
        channel=contact_point.channel,
        text=text,
        context=ctx,
        template_sid=template_sid,
        template_variables=template_variables or {},
        media_url=media_url,
        media_content_type=media_content_type,
    )
    try:
        with transaction.atomic():
            delivery.save(force_insert=True)
    except IntegrityError:
        return Delivery.objects.get(dedupe_key=delivery.dedupe_key)
    enqueue.send_after_commit(ids=[delivery.pk], lane=lane)
    return delivery


def booking_confirmation_send(*, booking: Booking) -> list[Delivery]:
    """One confirmation per opted-in person on a newly created booking.

    Nobody is told about a booking whose trips (theirs) have all departed: it is history. One
    made at night (quiet hours at the departure airport) is told in the morning (holds.py).
    """
    if booking.pk in rollout.held_out([booking.pk]):
        return []  # the staged rollout's hold-out: never messaged proactively
    trips = [s.trip for s in booking.segments.select_related("trip").order_by("position")]
    now = timezone.now()
    sent = []
    for passenger in booking.passengers.select_related("customer"):
        if _confirmation_contact_point(passenger) is None:
            continue
        mine = [
            s.trip for s in booking.segments.filter(passengers=passenger).select_related("trip")
        ] or trips
        if mine and all(t.departure <= now for t in mine):
            continue
        if mine and confirmation_hold(
            booking=booking, customer=passenger.customer, trip=mine[0], now=now
        ):
            continue
        delivery = booking_confirmation_create(booking=booking, passenger=passenger, trips=mine)
        if delivery is not None:
            sent.append(delivery)
    return sent


def _confirmation_contact_point(passenger) -> ContactPoint | None:
    return (
        passenger.customer.contact_points.filter(opted_in=True, unreachable_at__isnull=True)
        .order_by("-last_inbound_at", "-channel")  # open window first, then WhatsApp
        .first()
    )


def booking_confirmation_create(
    *, booking: Booking, passenger, trips: list[Trip]
) -> Delivery | None:
    """The confirmation to one passenger on their best channel, once (None without a channel)."""
    cp = _confirmation_contact_point(passenger)
    if cp is None:
        return None
    return message_create(
        contact_point=cp,
        kind=MessageKind.BOOKING_CONFIRMATION,
        lane=Lane.INTERACTIVE,
        booking=booking,
        trip=trips[0] if trips else None,
        dedupe_key=f"booking:{booking.reference}:confirmation:{passenger.customer_id}",
        context={
            "reference": booking.reference,
            "itinerary": rendering.itinerary(trips=trips, customer=passenger.customer),
            **rendering.invitation(follow_code=passenger.follow_code),  # relatives join with it
        },
    )
