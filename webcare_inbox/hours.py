"""When the webcare team is there: opening hours, the next opening, and the typical wait.

WEBCARE_OPENING_HOURS is a short list of day ranges and times on the team's wall clock
(WEBCARE_TIMEZONE), e.g. "mo-fr 08:00-20:00; sa,su 09:00-17:00", or "24/7". A person handed
over to the team is told either how long an answer takes now or when the team is back.
"""

import math
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from webcare_inbox.selectors import first_response_times

DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"]
_RULE = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")
# Rounded up to one of these (minutes), so the promise is one a person can hold us to.
_WAIT_STEPS = [5, 10, 15, 20, 30, 45, 60]
# The computed wait looks at conversations that started this recently, and needs this many.
WAIT_LOOKBACK = timedelta(days=7)
WAIT_MIN_SAMPLES = 5
WAIT_FALLBACK_MINUTES = 15

_NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class OpeningHoursError(ValueError):
    """A value of WEBCARE_OPENING_HOURS that cannot be read; the message says which part."""


@dataclass(frozen=True)
class OpeningHours:
    # weekday (0 = Monday) → [(start, end)] in minutes after midnight, end may be 24:00 (1440)
    spans: dict[int, list[tuple[int, int]]]
    tz: ZoneInfo

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.spans.get(local.weekday(), []))

    def next_opening(self, moment: datetime) -> datetime | None:
        """The first moment after `moment` at which the team opens (None: never open)."""
        local = moment.astimezone(self.tz)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            for start, _ in sorted(self.spans.get(day.weekday(), [])):
                opening = datetime.combine(day, time(start // 60, start % 60), tzinfo=self.tz)
                if opening > local:
                    return opening
        return None


def _minutes(text: str, *, end: bool) -> int:
    hour, minute = (int(part) for part in text.split(":"))
    value = hour * 60 + minute
    if minute > 59 or value > 24 * 60 or (value == 24 * 60 and not end):
        raise OpeningHoursError(f"{text!r} is not a time of day")
    return value


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OpeningHoursError(f"{part!r} is not a day or range of days ({', '.join(DAYS)})")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return days


def opening_hours_parse(value: str, tz_name: str) -> OpeningHours:
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OpeningHoursError(f"WEBCARE_TIMEZONE {tz_name!r} is not an IANA time zone") from exc
    text = " ".join(value.lower().split())
    if text in ("24/7", "always"):
        return OpeningHours({day: [(0, 24 * 60)] for day in range(7)}, tz)
    spans: dict[int, list[tuple[int, int]]] = {}
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        match = _RULE.match(rule)
        if not match:
            raise OpeningHoursError(f"{rule!r} should look like 'mo-fr 08:00-20:00'")
        start, end = _minutes(match["start"], end=False), _minutes(match["end"], end=True)
        if end <= start:
            raise OpeningHoursError(f"{rule!r} closes before it opens")
        for day in _days(match["days"]):
            spans.setdefault(day, []).append((start, end))
    if not spans:
        raise OpeningHoursError("no opening hours given (use '24/7' for always open)")
    return OpeningHours(spans, tz)


def opening_hours() -> OpeningHours:
    return opening_hours_parse(settings.WEBCARE_OPENING_HOURS, settings.WEBCARE_TIMEZONE)


# --- What the person is told ---------------------------------------------------------------------


def _round_up(minutes: float) -> int:
    return next((step for step in _WAIT_STEPS if minutes <= step), 60 * math.ceil(minutes / 60))


def typical_wait_minutes(*, now: datetime | None = None) -> int:
    """WEBCARE_TYPICAL_WAIT_MINUTES if set, else the median first answer of recent conversations.

    Only conversations that started within opening hours count, so a night's wait does not
    make the day's promise longer.
    """
    if settings.WEBCARE_TYPICAL_WAIT_MINUTES:
        return int(settings.WEBCARE_TYPICAL_WAIT_MINUTES)
    now = now or timezone.now()
    hours = opening_hours()
    recent = first_response_times(since=now - WAIT_LOOKBACK)
    waits = [wait for started, wait in recent if hours.is_open(started)]
    if len(waits) < WAIT_MIN_SAMPLES:
        return WAIT_FALLBACK_MINUTES
    return _round_up(statistics.median(w.total_seconds() / 60 for w in waits))


def wait_phrase(minutes: int, language: str) -> str:
    """ "15 minuten" / "2 uur"; "15 minutes" / "2 hours"."""
    if minutes < 60:
        return f"{minutes} minuten" if language == "nl" else f"{minutes} minutes"
    hours = minutes // 60
    if language == "nl":
        return f"{hours} uur"
    return "1 hour" if hours == 1 else f"{hours} hours"


def zone_phrase(tz: ZoneInfo, language: str) -> str:
    if tz.key == "Europe/Amsterdam":
        return "Nederlandse tijd" if language == "nl" else "Dutch time"
    city = tz.key.rsplit("/", 1)[-1].replace("_", " ")
    return f"tijd in {city}" if language == "nl" else f"{city} time"


def back_phrase(opening: datetime, *, now: datetime, language: str, tz: ZoneInfo) -> str:
    """ "morgen vanaf 08:00 (Nederlandse tijd)" / "on Monday from 09:00 (Dutch time)"."""
    days = (opening.date() - now.astimezone(tz).date()).days
    if language == "nl":
        when = ["vandaag", "morgen"][days] if days < 2 else _NL_DAYS[opening.weekday()]
        return f"{when} vanaf {opening:%H:%M} ({zone_phrase(tz, 'nl')})"
    when = ["today", "tomorrow"][days] if days < 2 else f"on {_EN_DAYS[opening.weekday()]}"
    return f"{when} from {opening:%H:%M} ({zone_phrase(tz, 'en')})"
