"""Phone numbers: parsed and validated with `phonenumbers`, stored as E.164."""

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def to_e164(raw: str) -> str:
    """ "+31 6 1234 5678" → "+31612345678"; refuses national numbers and invalid ones,
    saying why."""
    value = (raw or "").strip().removeprefix("whatsapp:")
    if not value:
        raise InvalidPhoneNumber("a phone number is required")
    if not value.startswith("+"):
        if value.startswith("00"):
            value = "+" + value[2:]
        else:
            raise InvalidPhoneNumber(
                f"{raw!r} has no country code: give it in international form, e.g. +31612345678"
            )
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
