"""When to call someone back: what they wrote ("morgen 10:00", "friday after 2pm", "asap"), in
their own time zone, moved into the team's opening hours. Plain functions, no database."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from phonenumbers import timezone as phone_timezones

from webcare_inbox.hours import DAYS, OpeningHours, zone_phrase

ASAP = "asap"
_ASAP = re.compile(
    r"\b(zo snel mogelijk|zsm|asap|as soon as possible|nu meteen|meteen|direct|nu|now|"
    r"right away|maakt niet uit|any ?time|whenever)\b"
)
_CLOCK = re.compile(r"\b(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)\b")
_HOUR = re.compile(r"\b(?P<h>[01]?\d|2[0-3])\s*(?P<unit>uur|u|h|am|pm|a\.m\.|p\.m\.)(?![a-z])")
_BARE = re.compile(r"\b(om|at|na|after|rond|around|vanaf|from)\s+(?P<h>[01]?\d|2[0-3])\b")
_PARTS = {
    "ochtend": 10, "morgens": 10, "morning": 10,
    "middag": 14, "afternoon": 14, "lunch": 13,
    "avond": 18, "evening": 18, "tonight": 18, "vanavond": 18,
}  # fmt: skip
_WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
    "zondag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5,
    "sun": 6, "ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6,
}  # fmt: skip
_NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NL_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip


# Where most people of a country with several zones on one number range live.
_MAJOR_ZONES = {
    "Europe/London", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Amsterdam",
    "Europe/Berlin", "Europe/Copenhagen", "Europe/Oslo", "Europe/Helsinki", "Europe/Rome",
}  # fmt: skip


def person_timezone(phone: str, default: ZoneInfo) -> ZoneInfo:
    """The zone of the person's number when it has exactly one (NL, BE, ES…), else `default`."""
    try:
        found = phone_timezones.time_zones_for_number(phonenumbers.parse(phone))
        zones = [z for z in found if z in available_timezones()]
    except phonenumbers.NumberParseException:
        return default
    major = [z for z in zones if z in _MAJOR_ZONES]
    if len(major) == 1:
        return ZoneInfo(major[0])  # a UK number: London, not Jersey; a Portuguese one: Lisbon
    return ZoneInfo(zones[0]) if len(zones) == 1 else default


def phone_find(text: str, region: str = "NL") -> str | None:
    """A valid phone number in the text, as E.164 ("06 12345678" → "+31612345678")."""
    for match in phonenumbers.PhoneNumberMatcher(text or "", region):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def preferred_parse(text: str, *, now: datetime, tz: ZoneInfo) -> datetime | str | None:
    """The moment the person asks for (in their zone), ASAP, or None when the text names none."""
    folded = " ".join((text or "").lower().replace("’", "'").split())
    clock = _time_of(folded)
    day = _day_of(folded, now.astimezone(tz).date())
    if clock is None and day is None:
        return ASAP if _ASAP.search(folded) else None
    local_now = now.astimezone(tz)
    if day is None:
        day = local_now.date()
        if datetime.combine(day, clock, tzinfo=tz) <= local_now:
            day += timedelta(days=1)
    return datetime.combine(day, clock or time(0, 0), tzinfo=tz)


def _time_of(folded: str) -> time | None:
    if m := _CLOCK.search(folded):
        return time(int(m["h"]), int(m["m"]))
    if m := _HOUR.search(folded):
        hour = int(m["h"])
        unit = m["unit"].replace(".", "")
        if unit == "pm" and hour < 12:
            hour += 12
        elif unit == "am" and hour == 12:
            hour = 0
        elif unit in ("uur", "u", "h") and hour < 8:
            hour += 12  # "om 3 uur": nobody asks for a call at three at night
        return time(hour, 0)
    if m := _BARE.search(folded):
        hour = int(m["h"])
        return time(hour + 12 if hour < 8 else hour, 0)
    for word, hour in _PARTS.items():
        if re.search(rf"\b\w*{word}\b", folded):
            return time(hour, 0)
    return None


