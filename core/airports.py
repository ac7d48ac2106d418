"""Local times: an airport's IANA time zone from the `airportsdata` catalogue."""

from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import airportsdata


@lru_cache(maxsize=1)
def _iata() -> dict:
    return airportsdata.load("IATA")


@lru_cache(maxsize=4096)
def airport_timezone(code: str) -> tzinfo | None:
    entry = _iata().get((code or "").upper())
    if not entry or not entry.get("tz"):
        return None
    return ZoneInfo(entry["tz"])


def airport_city(code: str) -> str:
    entry = _iata().get((code or "").upper())
    return (entry or {}).get("city") or code


def local_time(moment: datetime, airport: str) -> datetime:
    """The moment as the clock at that airport shows it (unchanged if the airport is unknown)."""
    tz = airport_timezone(airport)
    return moment.astimezone(tz) if tz else moment
