"""IATA Bar Coded Boarding Pass data (Resolution 792): parsed item by item, and checked against
the booking before anything is made.

The mandatory items are fixed-width: a 23-character header (format code, number of legs,
passenger name, electronic-ticket indicator), then per leg 35 characters of mandatory items
and a two-digit hexadecimal size of that leg's conditional items, which follow it. After the
last leg an optional security section starts with "^". Every problem is reported in words a
developer at the airline can act on; the API answers them as a 400 naming `barcode`.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

HEADER = (("format_code", 1), ("legs", 1), ("name", 20), ("electronic_ticket", 1))
LEG = (
    ("pnr", 7),
    ("origin", 3),
    ("destination", 3),
    ("carrier", 3),
    ("flight", 5),
    ("julian_date", 3),
    ("compartment", 1),
    ("seat", 4),
    ("sequence", 5),
    ("passenger_status", 1),
    ("conditional_size", 2),
)
HEADER_LENGTH = sum(size for _, size in HEADER)  # 23
LEG_LENGTH = sum(size for _, size in LEG)  # 37
MIN_LENGTH = HEADER_LENGTH + LEG_LENGTH  # 60: one leg, no conditional items
MAX_LENGTH = 1000  # far beyond four legs with every conditional item and a security section

_AIRPORT = re.compile(r"^[A-Z]{3}$")
_CARRIER = re.compile(r"^[A-Z0-9]{2}[A-Z ]$")
_FLIGHT = re.compile(r"^(\d{4})([A-Z ])$")
_SEAT = re.compile(r"^[0-9A-Z ]{4}$")
_SEQUENCE = re.compile(r"^(\d{4})([A-Z0-9 ])$")
_SERVICE = re.compile(r"^([A-Z0-9]{2}[A-Z]?)(\d{1,4})([A-Z]?)$")
TITLES = {"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR"}

COMPARTMENTS = {
    "F": "first",
    "A": "first",
    "P": "first",
    "J": "business",
    "C": "business",
    "D": "business",
    "I": "business",
    "Z": "business",
    "W": "premium",
    "E": "premium",
}


class BcbpError(ValueError):
    """What is wrong with the BCBP data, in one sentence."""


@dataclass(frozen=True)
class Leg:
    pnr: str
    origin: str
    destination: str
    carrier: str
    flight_number: int
    flight_suffix: str
    julian_date: int
    compartment: str
    seat: str  # as printed: "12A" (leading zeros dropped), "INF" for an infant
    sequence: str  # "1", "25" …

    @property
    def service(self) -> str:
        return f"{self.carrier}{self.flight_number}{self.flight_suffix}"

    @property
    def cabin(self) -> str:
        """first, business, premium or economy (IATA compartment codes as carriers use them)."""
        return COMPARTMENTS.get(self.compartment, "economy")


@dataclass(frozen=True)
class BoardingPassData:
    raw: str
    surname: str
    given_names: str
    name_truncated: bool
    electronic_ticket: bool
    legs: tuple[Leg, ...]

    def leg_for(self, service: str) -> Leg | None:
        wanted = service_key(service)
        return next((leg for leg in self.legs if service_key(leg.service) == wanted), None)


def _cut(data: str, at: int, items) -> tuple[dict[str, str], int]:
    values = {}
    for name, size in items:
        values[name] = data[at : at + size]
        at += size
    return values, at


def parse(data: str) -> BoardingPassData:
    """The BCBP items of `data`, or BcbpError saying what is wrong and where."""
    if not data:
        raise BcbpError("is empty; it must hold the BCBP data (Resolution 792), e.g. M1DEVRIES/…")
    if len(data) > MAX_LENGTH:
        raise BcbpError(f"is {len(data)} characters; BCBP data is at most {MAX_LENGTH}")
    odd = next((c for c in data if not " " <= c <= "~"), None)
    if odd is not None:
        raise BcbpError(
            f"contains {odd!r} at position {data.index(odd) + 1}; BCBP data is printable ASCII"
        )
    if len(data) < MIN_LENGTH:
        raise BcbpError(
            f"is {len(data)} characters; the mandatory items of a boarding pass with one leg "
            f"take {MIN_LENGTH} (Resolution 792)"
        )
    header, at = _cut(data, 0, HEADER)
    if header["format_code"] != "M":
        raise BcbpError(
            f"starts with format code {header['format_code']!r}; it must be 'M' (multiple-leg "
            "format, Resolution 792)"
        )
    if header["legs"] not in "1234":
        raise BcbpError(f"gives {header['legs']!r} as the number of legs; it must be 1 to 4")
    count = int(header["legs"])
    surname, given, truncated = _name(header["name"])
    legs = []
    for number in range(1, count + 1):
        if len(data) < at + LEG_LENGTH:
            raise BcbpError(
                f"says it encodes {count} legs but ends in leg {number}: it is {len(data)} "
                f"characters, leg {number} needs {at + LEG_LENGTH}"
            )
        items, at = _cut(data, at, LEG)
        size = _hex_size(items["conditional_size"], number)
        if len(data) < at + size:
            raise BcbpError(
                f"leg {number} announces {size} characters of conditional items but only "
                f"{len(data) - at} follow"
            )
        if number == 1 and size and data[at] != ">":
            raise BcbpError(
                f"leg 1's conditional items must start with '>' and the version number, not "
                f"{data[at]!r}"
            )
        at += size
        legs.append(_leg(items, number))
    rest = data[at:]
    if rest:
        _security(rest, at)
    return BoardingPassData(
        raw=data,
        surname=surname,
        given_names=given,
        name_truncated=truncated,
        electronic_ticket=header["electronic_ticket"] == "E",
        legs=tuple(legs),
    )


def _name(field: str) -> tuple[str, str, bool]:
    name = field.rstrip()
    if "/" not in name or name.startswith("/"):
        raise BcbpError(
            f"has the passenger name {name!r}; it must be SURNAME/GIVEN NAMES in the 20 "
            "characters after the number of legs"
        )
    surname, _, given = name.partition("/")
    return surname.strip(), given.strip(), len(name) == len(field)


def _hex_size(value: str, leg: int) -> int:
    try:
        return int(value, 16)
    except ValueError:
        raise BcbpError(
            f"leg {leg}: the size of its conditional items must be two hexadecimal digits, "
            f"not {value!r}"
        ) from None


def _leg(items: dict[str, str], number: int) -> Leg:
    def wrong(item: str, what: str) -> BcbpError:
        return BcbpError(f"leg {number}: {item} {items[_ITEM_FIELD[item]]!r} {what}")

    for item, pattern, what in (
        ("from airport", _AIRPORT, "must be three letters"),
        ("to airport", _AIRPORT, "must be three letters"),
        ("carrier", _CARRIER, "must be a two- or three-character airline designator"),
        ("flight number", _FLIGHT, "must be four digits and an optional letter, e.g. '1001 '"),
        ("seat", _SEAT, "must be four characters, e.g. '012A'"),
        ("check-in sequence", _SEQUENCE, "must be four digits and an optional letter"),
    ):
        if not pattern.match(items[_ITEM_FIELD[item]]):
            raise wrong(item, what)
    julian = items["julian_date"]
    if not julian.isdigit() or not 1 <= int(julian) <= 366:
        raise wrong("date of flight", "must be a day of the year, 001 to 366 (Julian date)")
    flight = _FLIGHT.match(items["flight"])
    seat = items["seat"].strip()
    return Leg(
        pnr=items["pnr"].strip(),
        origin=items["origin"],
        destination=items["destination"],
        carrier=items["carrier"].strip(),
        flight_number=int(flight[1]),
        flight_suffix=flight[2].strip(),
        julian_date=int(julian),
        compartment=items["compartment"],
        seat=seat.lstrip("0") if seat[:1].isdigit() else seat,
        sequence=(items["sequence"][:4].lstrip("0") or "0") + items["sequence"][4].strip(),
    )


_ITEM_FIELD = {
    "from airport": "origin",
    "to airport": "destination",
    "carrier": "carrier",
    "flight number": "flight",
    "seat": "seat",
    "check-in sequence": "sequence",
    "date of flight": "julian_date",
}


def _security(rest: str, at: int) -> None:
    if not rest.startswith("^"):
        raise BcbpError(
            f"has {len(rest)} characters after the last leg (from position {at + 1}) that are "
            "not a security section; only '^' and the security data may follow the legs"
        )
    if len(rest) < 4:
        raise BcbpError("ends in a security section without its type and length")
    size = _hex_size(rest[2:4], 0) if _is_hex(rest[2:4]) else None
    if size is None:
        raise BcbpError(
            f"has a security section whose length {rest[2:4]!r} is not two hexadecimal digits"
        )
    if len(rest) - 4 != size:
        raise BcbpError(
            f"has a security section that announces {size} characters of data and holds "
            f"{len(rest) - 4}"
        )


def _is_hex(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9A-Fa-f]{2}", value))


# --- Against the booking -----------------------------------------------------------------------


def service_key(service: str) -> tuple[str, int, str] | str:
    """KL1001, KL 1001 and KL01001 are one flight; anything else compares as written."""
    match = _SERVICE.match(service.replace(" ", "").upper())
    if not match:
        return service.upper()
    return match[1], int(match[2]), match[3]


def julian_day(day: date) -> int:
    return (day - date(day.year, 1, 1)).days + 1


def _plain(text: str) -> str:
    """Letters only, without accents, upper case: how BCBP writes a name ("de Vries" → DEVRIES)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if "A" <= c.upper() <= "Z").upper()