def _day_of(folded: str, today: date) -> date | None:
    if re.search(r"\b(overmorgen|day after tomorrow)\b", folded):
        return today + timedelta(days=2)
    if re.search(r"\b(morgen|tomorrow|tmrw|tmr)\b", folded) and "morgens" not in folded:
        return today + timedelta(days=1)
    if re.search(r"\b(vandaag|today|vanavond|vanmiddag|vanochtend|vanmorgen|tonight)\b", folded):
        return today
    for word in re.findall(r"[a-z]+", folded):
        if word in _WEEKDAYS and (len(word) > 3 or word in ("mon", "tue", "wed", "thu", "fri")):
            return today + timedelta(days=(_WEEKDAYS[word] - today.weekday()) % 7 or 7)
    return None


def slot_within_hours(wanted: datetime | str, *, now: datetime, hours: OpeningHours) -> datetime:
    """The asked moment if the team is there then, else the first opening after it; ASAP is a
    quarter of an hour from now (or the next opening). Never in the past."""
    if wanted == ASAP or wanted <= now:
        wanted = now + timedelta(minutes=15)
    if wanted.time() == time(0, 0) and not hours.is_open(wanted):
        wanted = hours.next_opening(wanted) or wanted  # a day without a time: when we open
    if hours.is_open(wanted):
        return wanted
    return hours.next_opening(wanted) or wanted


def when_phrase(moment: datetime, *, now: datetime, tz: ZoneInfo, language: str) -> str:
    """ "morgen om 10:00 (Nederlandse tijd)" / "on Friday 12 December at 14:30 (Lisbon time)"."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    zone = zone_phrase(tz, language)
    if language == "nl":
        if days in (0, 1):
            when = ["vandaag", "morgen"][days]
        else:
            when = f"op {_NL_DAYS[local.weekday()]} {local.day} {_NL_MONTHS[local.month - 1]}"
        return f"{when} om {local:%H:%M} ({zone})"
    if days in (0, 1):
        when = ["today", "tomorrow"][days]
    else:
        when = f"on {_EN_DAYS[local.weekday()]} {local.day} {_EN_MONTHS[local.month - 1]}"
    return f"{when} at {local:%H:%M} ({zone})"


def hours_phrase(hours: OpeningHours, *, tz: ZoneInfo, language: str, today: date) -> str:
    """The opening hours on the person's clock: "ma–vr 08:00–20:00, za–zo 09:00–17:00 (…)"."""
    names = ["ma", "di", "wo", "do", "vr", "za", "zo"] if language == "nl" else [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
    ]  # fmt: skip
    monday = today - timedelta(days=today.weekday())
    spans = []
    for weekday in range(len(DAYS)):
        day = monday + timedelta(days=weekday)
        spans.append(
            tuple(
                _span_on(day, start, end, hours.tz, tz)
                for start, end in hours.spans.get(weekday, [])
            )
        )
    parts, weekday = [], 0
    while weekday < 7:
        last = weekday
        while last + 1 < 7 and spans[last + 1] == spans[weekday]:
            last += 1
        if spans[weekday]:
            days = names[weekday] if last == weekday else f"{names[weekday]}–{names[last]}"
            parts.append(f"{days} {', '.join(spans[weekday])}")
        weekday = last + 1
    joined = ", ".join(parts) if parts else ("nooit" if language == "nl" else "never")
    return f"{joined} ({zone_phrase(tz, language)})"


def _span_on(day: date, start: int, end: int, team: ZoneInfo, person: ZoneInfo) -> str:
    def at(minutes: int) -> str:
        moment = datetime.combine(day, time(0, 0), tzinfo=team) + timedelta(minutes=minutes)
        return f"{moment.astimezone(person):%H:%M}"

    return f"{at(start)}–{at(end)}"
