"""Places: an airport's (or railway station's) IANA time zone, city and name.

Airports come from the `airportsdata` catalogue. Railway stations that carry an IATA location
code (the ones rail operators and travel companies use in bookings and on tickets) are listed
here, since the catalogue holds airports only.
"""

from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import airportsdata


@lru_cache(maxsize=1)
def _iata() -> dict:
    return airportsdata.load("IATA")


# IATA code → (station name, city, time zone): the international stations of NS International,
# Eurostar and the ICE/TGV lines they connect with.
RAIL_STATIONS = {
    "ZYA": ("Amsterdam Centraal", "Amsterdam", "Europe/Amsterdam"),
    "QRH": ("Rotterdam Centraal", "Rotterdam", "Europe/Amsterdam"),
    "ZWE": ("Antwerpen-Centraal", "Antwerp", "Europe/Brussels"),
    "ZYR": ("Brussel-Zuid / Bruxelles-Midi", "Brussels", "Europe/Brussels"),
    "XDB": ("Lille Europe", "Lille", "Europe/Paris"),
    "XPG": ("Paris Gare du Nord", "Paris", "Europe/Paris"),
    "QQS": ("London St Pancras International", "London", "Europe/London"),
    "QKL": ("Köln Hbf", "Cologne", "Europe/Berlin"),
}


def _place(code: str) -> dict:
    code = (code or "").upper()
    if code in RAIL_STATIONS:
        name, city, tz = RAIL_STATIONS[code]
        return {"name": name, "city": city, "tz": tz}
    return _iata().get(code) or {}


@lru_cache(maxsize=4096)
def airport_timezone(code: str) -> tzinfo | None:
    entry = _place(code)
    if not entry.get("tz"):
        return None
    return ZoneInfo(entry["tz"])


def airport_city(code: str) -> str:
    return _place(code).get("city") or code


def airport_name(code: str) -> str:
    """ "Brussels Airport", "Amsterdam Centraal"; the code itself when the place is unknown."""
    return _place(code).get("name") or code


def is_rail_station(code: str) -> bool:
    return (code or "").upper() in RAIL_STATIONS


def local_time(moment: datetime, airport: str) -> datetime:
    """The moment as the clock at that airport shows it (unchanged if the airport is unknown)."""
    tz = airport_timezone(airport)
    return moment.astimezone(tz) if tz else moment
