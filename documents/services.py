"""Issuing a document: check the barcode against the booking, make the PDF, replace the older
version, and send it to the passenger's chat (through the engine's message_create)."""

import base64
import binascii
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import Booking, Passenger, Segment, Trip
from documents import barcodes, bcbp, face, pdf, wording
from documents.links import document_url, link_expires_at
from documents.models import BarcodeFormat, Document, DocumentKind
from documents.selectors import document_current, passenger_contact_point
from notifications.models import Delivery, Lane, MessageKind
from notifications.rendering import city, day
from notifications.selectors import Attachment
from notifications.services import deliveries_withdraw, message_create

MESSAGE_KINDS = {
    DocumentKind.BOARDING_PASS: MessageKind.BOARDING_PASS,
    DocumentKind.TICKET: MessageKind.TICKET,
}
FILENAMES = {
    ("boarding_pass", "nl"): "instapkaart-{service}.pdf",
    ("boarding_pass", "en"): "boarding-pass-{service}.pdf",
    ("ticket", "nl"): "treinkaartje-{service}.pdf",
    ("ticket", "en"): "train-ticket-{service}.pdf",
}
# Trips that are over or cancelled get no new boarding pass.
CLOSED = {
    Trip.Status.DEPARTED,
    Trip.Status.DIVERTED,
    Trip.Status.ARRIVED,
    Trip.Status.CANCELLED,
}


class DocumentRefused(Exception):
    """The request cannot be made into a document; `errors` are (field, message) pairs."""

    def __init__(self, errors: list[tuple[str | None, str]], status: int = 400) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors, self.status = errors, status


