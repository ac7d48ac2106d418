"""REST API v1, trip events (CONTRACT.md §4): publish an event once per Idempotency-Key,
read its deliveries."""

import datetime as dt
import hashlib
import json
import uuid
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Body, Header, Path, Router, Schema, Status
from ninja.errors import ValidationError as RequestInvalid
from pydantic import Field, ValidationError, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import InitErrorDetails, PydanticCustomError

from core.api import ERRORS, ApiError
from core.models import Trip
from core.schemas import SERVICE_PATTERN, ErrorOut, Moment, Place, StrictSchema, Text, Url
from core.trips import TripEventRefused, TripStateConflict
from notifications.models import EventType, TripEvent
from notifications.selectors import event_delivery_counts
from notifications.services import IdempotencyConflict, trip_event_publish

router = Router(tags=["trip events"])

Gate = Text(10, min_length=1)
Reason = Text(300, min_length=1)


class CheckInOpen(StrictSchema):
    type: Literal["check_in_open"]
    check_in_url: Url(200) | None = None


class GateChanged(StrictSchema):
    type: Literal["gate_changed"]
    gate: Gate
    terminal: Gate | None = None


class Boarding(StrictSchema):
    type: Literal["boarding"]
    gate: Gate | None = None


class Delayed(StrictSchema):
    type: Literal["delayed"]
    estimated_departure: Moment
    estimated_arrival: Moment | None = None
    reason: Reason | None = None


class Departed(StrictSchema):
    type: Literal["departed"]
    actual_departure: Moment
    estimated_arrival: Moment | None = None


class Arrived(StrictSchema):
    type: Literal["arrived"]
    actual_arrival: Moment
    baggage_belt: Gate | None = None


class Cancelled(StrictSchema):
    type: Literal["cancelled"]
    reason: Reason | None = None
    rebooking_url: Url(500) | None = None


class Diverted(StrictSchema):
    type: Literal["diverted"]
    destination: Place = Field(description="The airport the trip now lands at, e.g. BRU.")
    estimated_arrival: Moment | None = None
    reason: Reason | None = None


class ScheduleChanged(StrictSchema):
    type: Literal["schedule_changed"]
    scheduled_departure: Moment = Field(description="The new scheduled departure (same day).")
    scheduled_arrival: Moment | None = Field(
        None, description="The new scheduled arrival; without it the flight time stays."
    )
    reason: Reason | None = None


def _errors_without_tag(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Report `estimated_departure`, not `delayed.estimated_departure`:
    the tag is not in the body."""
    try:
        return handler(value)
    except ValidationError as exc:
        tag = value.get("type") if isinstance(value, dict) else None
        errors = []
        for e in exc.errors():
            loc = e["loc"]
            if e["type"] in ("union_tag_not_found", "union_tag_invalid"):
                message = (
                    "Field required"
                    if e["type"] == "union_tag_not_found"
                    else (f"must be one of: {', '.join(EventType.values)}")
                )
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError("event_type", message), loc=("type",), input=tag
                    )
                )
                continue
            if loc and loc[0] == tag:
                loc = loc[1:]
            errors.append(
                InitErrorDetails(
                    type=PydanticCustomError(e["type"], e["msg"]), loc=loc, input=e.get("input")
                )
            )
        raise ValidationError.from_exception_data("TripEventIn", errors) from None


TripEventIn = Annotated[
    CheckInOpen
    | GateChanged
    | Boarding
    | Delayed
    | Departed
    | Arrived
    | Cancelled
    | Diverted
    | ScheduleChanged,
    Field(discriminator="type"),
    WrapValidator(_errors_without_tag),
]


class EventAccepted(Schema):
    id: uuid.UUID
    recipients: int = Field(description="People the event goes to, each counted once.")


class DeliveryCounts(Schema):
    pending: int
    sent: int
    delivered: int
    read: int
    failed: int


class EventOut(Schema):
    id: uuid.UUID
    type: str
    trip: str
    recipients: int
    deliveries: DeliveryCounts


def request_hash(event_type: str, payload: dict) -> str:
    canonical = json.dumps(
        {"type": event_type, **payload}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "/trips/{service}/{date}/events",
    response={202: EventAccepted, **ERRORS, 404: ErrorOut, 409: ErrorOut},
    operation_id="trip_event_post",
    summary="Publish a trip event",
    description=(
        "Every opted-in passenger on the trip and every member of their update groups "
        "is told, each person once. The same Idempotency-Key with the same body answers "
        "the same again and sends nothing; with a different body it is refused (409). "
        "An event the trip's status rules out (a delay after `cancelled`, "
        "a gate change after `departed`, …) is refused with 409 naming the status; "
        "implausible times (an arrival before the departure, a departure more than "
        "TRIP_EARLIEST_DEPARTURE_MARGIN_MINUTES before the schedule, …) with 400 naming the field."
    ),
)
def trip_event_post(
    request: HttpRequest,
    service: str = Path(..., pattern=f"^{SERVICE_PATTERN}$", description="e.g. KL1001"),
    date: dt.date = Path(..., description="local departure date, e.g. 2026-11-22"),
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=1, max_length=255),
    body: TripEventIn = Body(...),
):
    trip = Trip.objects.filter(service=service, local_date=date).first()
    if trip is None:
        raise ApiError(404, f"no trip {service}/{date.isoformat()}", field="trip")
    data = body.model_dump(exclude_none=True, exclude={"type"})
    payload = body.model_dump(mode="json", exclude_none=True, exclude={"type"})
    try:
        event, _ = trip_event_publish(
            trip=trip,
            type=body.type,
            data=data,
            payload=payload,
            idempotency_key=idempotency_key,
            request_hash=request_hash(body.type, payload),
        )
    except IdempotencyConflict:
        raise ApiError(
            409,
            "this Idempotency-Key was used for a different event on this trip",
            field="Idempotency-Key",
        ) from None
    except TripStateConflict as exc:
        [(field, message)] = exc.errors
        raise ApiError(409, message, field=field) from None
    except TripEventRefused as exc:
        raise RequestInvalid(
            [
                {"loc": ("body", "body", field), "msg": message, "type": "implausible"}
                for field, message in exc.errors
            ]
        ) from None
    return Status(202, {"id": event.pk, "recipients": event.recipients})


@router.get(
    "/events/{id}",
    response={200: EventOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="event_get",
    summary="How an event's deliveries stand",
)
def event_get(request: HttpRequest, id: str):  # noqa: A002 — the contract's name for it
    try:
        event = TripEvent.objects.select_related("trip").filter(pk=uuid.UUID(id)).first()
    except ValueError:
        event = None
    if event is None:
        raise ApiError(404, f"no event {id[:64]!r}", field="id")
    return {
        "id": event.pk,
        "type": event.type,
        "trip": event.trip.key,
        "recipients": event.recipients,
        "deliveries": event_delivery_counts(event=event),
    }
