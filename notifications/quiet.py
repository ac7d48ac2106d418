"""Quiet hours: when non-urgent messages wait, on the clock of the traveller's departure airport.

QUIET_HOURS (default 22:00-07:00) is read in settings. Confirmations, check-in notices and
reminders due inside it wait until it ends, unless by then it would be too late (a flight at
06:30); disruptions (delay, gate change, cancellation, diversion) never wait.
"""

from datetime import datetime, time, timedelta

from django.conf import settings

from core.airports import airport_timezone

# Event types that may wait for the morning; every other event goes at once.
NON_URGENT_EVENTS = frozenset({"check_in_open", "schedule_changed"})


def _window() -> tuple[time, time] | None:
    return settings.QUIET_HOURS


def _local(moment: datetime, airport: str) -> datetime:
    tz = airport_timezone(airport)
    return moment.astimezone(tz) if tz else moment


def quiet_period(moment: datetime, airport: str) -> tuple[datetime, datetime] | None:
    """(start, end) of the quiet period `moment` lies in at that airport, or None."""
    window = _window()
    if window is None:
        return None
    start, end = window
    local = _local(moment, airport)
    tz, today, now = local.tzinfo, local.date(), local.time()
    if start <= end:  # e.g. 00:00-06:00
        if not start <= now < end:
            return None
        first = today
    elif now >= start:  # e.g. 22:00-07:00, in the evening
        first = today
    elif now < end:  # … after midnight
        first = today - timedelta(days=1)
    else:
        return None
    last = first if start <= end else first + timedelta(days=1)
    return datetime.combine(first, start, tzinfo=tz), datetime.combine(last, end, tzinfo=tz)


def quiet_until(moment: datetime, airport: str, *, latest: datetime) -> datetime | None:
    """When a message due at `moment` may go instead: the end of its quiet period, if that is
    no later than `latest`; None when it is not quiet (or waiting would make it too late)."""
    period = quiet_period(moment, airport)
    if period is None or period[1] > latest:
        return None
    return period[1]


def outside_quiet(due: datetime, airport: str, *, latest: datetime, now: datetime) -> datetime:
    """The moment a scheduled message goes: its due time, else the morning after the quiet
    period, else (morning too late) the evening before it began, if that is still to come."""
    period = quiet_period(due, airport)
    if period is None:
        return due
    start, end = period
    if end <= latest:
        return end
    evening = start - timedelta(minutes=30)
    return evening if evening > now else due
