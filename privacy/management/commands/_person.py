"""The options every privacy command names a person with (the same ways as the REST API)."""

import getpass

from django.core.management.base import CommandError

from core.phone import InvalidPhoneNumber, to_e164
from privacy.selectors import Lookup


def add_person_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--booking", metavar="REFERENCE/PASSENGER", help="e.g. ABC123/P1")
    group.add_argument("--phone", help="a WhatsApp number in international form")
    group.add_argument("--messenger-id", help="a Messenger page-scoped id (PSID)")
    group.add_argument("--customer-id", type=int, help="the person's id (as the admin shows it)")


def lookup_from(options) -> Lookup:
    if options.get("booking"):
        reference, _, passenger = options["booking"].partition("/")
        if not reference or not passenger:
            raise CommandError("--booking takes REFERENCE/PASSENGER, e.g. ABC123/P1")
        return Lookup(booking_reference=reference, passenger=passenger)
    if options.get("phone"):
        try:
            return Lookup(phone=to_e164(options["phone"]))
        except InvalidPhoneNumber as exc:
            raise CommandError(f"--phone: {exc}") from None
    if options.get("messenger_id"):
        return Lookup(messenger_id=options["messenger_id"])
    return Lookup(customer_id=options["customer_id"])


def actor() -> str:
    try:
        return f"command ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command"
