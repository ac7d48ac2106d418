"""REST API v1 (CONTRACT.md §4): the API instance, key authentication, errors, and bookings.

Every error a client can cause is answered as `{"errors": [{"field", "message"}]}` with a 4xx
status; the trip-event routes live in notifications/api.py and are mounted in core/urls.py.
"""

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Body, NinjaAPI, Path, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from core import services
from core.airports import local_time
from core.models import ApiKey, Booking
from core.schemas import REFERENCE_PATTERN, BookingIn, BookingOut, ErrorOut

AUTH_HINT = "send a valid API key as `Authorization: Bearer <key>`"


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return services.api_key_authenticate(key=token.strip())


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ValueError(f"the body must be a JSON object; it is not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise ValueError(f"the body must be a JSON object, not {_JSON_KINDS.get(type(data), 'null')}")
        return data


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


api = NinjaAPI(
    title="Thuisfront API",
    version="1",
    description="Bookings and trip events from a travel company's systems. "
    "Errors are `{\"errors\": [{\"field\", \"message\"}]}`; every problem in a request is named.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=ApiKeyAuth(),
    parser=JsonObjectParser(),
)

# Client errors every operation with a body can answer with, for the OpenAPI document.
ERRORS = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut}


def error_response(request: HttpRequest, status: int, errors: list[dict]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


def _field_path(loc: tuple) -> str | None:
    """("body", "body", "passengers", 0, "id") → "passengers[0].id"; ("header", "X") → "X"."""
    source, *rest = loc or ("body",)
    if source == "body":
        rest = rest[1:]  # the view's parameter name, not part of the document
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or ("body" if source == "body" else None)


_PYDANTIC_PREFIX = re.compile(r"^(Value|Assertion) error, ")


def _validation_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_path(tuple(e.get("loc", ()))), "message": _PYDANTIC_PREFIX.sub("", e.get("msg", "invalid"))}
        for e in exc.errors
    ]
    return error_response(request, 400, errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if isinstance(exc.__cause__, ValueError):  # the body did not parse: say where and why
        message = str(exc.__cause__)
    return error_response(request, exc.status_code, [{"field": None, "message": message}])


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, [{"field": "Authorization", "message": AUTH_HINT}])
    response["WWW-Authenticate"] = 'Bearer realm="thuisfront"'
    return response


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, [{"field": exc.field, "message": exc.message}])


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(request, 413, [{"field": None, "message": f"the body is larger than {limit} bytes"}])


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, [{"field": None, "message": "not found"}])


api.add_exception_handler(ValidationError, _validation_errors)
api.add_exception_handler(AuthenticationError, _authentication_error)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(ApiError, _api_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(RequestDataTooBig, _too_big)


# --- Bookings ----------------------------------------------------------------------------------


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
        "updated_at": trip.status_updated_at,
    }


def booking_document(booking: Booking) -> dict[str, Any]:
    """The booking as stored: passengers with their current consent, segments with live status."""
    passengers = booking.passengers.select_related("customer").prefetch_related("customer__contact_points")
    segments = booking.segments.select_related("trip").prefetch_related("passengers")
    return {
        "reference": booking.reference,
        "passengers": [
            {
                "id": p.pax_id,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "language": p.language,
                "formality": p.formality,
                "contacts": [
                    {"channel": cp.channel, "address": cp.address, "opt_in": cp.opted_in}
                    for cp in sorted(p.customer.contact_points.all(), key=lambda cp: (cp.channel, cp.pk))
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


def _to_services(body: BookingIn) -> dict[str, list]:
    return {
        "passengers": [
            services.PassengerIn(
                pax_id=p.id, given_name=p.given_name, family_name=p.family_name,
                language=p.language, formality=p.formality,
                contacts=[services.ContactIn(channel=c.channel, address=c.address, opt_in=c.opt_in) for c in p.contacts],
            )
            for p in body.passengers
        ],
        "segments": [
            services.SegmentIn(
                service=s.service, local_date=s.local_date, origin=s.origin, destination=s.destination,
                scheduled_departure=s.scheduled_departure, scheduled_arrival=s.scheduled_arrival,
                passengers=list(s.passengers),
            )
            for s in body.segments
        ],
    }


@api.put(
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
    reference: str = Path(..., pattern=REFERENCE_PATTERN, description="1–64 letters, digits, - or _"),
    body: BookingIn = Body(...),
):
    booking, created = services.booking_upsert(reference=reference, **_to_services(body))
    return Status(201 if created else 200, booking_document(booking))


@api.get(
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
