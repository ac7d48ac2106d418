"""Start-up checks: opening hours and the typical wait are read once, and must make sense."""

from django.conf import settings
from django.core.checks import Error

from webcare_inbox.hours import OpeningHoursError, opening_hours


def webcare_hours_settings(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    try:
        opening_hours()
    except OpeningHoursError as exc:
        errors.append(
            Error(
                f"WEBCARE_OPENING_HOURS / WEBCARE_TIMEZONE cannot be read: {exc}",
                hint="For example WEBCARE_OPENING_HOURS='mo-fr 08:00-20:00; sa,su 09:00-17:00' "
                "and WEBCARE_TIMEZONE=Europe/Amsterdam, or '24/7'.",
                id="thuisfront.E020",
            )
        )
    wait = settings.WEBCARE_TYPICAL_WAIT_MINUTES
    if wait and not (str(wait).isdigit() and int(wait) > 0):
        errors.append(
            Error(
                f"WEBCARE_TYPICAL_WAIT_MINUTES={wait!r} is not a whole number of minutes above 0",
                hint="Leave it unset to compute the wait from the last week's first answers.",
                id="thuisfront.E021",
            )
        )
    return errors
