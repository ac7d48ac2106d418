"""The REST API's documents (CONTRACT.md §4): what a travel company sends and gets back.

Validation happens here, field by field, so that every problem is reported with its place in
the document ("passengers[0].contacts[0].address"); the views only translate and call services.
"""

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from core.models import Channel, Formality, Language
from core.phone import InvalidPhoneNumber, to_e164

SERVICE_PATTERN = r"[A-Za-z0-9]{1,20}"
REFERENCE_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
TRIP_KEY = re.compile(rf"^(?P<service>{SERVICE_PATTERN})/(?P<date>\d{{4}}-\d{{2}}-\d{{2}})$")
# How far a sender's clock may run ahead of ours before a time "given now" counts as future.
CLOCK_SKEW = timedelta(minutes=5)
# Far-off years are typing errors, and outside this range time-zone arithmetic can overflow.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200


def _printable(value: str) -> str:
    # PostgreSQL cannot store NUL, and no name, gate or reason needs control characters.
    if any(ord(c) < 32 and c not in "\t\n" for c in value):
        raise PydanticCustomError("control_character", "must not contain control characters")
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 — reads as a type in the schemas
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_printable),
    ]


def _in_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "must lie between the years {low} and {high}",
            {"low": EARLIEST_YEAR, "high": LATEST_YEAR},
        )
    return value


# Times must carry their UTC offset: a bare "09:00" is ambiguous across time zones.
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_in_range),
    Field(description="ISO 8601 with its UTC offset, e.g. 2026-11-22T10:15:00+01:00"),
]

_url_validator = URLValidator(schemes=["http", "https"])


def _http_url(value: str) -> str:
    try:
        _url_validator(value)
    except DjangoValidationError:
        raise PydanticCustomError(
            "url", "must be an http(s) URL, e.g. https://example.com/check-in"
        ) from None
    return value


def Url(max_length: int):  # noqa: N802
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_http_url),
        WithJsonSchema({"type": "string", "format": "uri", "maxLength": max_length}),
    ]


def line_error(loc: tuple, kind: str, message: str, value=None) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)


def raise_errors(title: str, errors: list[InitErrorDetails]) -> None:
    """Raise several problems at once, each at its own place in the document."""
    if errors:
        raise ValidationError.from_exception_data(title, errors)


class StrictSchema(BaseModel):
    """What clients send. A misspelt optional field would otherwise vanish silently.

    A pydantic model rather than ninja's Schema: ninja's Schema validates a model that forbids
    extra fields twice, at every level, so a contact in a booking was checked eight times.
    """

    model_config = ConfigDict(extra="forbid")


# --- Errors ------------------------------------------------------------------------------------


class FieldError(Schema):
    field: str | None = Field(
        description=(
            "Where the problem is: a body path such as `passengers[0].contacts[0].address`, "
            "a header or path parameter name, or null when it concerns the request as a whole."
        )
    )
    message: str


class ErrorOut(Schema):
    errors: list[FieldError]


_PYDANTIC_PREFIX = re.compile(r"^(Value|Assertion) error, ")


