"""The booking documents the bookings API answers with (CONTRACT.md §4): passengers with their
current consent and links, segments with the trip's live status in local time.

Five queries for any number of bookings, reading values rather than model instances: a bulk
answer carries a thousand passengers.
"""

from typing import Any

from django.conf import settings

from core.airports import local_time
from core.models import Booking, ContactPoint, Passenger, Segment, Trip


def booking_document(booking: Booking) -> dict[str, Any]:
    return booking_documents([booking])[0]


def booking_documents(bookings: list[Booking]) -> list[dict[str, Any]]:
    ids = [b.pk for b in bookings]
    passengers = _passengers(ids)
    segments = _segments(ids)
    return [
        {
            "reference": b.reference,
            "passengers": passengers.get(b.pk, []),
            "segments": segments.get(b.pk, []),
            "created_at": b.created_at,
            "updated_at": b.updated_at,
        }
        for b in bookings
    ]


def _passengers(booking_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = Passenger.objects.filter(booking_id__in=booking_ids).order_by("booking_id", "pax_id")
    rows = list(
        rows.values_list(
            "booking_id",
            "customer_id",
            "pax_id",
            "given_name",
            "family_name",
            "language",
            "formality",
            "follow_code",
            "opt_in_code",
        )
    )
    contacts: dict[int, list[dict[str, Any]]] = {}
    points = ContactPoint.objects.filter(customer_id__in={r[1] for r in rows})
    for customer, channel, address, opted_in in points.order_by("channel", "pk").values_list(
        "customer_id", "channel", "address", "opted_in"
    ):
        contacts.setdefault(customer, []).append(
            {"channel": channel, "address": address, "opt_in": opted_in}
        )
    links = _chat_links()
    result: dict[int, list[dict[str, Any]]] = {}
    for booking, customer, pax, given, family, language, formality, follow, own in rows:
        result.setdefault(booking, []).append(
            {
                "id": pax,
                "given_name": given,
                "family_name": family,
                "language": language,
                "formality": formality,
                # Copies: a person on two bookings of one answer has the same addresses in each.
                "contacts": [dict(c) for c in contacts.get(customer, [])],
                "follow_code": follow,
                "invitation_links": links(follow),
                "opt_in_code": own,
                "opt_in_links": links(own),
            }
        )
    return result


def _chat_links():
    """services.chat_links, with the settings read once for the whole answer."""
    number = "".join(c for c in settings.WHATSAPP_PUBLIC_NUMBER if c.isdigit())
    page = settings.MESSENGER_PAGE_NAME

    def links(code: str) -> dict[str, str]:
        return {
            "whatsapp": f"https://wa.me/{number}?text={code}",
            "messenger": f"https://m.me/{page}?ref={code}",
        }

    return links


def _segments(booking_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = list(
        Segment.objects.filter(booking_id__in=booking_ids)
        .order_by("booking_id", "position")
        .values_list("pk", "booking_id", "trip_id")
    )
    members: dict[int, list[str]] = {}
    through = Segment.passengers.through.objects.filter(segment_id__in=[r[0] for r in rows])
    for segment, pax in through.values_list("segment_id", "passenger__pax_id"):
        members.setdefault(segment, []).append(pax)
    trips = {t.pk: _trip(t) for t in Trip.objects.filter(pk__in={r[2] for r in rows})}
    result: dict[int, list[dict[str, Any]]] = {}
    for segment, booking, trip in rows:
        result.setdefault(booking, []).append(
            {
                **trips[trip],
                "passengers": sorted(members.get(segment, [])),
                "live": dict(trips[trip]["live"]),
            }
        )
    return result


def _trip(trip: Trip) -> dict[str, Any]:
    def at(moment, airport):
        return local_time(moment, airport) if moment else None

    return {
        "trip": trip.key,
        "origin": trip.origin,
        "destination": trip.destination,
        "scheduled_departure": local_time(trip.scheduled_departure, trip.origin),
        "scheduled_arrival": local_time(trip.scheduled_arrival, trip.destination),
        "live": {
            "status": trip.status,
            "estimated_departure": at(trip.estimated_departure, trip.origin),
            "estimated_arrival": at(trip.estimated_arrival, trip.destination),
            "actual_departure": at(trip.actual_departure, trip.origin),
            "actual_arrival": at(trip.actual_arrival, trip.destination),
            "gate": trip.gate,
            "terminal": trip.terminal,
            "baggage_belt": trip.baggage_belt,
            "reason": trip.status_reason,
            "updated_at": trip.status_updated_at,
        },
    }
