"""The one clock the suite reads: every trip and time in the tests is relative to it.

No test names a calendar date. The suite's trips fly *tomorrow* as seen from the moment the
suite started (`STARTED`, read once so every module agrees even when a run crosses midnight), and
their times are built on the local wall clock of the airport, so a change to or from summer time
never changes what a traveller reads ("10:15" stays "10:15", only the UTC offset moves).

Tests that need time to pass use the `clock` fixture (time-machine):
`clock.shift(timedelta(hours=25))` moves every `timezone.now()` of this process, and
`clock.move_to(moment)` jumps. Processes the end-to-end tests start read the machine's clock,
which is why the trips are relative, not frozen.

The whole suite passes with the machine's clock moved, e.g. `faketime '+400 days' make test`.
"""

import os
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LONDON = ZoneInfo("Europe/London")

STARTED = timezone.now()


def day(offset: int = 1) -> date:
    """The local date in Amsterdam `offset` days after the day the suite started (1 = tomorrow)."""
    return STARTED.astimezone(AMSTERDAM).date() + timedelta(days=offset)


def local(hour: int, minute: int = 0, *, offset: int = 1, tz: ZoneInfo = AMSTERDAM) -> datetime:
    """hh:mm on the wall clock of `tz`, on day(offset)."""
    return datetime.combine(day(offset), time(hour, minute), tzinfo=tz)


def iso(hour: int, minute: int = 0, *, offset: int = 1, tz: ZoneInfo = AMSTERDAM) -> str:
    """local(...) as the API writes it: ISO 8601 with the local offset ("Z" when it is zero)."""
    return local(hour, minute, offset=offset, tz=tz).isoformat().replace("+00:00", "Z")


def naive(hour: int, minute: int = 0, *, offset: int = 1) -> str:
    """A local time without an offset, as a datetime-local form field sends it."""
    return local(hour, minute, offset=offset).strftime("%Y-%m-%dT%H:%M")


_MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def spoken_day(language: str, offset: int = 1) -> str:
    """day(offset) as the messages write it: "22 nov" in Dutch, "22 Nov" in English."""
    d = day(offset)
    return f"{d.day} {_MONTHS[language][d.month - 1]}"


def trip(service: str = "KL1001", offset: int = 1) -> str:
    """A trip key, e.g. "KL1001/<tomorrow>"."""
    return f"{service}/{day(offset).isoformat()}"


# The suite's flight: KL1001 Amsterdam 09:00 → London 09:20 (local times), tomorrow.
TRIP = trip()
DEPARTURE = local(9, 0)
ARRIVAL = local(9, 20, tz=LONDON)


_FAKETIME_VARIABLES = (
    "LD_PRELOAD",
    "FAKETIME",
    "FAKETIME_DONT_FAKE_MONOTONIC",
    "DYLD_INSERT_LIBRARIES",
)


@contextmanager
def machine_clock_for_programs():
    """Programs that are not Python (Chromium, Playwright's driver, redis-server) started inside
    this block keep the machine's own clock under `make test-later`: libfaketime stalls their
    timers. Python processes, ours, always follow the shifted calendar."""
    saved = {name: os.environ.pop(name) for name in _FAKETIME_VARIABLES if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def flight_segment(passengers: list[str]) -> dict:
    """The suite's flight as a booking's segment in the REST API."""
    return {
        "trip": TRIP,
        "origin": "AMS",
        "destination": "LHR",
        "scheduled_departure": iso(9, 0),
        "scheduled_arrival": iso(9, 20, tz=LONDON),
        "passengers": passengers,
    }
