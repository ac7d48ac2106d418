"""REST API v1, bookings (CONTRACT.md §4): create or replace a booking, read it back, and many at
once (`POST /bookings/bulk`, README "Contract extensions").

The router is mounted by the API root (config/api.py), which also answers every ApiError raised
here or in another app's router as `{"errors": [{"field", "message"}]}`.
"""

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from ninja import Body, Path, Router, Status
from ninja.responses import NinjaJSONEncoder

from core import intake, services
from core.answers import booking_document, stored_documents
from core.models import Booking
from core.schemas import (
    REFERENCE_PATTERN,
    BookingIn,
    BookingOut,
    BulkBookingIn,
    BulkOut,
    ErrorOut,
)


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


# Client errors every operation with a body can answer with, for the OpenAPI document.
ERRORS = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut}


router = Router()


BULK_TYPES = "`application/json` (an array) or `application/x-ndjson` (one document a line)"


def _bulk_openapi() -> dict[str, Any]:
    # The body is read by the view itself (each document is checked on its own), so its schema
    # is given here; the passenger, contact and segment schemas are those of the PUT.
    item = BulkBookingIn.model_json_schema(ref_template="#/components/schemas/{model}")
    item.pop("$defs", None)
    items = {"type": "array", "items": item, "minItems": 1}
    items["maxItems"] = settings.BOOKINGS_BULK_MAX_DOCUMENTS
    ndjson = {"type": "string", "description": "One `BulkBookingIn` document (JSON) a line."}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": items},
                "application/x-ndjson": {"schema": ndjson},
            },
        }
    }


@router.post(
    "/bookings/bulk",
    response={200: BulkOut, **ERRORS, 415: ErrorOut},
    tags=["bookings"],
    operation_id="bookings_bulk",
    summary="Create or replace many bookings",
    description="The documents of `PUT /bookings/{reference}`, each with its `reference`, as "
    f"{BULK_TYPES}. Each is answered on its own, in order: stored (201 created, 200 replaced) or "
    "refused (400, with the same field errors as the PUT, the field a path within the "
    "document); the others are stored all the same. A reference that comes again replaces what "
    "came before it. At most `BOOKINGS_BULK_MAX_DOCUMENTS` (1,000) documents and "
    "`BOOKINGS_BULK_MAX_BYTES` (16 MiB) per request, else 413. Confirmations as for the PUT.",
    openapi_extra=_bulk_openapi(),
)
def bookings_bulk(request: HttpRequest):
    if request.content_type not in {"application/json", *intake.NDJSON_TYPES}:
        raise ApiError(415, f"send the bookings as {BULK_TYPES}", field="Content-Type")
    try:
        documents = intake.documents_read(
            _bulk_body(request), ndjson=request.content_type in intake.NDJSON_TYPES
        )
    except intake.BodyRefused as exc:
        raise ApiError(400, str(exc)) from None
    limit = settings.BOOKINGS_BULK_MAX_DOCUMENTS
    if len(documents) > limit:
        message = f"at most {limit} bookings per request, not {len(documents)}: send the rest after"
        raise ApiError(413, message)
    if not documents:
        raise ApiError(400, "no bookings: send at least one")
    items = list(intake.items_check(documents))
    for batch in intake.batches(items):
        intake.items_store(batch)
    stored = [i for i in items if i.stored is not None]
    answers = stored_documents([i.stored for i in stored])
    documents = {i.index: doc for i, doc in zip(stored, answers)}
    results = [
        {
            "index": i.index,
            "line": i.line,
            "reference": i.reference,
            "status": i.status,
            "booking": documents.get(i.index),
            "errors": i.errors,
        }
        for i in items
    ]
    # Encoded as the API encodes every answer, without checking it against BulkOut once more:
    # that check costs more than storing the bookings (ninja's Schema wraps every nested value).
    answer = {**intake.counts(i.status for i in items), "results": results}
    return JsonResponse(answer, encoder=NinjaJSONEncoder)


def _bulk_body(request: HttpRequest) -> bytes:
    limit = settings.BOOKINGS_BULK_MAX_BYTES
    message = f"the body is larger than {limit} bytes: send the bookings in several requests"
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > limit:
        raise ApiError(413, message)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise ApiError(413, message)
    return body


# `bulk` is a valid reference too: these keep its booking reachable behind the bulk path.
@router.put(
    "/bookings/bulk", response={200: BookingOut, 201: BookingOut, **ERRORS}, include_in_schema=False
)
def booking_bulk_put(request: HttpRequest, body: BookingIn = Body(...)):
    return _booking_put("bulk", body)


@router.get(
    "/bookings/bulk",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut},
    include_in_schema=False,
)
def booking_bulk_get(request: HttpRequest):
    return booking_get(request, "bulk")


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
    return _booking_put(reference, body)


def _booking_put(reference: str, body: BookingIn) -> Status:
    data = intake.booking_data(body, reference)
    [stored] = services.bookings_store(bookings=[data])
    [document] = stored_documents([stored])
    return Status(201 if stored.created else 200, document)


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