@dataclass(frozen=True)
class DocumentRequest:
    passenger: str
    trip: str
    kind: str
    barcode: str
    seat: str = ""
    coach: str = ""
    gate: str = ""
    terminal: str = ""
    travel_class: str = ""
    boarding_time: datetime | None = None
    barcode_format: str = ""
    barcode_encoding: str = "text"

    def content_hash(self) -> str:
        data = {
            **asdict(self),
            # The same moment whatever offset it was written with.
            "boarding_time": self.boarding_time.astimezone(UTC).isoformat()
            if self.boarding_time
            else None,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _segment(booking: Booking, request: DocumentRequest) -> tuple[Passenger, Trip]:
    passenger = booking.passengers.select_related("customer").filter(pax_id=request.passenger)
    passenger = passenger.first()
    if passenger is None:
        raise DocumentRefused(
            [("passenger", f"no passenger {request.passenger!r} in booking {booking.reference}")]
        )
    service, _, local_date = request.trip.partition("/")
    segment = (
        Segment.objects.filter(booking=booking, trip__service=service, trip__local_date=local_date)
        .select_related("trip")
        .first()
    )
    if segment is None:
        raise DocumentRefused([("trip", f"booking {booking.reference} has no trip {request.trip}")])
    if not segment.passengers.filter(pk=passenger.pk).exists():
        raise DocumentRefused(
            [("trip", f"passenger {passenger.pax_id} does not travel on {request.trip}")]
        )
    if segment.trip.status in CLOSED:
        raise DocumentRefused(
            [("trip", f"the trip {request.trip} is {segment.trip.status}: no document is issued")],
            status=409,
        )
    return passenger, segment.trip


def _boarding_pass_checks(request: DocumentRequest, passenger: Passenger, trip: Trip):
    """The BCBP leg of this trip, or DocumentRefused naming `barcode` (and `seat`)."""
    try:
        data = bcbp.parse(request.barcode)
    except bcbp.BcbpError as exc:
        raise DocumentRefused([("barcode", f"the BCBP data {exc}")]) from None
    problems = bcbp.contradictions(
        data,
        service=trip.service,
        origin=trip.origin,
        destination=trip.destination,
        local_date=trip.local_date,
        family_name=passenger.family_name,
        given_name=passenger.given_name,
    )
    if problems:
        raise DocumentRefused([("barcode", f"the BCBP data {p}") for p in problems])
    leg = data.leg_for(trip.service)
    if request.seat and bcbp.seat_as_printed(request.seat) != leg.seat:
        raise DocumentRefused(
            [("seat", f"is {request.seat} but the barcode gives seat {leg.seat or 'none'}")]
        )
    return leg


def _barcode_payload(request: DocumentRequest) -> str | bytes:
    if request.barcode_encoding != "base64":
        return request.barcode
    try:
        return base64.b64decode(request.barcode, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentRefused(
            [("barcode", "is not valid base64 (barcode_encoding is base64)")]
        ) from None


def _render(document: Document, request: DocumentRequest, leg, language: str) -> bytes:
    issued = timezone.now()
    if document.kind == DocumentKind.BOARDING_PASS:
        printed = face.boarding_pass_face(
            document=document, trip=document.trip, leg=leg, language=language, issued_at=issued
        )
    else:
        printed = face.ticket_face(
            document=document, trip=document.trip, language=language, issued_at=issued
        )
    try:
        symbol = barcodes.encode(_barcode_payload(request), document.barcode_format)
    except barcodes.BarcodeTooLong as exc:
        raise DocumentRefused(
            [("barcode", f"does not fit in one {document.get_barcode_format_display()}: {exc}")]
        ) from None
    return pdf.render(printed, symbol, document_id=str(document.pk))


def default_format(kind: str, service: str) -> str:
    """The code a carrier asks for (DOCUMENT_BARCODE_FORMATS), else PDF417 / Aztec for rail."""
    formats = settings.DOCUMENT_BARCODE_FORMATS
    for carrier, chosen in formats.items():
        if carrier != "*" and service.upper().startswith(carrier):
            return chosen
    if kind == DocumentKind.TICKET:
        return BarcodeFormat.AZTEC
    return formats.get("*", BarcodeFormat.PDF417)


def document_issue(*, booking: Booking, request: DocumentRequest) -> tuple[Document, bool]:
    """Make and send a document; returns (document, created).

    The same request again (a retry) answers with the document already made and sends nothing.
    A different one for the same passenger, trip and kind replaces the current version: its
    link then says so, and a message of it that has not gone out yet never will.
    """
    passenger, trip = _segment(booking, request)
    leg = None
    if request.kind == DocumentKind.BOARDING_PASS:
        leg = _boarding_pass_checks(request, passenger, trip)
    customer = passenger.customer
    language = customer.language if customer.language in ("nl", "en") else "en"
    content_hash = request.content_hash()
    with transaction.atomic():
        Passenger.objects.select_for_update().filter(pk=passenger.pk).first()  # one at a time
        current = Document.objects.filter(
            passenger=passenger, trip=trip, kind=request.kind, superseded_at__isnull=True
        ).first()
        if current is not None and current.content_hash == content_hash:
            return current, False
        document = Document(
            kind=request.kind,
            booking=booking,
            passenger=passenger,
            trip=trip,
            seat=(request.seat and bcbp.seat_as_printed(request.seat)) or (leg.seat if leg else ""),
            coach=request.coach,
            gate=request.gate or (trip.gate if request.kind == DocumentKind.BOARDING_PASS else ""),
            terminal=request.terminal or trip.terminal,
            travel_class=request.travel_class,
            boarding_time=request.boarding_time,
            barcode=request.barcode,
            barcode_binary=request.barcode_encoding == "base64",
            barcode_format=request.barcode_format or default_format(request.kind, trip.service),
            content_hash=content_hash,
            filename=FILENAMES[(request.kind, language)].format(service=trip.service.upper()),
            replaces=current,
        )
        document.pdf = _render(document, request, leg, language)
        document.size = len(document.pdf)
        if current is not None:
            document_supersede(document=current)
        document.save(force_insert=True)
        _send(document, language)
    return document, True


def document_supersede(*, document: Document) -> None:
    """A newer version replaces this one: its link says so; an unsent message of it stays unsent."""
    Document.objects.filter(pk=document.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    document.superseded_at = timezone.now()
    deliveries_withdraw(ids=list(document.deliveries.values_list("pk", flat=True)))


def _send(document: Document, language: str) -> None:
    customer = document.passenger.customer
    contact_point = passenger_contact_point(customer=customer)
    if contact_point is None:
        return  # kept, and shown in the API, but there is no chat to send it to
    trip = document.trip
    delivery = message_create(
        contact_point=contact_point,
        kind=MESSAGE_KINDS[document.kind],
        lane=Lane.INTERACTIVE,
        booking=document.booking,
        trip=trip,
        dedupe_key=f"document:{document.pk}:customer:{customer.pk}",
        media_url=document_url(document),
        media_content_type="application/pdf",
        context={
            "service": trip.service,
            "destination": city(trip.destination, language),
            "date": day(trip.scheduled_departure, trip.origin, language),
            "details": wording.details(document, language=language, formality=customer.formality),
        },
    )
    document.deliveries.add(delivery)


@transaction.atomic
def document_fetched(*, document: Document) -> None:
    """A provider (or the person) fetched the file: the first time is kept, every time counted."""
    now = timezone.now()
    Document.objects.filter(pk=document.pk, first_fetched_at__isnull=True).update(
        first_fetched_at=now
    )
    Document.objects.filter(pk=document.pk).update(fetches=F("fetches") + 1)


def documents_purge(*, now: datetime | None = None) -> int:
    """Drop the PDFs whose links have expired; the rows stay as the record of what was sent."""
    now = now or timezone.now()
    purged = 0
    # Only trips that landed (or were due to) long enough ago can have an expired link.
    landed_before = now - timedelta(hours=settings.DOCUMENT_LINK_HOURS_AFTER_TRIP)
    candidates = Document.objects.filter(
        purged_at__isnull=True, trip__scheduled_arrival__lt=landed_before + timedelta(days=3)
    ).select_related("trip")
    for document in candidates.iterator(chunk_size=500):
        if link_expires_at(document) <= now:
            Document.objects.filter(pk=document.pk).update(pdf=None, purged_at=now)
            purged += 1
    return purged


_NAMES = {
    DocumentKind.BOARDING_PASS: {"nl": "instapkaart", "en": "boarding pass"},
    DocumentKind.TICKET: {"nl": "treinkaartje", "en": "ticket"},
}


def reminder_attachment(trip: Trip, customer) -> Attachment | None:
    """The engine asks what a departure reminder carries: the person's current document."""
    document = document_current(trip=trip, customer=customer)
    if document is None or link_expires_at(document) <= timezone.now():
        return None

    def record(delivery: Delivery) -> None:
        document.deliveries.add(delivery)

    return Attachment(
        url=document_url(document),
        content_type="application/pdf",
        names=_NAMES[document.kind],
        record=record,
    )
