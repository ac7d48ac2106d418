"""REST API v1, documents (CONTRACT.md §4): issue a boarding pass or rail ticket, read it back."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Body, Path, Router, Schema, Status
from ninja.errors import ValidationError as RequestInvalid
from pydantic import Field, StringConstraints

from core.api import ERRORS, ApiError
from core.models import Booking
from core.schemas import (
    REFERENCE_PATTERN,
    SERVICE_PATTERN,
    TRIP_KEY,
    ErrorOut,
    Moment,
    StrictSchema,
    Text,
)
from documents.models import Document
from documents.selectors import document_detail
from documents.services import DocumentRefused, DocumentRequest, document_issue

router = Router(tags=["documents"])

Short = Text(10, min_length=1)
# Not stripped: spaces are significant in BCBP data (the name and items are fixed-width).
BarcodeData = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class DocumentIn(StrictSchema):
    passenger: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,20}$")] = Field(
        description="The passenger's id in the booking, e.g. P1."
    )
    trip: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = Field(
        description="The trip the document is for, as in the booking: `KL1001/2026-11-22`.",
        json_schema_extra={"pattern": rf"^{SERVICE_PATTERN}/\d{{4}}-\d{{2}}-\d{{2}}$"},
    )
    kind: Literal["boarding_pass", "ticket"]
    barcode: BarcodeData = Field(
        description="boarding_pass: the IATA BCBP data (Resolution 792), exactly as the "
        "carrier encodes it, spaces included; checked against the booking. ticket: the "
        "carrier's ticket data as text, or base64 with `barcode_encoding` base64 (UIC 918.3)."
    )
    barcode_format: Literal["pdf417", "aztec", "qr"] | None = Field(
        None,
        description="The 2-D code: PDF417 by default for a boarding pass (or the carrier's "
        "choice in DOCUMENT_BARCODE_FORMATS), Aztec for a ticket; QR where the carrier asks.",
    )
    barcode_encoding: Literal["text", "base64"] = "text"
    seat: Short | None = Field(None, description="e.g. 12A; must agree with the BCBP seat.")
    gate: Short | None = Field(None, description="Boarding pass: the gate. Ticket: the platform.")
    terminal: Short | None = None
    boarding_time: Moment | None = None
    coach: Short | None = Field(None, description="Ticket: the coach (rijtuig).")
    travel_class: Text(30, min_length=1) | None = Field(None, description="Ticket: e.g. 2nd.")


class DocumentAccepted(Schema):
    id: uuid.UUID
    kind: str
    recipients: int = Field(description="1 when the passenger has a chat to receive it, else 0.")
    replaces: uuid.UUID | None = Field(description="The older version this one replaced.")


class DocumentDeliveryOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="boarding_pass / ticket, or a departure reminder carrying it.")
    channel: str
    to: str
    status: str
    template: bool = Field(description="Sent as an approved template (outside the 24h window).")
    error_code: str
    error_message: str
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None


class DocumentOut(Schema):
    id: uuid.UUID
    kind: str
    booking: str
    passenger: str
    trip: str
    seat: str
    gate: str
    boarding_time: datetime | None
    barcode_format: str
    size: int = Field(description="The PDF's size in bytes.")
    state: Literal["current", "replaced"]
    replaces: uuid.UUID | None
    replaced_by: uuid.UUID | None
    url: str | None = Field(description="The signed link, while it works (current, not expired).")
    link_expires_at: datetime
    first_fetched_at: datetime | None = Field(description="When the provider first fetched it.")
    created_at: datetime
    deliveries: list[DocumentDeliveryOut]


def _booking(reference: str) -> Booking:
    booking = Booking.objects.filter(reference=reference).first()
    if booking is None:
        raise ApiError(404, f"no booking {reference[:64]!r}", field="reference")
    return booking


@router.post(
    "/bookings/{reference}/documents",
    response={202: DocumentAccepted, **ERRORS, 404: ErrorOut, 409: ErrorOut},
    operation_id="document_post",
    summary="Send a boarding pass or rail ticket",
    description="Makes the PDF (a one-page mobile boarding pass or ticket with the barcode) and "
    "sends it to the passenger's chat. The BCBP data is checked first: wrong length, format "
    "code, legs, Julian date, or a name, flight or route that contradicts the booking is a 400 "
    "naming `barcode`. A new document for the same passenger and trip replaces the older one "
    "(its link then says so); the same body again answers with the same document and sends "
    "nothing. A trip that departed or was cancelled is 409.",
)
def document_post(
    request: HttpRequest,
    reference: str = Path(..., pattern=REFERENCE_PATTERN),
    body: DocumentIn = Body(...),
):
    booking = _booking(reference)
    if not TRIP_KEY.fullmatch(body.trip):
        raise RequestInvalid(
            [
                {
                    "loc": ("body", "body", "trip"),
                    "msg": "must be `SERVICE/YYYY-MM-DD`",
                    "type": "trip",
                }
            ]
        )
    fields = body.model_dump(exclude_none=True)
    try:
        document, _ = document_issue(booking=booking, request=DocumentRequest(**fields))
    except DocumentRefused as exc:
        if exc.status != 400:
            field, message = exc.errors[0]
            raise ApiError(exc.status, message, field=field) from None
        raise RequestInvalid(
            [{"loc": ("body", "body", f), "msg": m, "type": "document"} for f, m in exc.errors]
        ) from None
    return Status(
        202,
        {
            "id": document.pk,
            "kind": document.kind,
            "recipients": min(1, document.deliveries.filter(kind=document.kind).count()),
            "replaces": document.replaces_id,
        },
    )


@router.get(
    "/documents/{id}",
    response={200: DocumentOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="document_get",
    summary="A document: what was sent to whom, on which channel, and how it stands",
)
def document_get(request: HttpRequest, id: str):  # noqa: A002 — the contract's name for it
    try:
        document = (
            Document.objects.select_related("booking", "passenger", "trip")
            .filter(pk=uuid.UUID(id))
            .first()
        )
    except ValueError:
        document = None
    if document is None:
        raise ApiError(404, f"no document {id[:64]!r}", field="id")
    return document_detail(document=document)
