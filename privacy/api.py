"""REST API: erase a person, or export everything held about them (AVG art. 17, 15 and 20).

Both take the person in the body, never in the URL, so numbers and ids stay out of access logs.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from core.api import ERRORS, ApiError
from core.phone import InvalidPhoneNumber, to_e164
from core.schemas import REFERENCE_PATTERN, ErrorOut, Text
from privacy import services
from privacy.selectors import Lookup

router = Router(tags=["people"])


class BookingPassenger(Schema):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(pattern=REFERENCE_PATTERN, description="The booking reference.")
    passenger: str = Field(
        pattern=r"^[A-Za-z0-9_-]{1,20}$", description="The passenger's id in that booking."
    )


class PersonIn(Schema):
    """Exactly one way of naming the person."""

    model_config = ConfigDict(extra="forbid")
    booking: BookingPassenger | None = None
    phone: Text(32, min_length=1) | None = Field(
        default=None, description="A WhatsApp number in international form, e.g. +31612345678."
    )
    messenger_id: Text(64, min_length=1) | None = Field(
        default=None, description="A Messenger page-scoped id (PSID)."
    )

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        try:
            return to_e164(value)
        except InvalidPhoneNumber as exc:
            raise PydanticCustomError("phone_number", str(exc)) from None

    @model_validator(mode="after")
    def _exactly_one(self) -> "PersonIn":
        given = [n for n in ("booking", "phone", "messenger_id") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "name the person in exactly one way: booking (reference and passenger), phone "
                f"or messenger_id ({'none' if not given else ', '.join(given)} given)"
            )
        return self

    def lookup(self) -> Lookup:
        if self.booking is not None:
            return Lookup(
                booking_reference=self.booking.reference, passenger=self.booking.passenger
            )
        return Lookup(phone=self.phone or "", messenger_id=self.messenger_id or "")


class ErasureOut(Schema):
    erasure_id: str = Field(description="The erasure's record (who, when, how; no personal data).")
    erased_at: datetime
    already_erased: bool = Field(
        description="True when an earlier erasure took this person: nothing more was held."
    )
    rows: dict[str, int] = Field(description="Rows removed or anonymised, per table.")
    suppressed_addresses: int = Field(
        description="Addresses now on the suppression list (kept as keyed hashes only), so a "
        "later booking's opt-in does not message them unless its `opt_in_at` is after now."
    )


class ExportOut(Schema):
    format: str = Field(description="`thuisfront-personal-data/1`.")
    export_id: str
    generated_at: datetime
    person: dict[str, Any]
    consent_history: list[dict[str, Any]] = Field(
        description="Every consent given and withdrawn, per address, with its source and time "
        "(bookings, chat keywords, own opt-in links, update groups, provider opt-outs)."
    )
    data: dict[str, list[dict[str, Any]]] = Field(
        description="Everything held about the person, per table (`app.Model`)."
    )


def _actor(request: HttpRequest) -> str:
    return f"api key {request.auth.name} ({request.auth.prefix})"


def _not_found() -> ApiError:
    return ApiError(404, "nothing is held about this person", field=None)


@router.post(
    "/people/erase",
    response={200: ErasureOut, **ERRORS, 404: ErrorOut},
    operation_id="person_erase",
    summary="Erase a person (AVG art. 17)",
    description="Removes or irreversibly anonymises everything about the person in every table: "
    "their name and addresses, bookings' passenger data, what they wrote and were sent, "
    "conversations, notes naming them, group memberships. Counts stay true (their rows remain "
    "as anonymous ones). Their addresses go on the suppression list. Idempotent: naming an "
    "erased person again answers 200 with `already_erased: true`.",
)
def person_erase(request: HttpRequest, body: PersonIn = Body(...)):
    try:
        erasure = services.person_erase(lookup=body.lookup(), actor=_actor(request), via="api")
    except services.NobodyFound:
        raise _not_found() from None
    return {
        "erasure_id": str(erasure.record.id),
        "erased_at": erasure.record.at,
        "already_erased": erasure.already_erased,
        "rows": erasure.record.rows,
        "suppressed_addresses": erasure.suppressed,
    }


@router.post(
    "/people/export",
    response={200: ExportOut, **ERRORS, 404: ErrorOut},
    operation_id="person_export",
    summary="Export everything held about a person (AVG art. 15 and 20)",
    description="One machine-readable JSON document: the person, their addresses, bookings, "
    "what they wrote and were sent, conversations, group memberships, and the consent history "
    "with sources and times. Every export is recorded (who, when; not the data).",
)
def person_export(request: HttpRequest, body: PersonIn = Body(...)):
    try:
        return services.person_export(lookup=body.lookup(), actor=_actor(request), via="api")
    except services.NobodyFound:
        raise _not_found() from None
