"""Start-up checks: half-configured Twilio is an error, never a silent fallback to the sandbox."""

from django.conf import settings
from django.core.checks import Error

from core.phone import InvalidPhoneNumber, to_e164


def twilio_settings(app_configs=None, **kwargs) -> list[Error]:
    names = settings.TWILIO_SETTINGS
    missing = [name for name in names if not getattr(settings, name, "")]
    errors = []
    if missing and len(missing) < len(names):
        errors.append(
            Error(
                f"WhatsApp through Twilio is partly configured: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set",
                hint=f"Set all of {', '.join(names)}, or none of them to use the sandbox.",
                id="thuisfront.E001",
            )
        )
    sender = settings.TWILIO_WHATSAPP_FROM
    if sender and not _is_whatsapp_address(sender):
        errors.append(
            Error(
                f"TWILIO_WHATSAPP_FROM={sender!r} is not a WhatsApp sender address",
                hint="Give it as whatsapp:+E164, e.g. whatsapp:+31850000000.",
                id="thuisfront.E002",
            )
        )
    return errors


def _is_whatsapp_address(value: str) -> bool:
    if not value.startswith("whatsapp:+"):
        return False
    number = value.removeprefix("whatsapp:")
    try:
        return to_e164(number) == number
    except InvalidPhoneNumber:
        return False
