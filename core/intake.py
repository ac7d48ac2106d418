"""Bookings in bulk: `POST /api/v1/bookings/bulk` and `manage.py import_bookings` take many
booking documents (a JSON array, or NDJSON: one document a line) and answer each on its own.

Each document is checked as `PUT /bookings/{reference}` checks its body, and refused alone
with the same field errors; the valid ones are stored in batches (core/bookings.py), each batch
in its own transaction, so what an answer calls stored is committed and what it refused left
nothing behind.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError
from pydantic import ValidationError

from core import services
from core.bookings import BookingData, ContactIn, PassengerIn, SegmentIn, StoredBooking
from core.schemas import BulkBookingIn, error_message, error_path

logger = logging.getLogger(__name__)

# A batch: one transaction, a fixed number of queries. Small enough that a batch holds its row
# locks briefly, large enough that the per-query cost is shared by many passengers.
BATCH_BOOKINGS = 250
BATCH_PASSENGERS = 1000

NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)

_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number"}


class BodyRefused(ValueError):
    """The request as a whole cannot be read (not one document of it)."""


@dataclass
class Item:
    """One document of the request and what became of it."""

    index: int  # its place among the documents, from 0
    line: int | None  # NDJSON: its line, from 1
    reference: str | None = None
    booking: BookingData | None = None  # when valid
    errors: list[dict[str, Any]] = field(default_factory=list)
    status: int | None = None  # 201 created, 200 replaced, 400 refused, 500 not stored
    stored: StoredBooking | None = None

    @property
    def passengers(self) -> int:
        return len(self.booking.passengers) if self.booking else 0


def documents_read(body: bytes, *, ndjson: bool) -> list[tuple[int, int | None, Any]]:
    """(index, NDJSON line or None, document) for each document of a request body."""
    if ndjson:
        return list(ndjson_documents(body.splitlines()))
    try:
        documents = json.loads(body)
    except ValueError as exc:
        raise BodyRefused(
            f"the body must be a JSON array of bookings; it is not valid JSON ({exc}). "
            "NDJSON (one booking a line) is read with Content-Type: application/x-ndjson"
        ) from None
    if not isinstance(documents, list):
        kind = "an object" if isinstance(documents, dict) else _kind(documents)
        raise BodyRefused(f"the body must be a JSON array of bookings, not {kind}")
    return [(i, None, d) for i, d in enumerate(documents)]


def ndjson_documents(lines: Iterable[bytes | str]) -> Iterator[tuple[int, int, Any]]:
    """(index, line number, document) for each line that is not blank; a line that is not JSON
    is a ValueError in place of its document."""
    index = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            document: Any = json.loads(line)
        except ValueError as exc:
            document = ValueError(f"line {number} is not valid JSON ({exc})")
        yield index, number, document
        index += 1


def items_check(documents: Iterable[tuple[int, int | None, Any]]) -> Iterator[Item]:
    for index, line, document in documents:
        item = Item(index=index, line=line)
        if isinstance(document, ValueError):
            item.errors = [{"field": None, "message": str(document)}]
        elif not isinstance(document, dict):
            message = f"each booking must be a JSON object, not {_kind(document)}"
            item.errors = [{"field": None, "message": message}]
        else:
            reference = document.get("reference")
            item.reference = reference[:64] if isinstance(reference, str) else None
            try:
                item.booking = booking_data(BulkBookingIn.model_validate(document))
            except ValidationError as exc:
                item.errors = [
                    {"field": error_path(e["loc"]), "message": error_message(e)}
                    for e in exc.errors(include_url=False)
                ]
        if item.errors:
            item.status = 400
        yield item


def _kind(value: Any) -> str:
    return _JSON_KINDS.get(type(value), "a boolean" if isinstance(value, bool) else "null")


def booking_data(body, reference: str | None = None) -> BookingData:
    """A checked document (core.schemas.BookingIn or BulkBookingIn) as the services take it."""
    return BookingData(
        reference=reference or body.reference,
        passengers=[
            PassengerIn(
                pax_id=p.id,
                given_name=p.given_name,
                family_name=p.family_name,
                language=p.language,
                formality=p.formality,
                contacts=[
                    ContactIn(
                        channel=c.channel, address=c.address, opt_in=c.opt_in, opt_in_at=c.opt_in_at
                    )
                    for c in p.contacts
                ],
            )
            for p in body.passengers
        ],
        segments=[
            SegmentIn(
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
        check_in_url=body.check_in_url or "",
    )


def batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    """The items in order, in batches of at most BATCH_BOOKINGS valid bookings with at most
    BATCH_PASSENGERS passengers (a larger booking makes a batch of its own); refused items ride
    along in the batch they came in."""
    batch: list[Item] = []
    bookings = passengers = 0
    for item in items:
        if item.booking is not None:
            if bookings and (
                bookings == BATCH_BOOKINGS or passengers + item.passengers > BATCH_PASSENGERS
            ):
                yield batch
                batch, bookings, passengers = [], 0, 0
            bookings += 1
            passengers += item.passengers
        batch.append(item)
    if batch:
        yield batch


def items_store(items: list[Item]) -> None:
    """Store the valid items of one batch, setting each one's status.

    Should the batch fail in the database, its bookings are stored one by one, so one that
    cannot be stored takes no other with it (it is answered 500, and logged without content).
    """
    items = [i for i in items if i.booking is not None]
    if not items:
        return
    try:
        stored = services.bookings_store(bookings=[i.booking for i in items])
    except DatabaseError as exc:
        if len(items) > 1:
            for item in items:
                items_store([item])
            return
        logger.error("bulk booking %d not stored: %s", items[0].index, type(exc).__name__)
        items[0].status = 500
        items[0].errors = [
            {"field": None, "message": "the booking could not be stored; nothing of it was kept"}
        ]
        return
    for item, result in zip(items, stored):
        item.stored, item.status = result, 201 if result.created else 200


def counts(statuses: Iterable[int | None]) -> dict[str, int]:
    statuses = list(statuses)
    return {
        "created": statuses.count(201),
        "replaced": statuses.count(200),
        "refused": statuses.count(400),
        "failed": statuses.count(500),
    }
