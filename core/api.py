"""REST API v1, bookings (CONTRACT.md §4): create or replace a booking, read it back.

The router is mounted by the API root (config/api.py), which also answers every ApiError raised
here or in another app's router as `{"errors": [{"field", "message"}]}`.
"""

import re
from typing import Any

from django.http import HttpRequest
from ninja import Body, Path, Router, Status

from core import services
from core.airports import local_time
from core.models import Booking, ConsentRecord, ContactPoint
from core.schemas import REFERENCE_PATTERN, BookingIn, BookingOut, ErrorOut


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


# Client errors every operation with a body can answer with, for the OpenAPI document.
ERRORS = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut}


router = Router()


def _trip_live(trip) -> dict[str, Any]:
    def at(moment, airport):
        return local_time(moment, airport) if moment else None

    return {
        "status": trip.status,
        "estimated_departure": at(trip.estimated_departure, trip.origin),
        "estimated_arrival": at(trip.estimated_arrival, trip.destination),
        "actual_departure": at(trip.actual_departure, trip.origin),
        "actual_arrival": at(trip.actual_arrival, trip.destination),
        "gate": trip.gate,
        "terminal": trip.terminal,
        "baggage_belt": trip.baggage_belt,
        "reason": trip.status_reason,
        "diverted_to": trip.diverted_to,
        "updated_at": trip.status_updated_at,
    }


def booking_document(booking: Booking) -> dict[str, Any]:
    """The booking as stored: passengers with their current consent, segments with live status."""
    passengers = booking.passengers.select_related("customer").prefetch_related(
        "customer__contact_points"
    )
    segments = booking.segments.select_related("trip").prefetch_related("passengers")
    return {
        "reference": booking.reference,
        "check_in_url": booking.check_in_url,
        "passengers": [
            {
                "id": p.pax_id,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "language": p.language,
                "formality": p.formality,
                "contacts": [
                    {
                        "channel": cp.channel,
                        "address": cp.address,
                        "opt_in": cp.opted_in,
                        "opted_out_at": cp.opted_out_at,
                    }
                    for cp in sorted(
                        p.customer.contact_points.all(), key=lambda cp: (cp.channel, cp.pk)
                    )
                ],
                "follow_code": p.follow_code,
                "invitation_links": services.chat_links(code=p.follow_code),
                "opt_in_code": p.opt_in_code,
                "opt_in_links": services.chat_links(code=p.opt_in_code),
            }
            for p in passengers
        ],
        "segments": [
            {
                "trip": s.trip.key,
                "origin": s.trip.origin,
                "destination": s.trip.destination,
                "scheduled_departure": local_time(s.trip.scheduled_departure, s.trip.origin),
                "scheduled_arrival": local_time(s.trip.scheduled_arrival, s.trip.destination),
                "passengers": sorted(p.pax_id for p in s.passengers.all()),
                "live": _trip_live(s.trip),
            }
            for s in segments
        ],
        "created_at": booking.created_at,
        "updated_at": booking.updated_at,
    }


def _to_services(body: BookingIn) -> dict:
    return {
        "passengers": [
            services.PassengerIn(
                pax_id=p.id,
                given_name=p.given_name,
                family_name=p.family_name,
                language=p.language,
                formality=p.formality,
                contacts=[
                    services.ContactIn(
                        channel=c.channel,
                        address=c.address,
                        opt_in=c.opt_in,
                        opt_in_at=c.opt_in_at,
                    )
                    for c in p.contacts
                ],
            )
            for p in body.passengers
        ],
        "segments": [
            services.SegmentIn(
                service=s.service,
                local_date=s.local_date,
                origin=s.origin,
                destination=s.destination,
                scheduled_departure=s.scheduled_departure,
                scheduled_arrival=s.scheduled_arrival,
                passengers=list(s.passengers),
            )
            for s in body.segments
        ],
        "check_in_url": body.check_in_url or "",
    }


@router.put(
    "/bookings/{reference}",
    response={200: BookingOut, 201: BookingOut, **ERRORS},
    tags=["bookings"],
    operation_id="booking_put",
    summary="Create or replace a booking",
    description="Idempotent: the whole booking is replaced. 201 when created, 200 when replaced. "
    "An opted-in passenger gets one booking confirmation, on creation only.",
)
def booking_put(
    request: HttpRequest,
    reference: str = Path(
        ..., pattern=REFERENCE_PATTERN, description="1–64 letters, digits, - or _"
    ),
    body: BookingIn = Body(...),
):
    booking, created = services.booking_upsert(reference=reference, **_to_services(body))
    return Status(
        201 if created else 200,
        {**booking_document(booking), "warnings": _consent_warnings(body)},
    )


def _consent_warnings(body: BookingIn) -> list[dict]:
    """Each `opt_in: true` that did not count: the address opted out after the consent."""
    warnings = []
    for i, passenger in enumerate(body.passengers):
        for j, contact in enumerate(passenger.contacts):
            if not contact.opt_in:
                continue
            cp = ContactPoint.objects.filter(
                channel=contact.channel, address=contact.address
            ).first()
            if cp is None or cp.opted_in or cp.opted_out_at is None:
                continue
            withdrawal = cp.consent_records.filter(action=ConsentRecord.Action.OPT_OUT).last()
            how = f" ({withdrawal.source})" if withdrawal else ""
            warnings.append(
                {
                    "field": f"passengers[{i}].contacts[{j}].opt_in",
                    "message": f"not opted in: this address opted out at "
                    f"{cp.opted_out_at.isoformat()}{how}; only a consent given after that, "
                    "sent as opt_in_at, opts it in again",
                }
            )
    return warnings


@router.get(
    "/bookings/{reference}",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut},
    tags=["bookings"],
    operation_id="booking_get",
    summary="Read a booking",
)
def booking_get(request: HttpRequest, reference: str):
    booking = None
    if re.fullmatch(REFERENCE_PATTERN, reference):
        booking = Booking.objects.filter(reference=reference).first()
    if booking is None:
        raise ApiError(404, f"no booking {reference[:64]!r}", field="reference")
    return booking_document(booking)