def _same_name(bcbp: BoardingPassData, family_name: str, given_name: str) -> bool:
    surname, family = _plain(bcbp.surname), _plain(family_name)
    if surname != family and not (bcbp.name_truncated and family.startswith(surname)):
        return False
    words = bcbp.given_names.split()
    if len(words) > 1 and words[-1] in TITLES:
        words = words[:-1]
    given, booked = _plain("".join(words)), _plain(given_name)
    if not given:
        return bcbp.name_truncated  # no room left for the given name
    first = _plain(given_name.split()[0]) if given_name.split() else ""
    if bcbp.name_truncated:
        return booked.startswith(given) or given.startswith(first)
    return given in (booked, first) or given.startswith(booked)


def contradictions(
    bcbp: BoardingPassData,
    *,
    service: str,
    origin: str,
    destination: str,
    local_date: date,
    family_name: str,
    given_name: str,
) -> list[str]:
    """Where the barcode disagrees with the booking's passenger and trip (empty: it agrees)."""
    problems = []
    if not _same_name(bcbp, family_name, given_name):
        booked = f"{_plain(family_name)}/{_plain(given_name)}"
        problems.append(
            f"is for {bcbp.surname}/{bcbp.given_names}, not for the passenger ({booked})"
        )
    leg = bcbp.leg_for(service)
    if leg is None:
        flights = ", ".join(f"{leg.carrier} {leg.flight_number}" for leg in bcbp.legs)
        problems.append(f"has no leg for flight {service} (it encodes {flights})")
        return problems
    if (leg.origin, leg.destination) != (origin, destination):
        problems.append(
            f"has flight {service} from {leg.origin} to {leg.destination}; the trip goes from "
            f"{origin} to {destination}"
        )
    if leg.julian_date != julian_day(local_date):
        problems.append(
            f"dates flight {service} day {leg.julian_date:03d} of the year "
            f"({_spoken(leg.julian_date, local_date.year)}); the trip leaves on "
            f"{local_date.isoformat()}, day {julian_day(local_date):03d}"
        )
    return problems


def _spoken(julian: int, year: int) -> str:
    try:
        return (date(year, 1, 1) + timedelta(days=julian - 1)).strftime("%-d %B")
    except OverflowError:
        return "no such day"


def seat_as_printed(seat: str) -> str:
    """A seat as the request gives it ("12A", "012A") as BCBP's parsed seat reads it ("12A")."""
    seat = seat.strip().upper()
    return seat.lstrip("0") if seat[:1].isdigit() else seat