def error_path(loc: tuple | list) -> str | None:
    """("passengers", 0, "contacts", 0, "address") → "passengers[0].contacts[0].address"."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def error_message(error: dict) -> str:
    return _PYDANTIC_PREFIX.sub("", error.get("msg", "invalid"))


# --- Bookings ----------------------------------------------------------------------------------


class ContactIn(StrictSchema):
    channel: Literal[Channel.WHATSAPP.value, Channel.MESSENGER.value]  # type: ignore[valid-type]
    address: Text(64, min_length=1) = Field(
        description="WhatsApp: a phone number in international form (stored as E.164). "
        "Messenger: a page-scoped id."
    )
    opt_in: bool = False
    opt_in_at: Moment | None = Field(
        default=None,
        description="When the person gave this consent (e.g. ticked the box while booking). "
        "After the address opted out (STOP, a provider's opt-out, erasure), `opt_in: true` opts "
        "it in again only with an `opt_in_at` after that opt-out.",
    )

    @field_validator("opt_in_at")
    @classmethod
    def _not_in_the_future(cls, value: datetime | None, info: ValidationInfo):
        if value is None:
            return value
        if not info.data.get("opt_in", False):
            raise PydanticCustomError("opt_in_at_without_opt_in", "requires opt_in: true")
        if value > timezone.now() + CLOCK_SKEW:
            raise PydanticCustomError(
                "opt_in_at_future", "must not lie in the future: consent is given, not planned"
            )
        return value

    @field_validator("address")
    @classmethod
    def _normalise_phone(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") != Channel.WHATSAPP:
            return value
        try:
            return to_e164(value)
        except InvalidPhoneNumber as exc:
            raise PydanticCustomError("phone_number", str(exc)) from None


class PassengerIn(StrictSchema):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,20}$")] = Field(
        description="The passenger's id within this booking (1–20 letters, digits, - or _)."
    )
    given_name: Text(100, min_length=1)
    family_name: Text(100, min_length=1)
    language: Literal[tuple(Language.values)] = Language.EN.value  # type: ignore[valid-type]
    formality: Literal[tuple(Formality.values)] = Formality.FORMAL.value  # type: ignore[valid-type]
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)


Place = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{3,5}$")
]


class SegmentIn(StrictSchema):
    trip: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = Field(
        description="`{service number}/{local departure date}`, e.g. `KL1001/2026-11-22`.",
        examples=["KL1001/2026-11-22"],
        json_schema_extra={"pattern": rf"^{SERVICE_PATTERN}/\d{{4}}-\d{{2}}-\d{{2}}$"},
    )
    origin: Place = Field(description="IATA airport (or station) code, e.g. AMS.")
    destination: Place
    scheduled_departure: Moment
    scheduled_arrival: Moment
    passengers: list[Annotated[str, StringConstraints(max_length=20)]] = Field(
        min_length=1, max_length=100, description="Ids of the booking's passengers on this trip."
    )

    @field_validator("trip")
    @classmethod
    def _trip_key(cls, value: str) -> str:
        match = TRIP_KEY.fullmatch(value)
        if not match:
            raise PydanticCustomError(
                "trip_key",
                "must be `SERVICE/YYYY-MM-DD` (service: "
                "1–20 letters and digits), e.g. KL1001/2026-11-22",
            )
        parse_trip_date(match["date"])
        return value

    @model_validator(mode="after")
    def _arrives_after_departure(self) -> "SegmentIn":
        if self.scheduled_arrival < self.scheduled_departure:
            raise_errors(
                "SegmentIn",
                [
                    line_error(
                        ("scheduled_arrival",),
                        "arrival_before_departure",
                        "must not be before scheduled_departure",
                        self.scheduled_arrival.isoformat(),
                    ),
                ],
            )
        return self

    @property
    def service(self) -> str:
        return self.trip.split("/", 1)[0]

    @property
    def local_date(self) -> date:
        return date.fromisoformat(self.trip.split("/", 1)[1])


def parse_trip_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "trip_date", "{value} is not a date (YYYY-MM-DD)", {"value": value}
        ) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise PydanticCustomError(
            "trip_date",
            "the date must lie between {low} and {high}",
            {"low": EARLIEST_YEAR, "high": LATEST_YEAR},
        )
    return day


class BookingIn(StrictSchema):
    passengers: list[PassengerIn] = Field(min_length=1, max_length=100)
    segments: list[SegmentIn] = Field(default_factory=list, max_length=50)
    check_in_url: Url(500) | None = Field(
        None,
        description="Where the passengers check in; sent with the check-in notice Thuisfront "
        "sends when check-in opens.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "BookingIn":
        errors, seen = [], set()
        for i, passenger in enumerate(self.passengers):
            if passenger.id in seen:
                errors.append(
                    line_error(
                        ("passengers", i, "id"),
                        "duplicate",
                        f"passenger id {passenger.id!r} appears more than once",
                        passenger.id,
                    )
                )
            seen.add(passenger.id)
        trips = set()
        for i, segment in enumerate(self.segments):
            if segment.trip in trips:
                errors.append(
                    line_error(
                        ("segments", i, "trip"),
                        "duplicate",
                        f"trip {segment.trip!r} appears more than once in this booking",
                        segment.trip,
                    )
                )
            trips.add(segment.trip)
            for j, pax in enumerate(segment.passengers):
                if pax not in seen:
                    errors.append(
                        line_error(
                            ("segments", i, "passengers", j),
                            "unknown_passenger",
                            f"no passenger with id {pax!r} in this booking",
                            pax,
                        )
                    )
        raise_errors("BookingIn", errors)
        return self


class BulkBookingIn(BookingIn):
    """One document of a bulk request: the booking of `PUT /bookings/{reference}` with its
    reference inside."""

    reference: Annotated[str, StringConstraints(pattern=REFERENCE_PATTERN)] = Field(
        description="1–64 letters, digits, - or _, as in `PUT /bookings/{reference}`.",
        examples=["ABC123"],
    )


class OptInLinks(Schema):
    whatsapp: str = Field(description="Opens WhatsApp with the passenger's `opt_in_code` typed.")
    messenger: str = Field(description="Opens Messenger with the own `opt_in_code` as `ref`.")


class InvitationLinks(Schema):
    whatsapp: str = Field(description="Opens WhatsApp with the `follow_code` typed (relatives).")
    messenger: str = Field(description="Opens Messenger, the `follow_code` as `ref` (relatives).")


class ContactOut(Schema):
    channel: str
    address: str
    opt_in: bool = Field(description="Whether this address currently accepts proactive updates.")
    opted_out_at: datetime | None = Field(
        description="When this address last withdrew consent (STOP, a provider's opt-out, or "
        "an erasure of its person); a booking's opt-in counts again only with a later `opt_in_at`."
    )


class PassengerOut(Schema):
    id: str
    given_name: str
    family_name: str
    language: str
    formality: str
    contacts: list[ContactOut]
    follow_code: str = Field(
        description="What a relative sends to join this passenger's update group."
    )
    invitation_links: InvitationLinks = Field(
        description="The relatives' invitation: links with the `follow_code`, to forward to family."
    )
    opt_in_code: str = Field(
        description="The passenger's own code, for the booking confirmation page only: sent on "
        "WhatsApp (or opened as `?ref=` on Messenger) it links that chat to this passenger, who "
        "then gets their own trip messages there. Not for relatives: they join with the "
        "`follow_code`."
    )
    opt_in_links: OptInLinks | None = Field(
        description="The passenger's own opt-in: links that carry the `opt_in_code`; null when "
        "the booking is outside its staged rollout (see `rollout`), which offers no opt-in."
    )


class TripLiveOut(Schema):
    status: str
    estimated_departure: datetime | None
    estimated_arrival: datetime | None
    actual_departure: datetime | None
    actual_arrival: datetime | None
    gate: str
    terminal: str
    baggage_belt: str
    reason: str
    diverted_to: str = Field(description="The airport a diverted trip now lands at, else empty.")
    updated_at: datetime | None


class SegmentOut(Schema):
    trip: str
    origin: str
    destination: str
    scheduled_departure: datetime = Field(description="In the origin's local time.")
    scheduled_arrival: datetime = Field(description="In the destination's local time.")
    passengers: list[str]
    live: TripLiveOut


class RolloutOut(Schema):
    in_rollout: bool = Field(
        description="Whether the booking is offered proactive messages and the opt-in links "
        "(true when no rollout plan covers it)."
    )
    holdout: bool = Field(
        description="In the plan's hold-out group: never messaged proactively, the comparison "
        "group of the 'contacts with vs without proactive updates' figure."
    )
    plan: str | None = Field(description="The rollout plan covering the booking, if any.")
    stage_percent: float | None = Field(description="The plan's current stage: share offered.")


class BookingOut(Schema):
    reference: str
    check_in_url: str
    passengers: list[PassengerOut]
    segments: list[SegmentOut]
    rollout: RolloutOut = Field(description="The booking's place in the staged rollout.")
    created_at: datetime
    updated_at: datetime
    warnings: list[FieldError] = Field(
        default_factory=list,
        description="What this request asked for and did not get, e.g. an `opt_in` that did "
        "not count because the address opted out after the consent was given (answers to PUT).",
    )


class BulkResultOut(Schema):
    index: int = Field(description="The document's place in the request, from 0.")
    line: int | None = Field(description="NDJSON: the document's line, from 1; else null.")
    reference: str | None = Field(description="The document's `reference`, as sent.")
    status: int = Field(
        description="201 created, 200 replaced (as `PUT /bookings/{reference}` answers), "
        "400 refused (`errors` says why; nothing of it was stored), 500 not stored."
    )
    booking: BookingOut | None = Field(
        description="The booking as stored (as `PUT /bookings/{reference}` answers it)."
    )
    errors: list[FieldError] = Field(
        description="Why it was refused; `field` is a path within this document."
    )


class BulkOut(Schema):
    created: int
    replaced: int
    refused: int = Field(description="Documents answered 400.")
    failed: int = Field(description="Documents answered 500.")
    results: list[BulkResultOut] = Field(description="One per document, in the request's order.")
