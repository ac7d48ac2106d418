"""What a document says, in the passenger's language: labels, names, local times.

The printed words live here; documents/pdf.py only lays them out.
"""

from datetime import datetime

from core.airports import airport_name, is_rail_station, local_time
from core.models import Trip
from documents.pdf import Face
from notifications.rendering import city

# Carrier code → (name as printed, the header's colour).
CARRIERS = {
    "KL": ("KLM Royal Dutch Airlines", "#00a1de"),
    "HV": ("Transavia", "#00b373"),
    "AF": ("Air France", "#002157"),
    "BA": ("British Airways", "#075aaa"),
    "LH": ("Lufthansa", "#05164d"),
    "U2": ("easyJet", "#ff6600"),
    "FR": ("Ryanair", "#073590"),
    "OR": ("TUI fly", "#d40e14"),
    "EST": ("Eurostar", "#1b1f5c"),
    "ES": ("Eurostar", "#1b1f5c"),
    "ICE": ("Deutsche Bahn ICE", "#ec0016"),
    "NS": ("NS International", "#003082"),
}
PLAIN = ("", "#14213d")

_WORDS = {
    "nl": {
        "boarding_pass": "Instapkaart",
        "ticket": "Treinkaartje",
        "passenger": "Passagier",
        "flight": "Vlucht",
        "train": "Trein",
        "date": "Datum",
        "class": "Klasse",
        "boarding": "Boarding",
        "gate": "Gate",
        "seat": "Stoel",
        "sequence": "Volgnr.",
        "booking": "Boeking",
        "terminal": "Terminal",
        "coach": "Rijtuig",
        "platform": "Spoor",
        "cabins": {
            "first": "First",
            "business": "Business",
            "premium": "Premium Economy",
            "economy": "Economy",
        },
        "issued": "Uitgegeven {when} · toon deze code bij de gate",
        "issued_ticket": "Uitgegeven {when} · toon deze code bij de controle",
        "months": "jan feb mrt apr mei jun jul aug sep okt nov dec".split(),
    },
    "en": {
        "boarding_pass": "Boarding pass",
        "ticket": "Train ticket",
        "passenger": "Passenger",
        "flight": "Flight",
        "train": "Train",
        "date": "Date",
        "class": "Class",
        "boarding": "Boarding",
        "gate": "Gate",
        "seat": "Seat",
        "sequence": "Seq.",
        "booking": "Booking",
        "terminal": "Terminal",
        "coach": "Coach",
        "platform": "Platform",
        "cabins": {
            "first": "First",
            "business": "Business",
            "premium": "Premium Economy",
            "economy": "Economy",
        },
        "issued": "Issued {when} · show this code at the gate",
        "issued_ticket": "Issued {when} · show this code to the conductor",
        "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    },
}


def words(language: str) -> dict:
    return _WORDS.get(language, _WORDS["en"])


def carrier_of(service: str) -> tuple[str, str]:
    """(name, colour) for a service number: its carrier's, else the code with a plain colour."""
    upper = service.upper()
    for code in sorted(CARRIERS, key=len, reverse=True):
        if upper.startswith(code) and upper[len(code) :][:1].isdigit():
            return CARRIERS[code]
    prefix = "".join(c for c in upper[:3] if c.isalpha()) or upper[:2]
    return prefix, PLAIN[1]


def place_city(code: str, language: str) -> str:
    """The city under the code: "Londen" in Dutch; a station by its own name."""
    return airport_name(code) if is_rail_station(code) else city(code, language)


def _day(moment: datetime, airport: str, language: str) -> str:
    local = local_time(moment, airport)
    return f"{local.day} {words(language)['months'][local.month - 1]}"


def _clock(moment: datetime | None, airport: str) -> str:
    return local_time(moment, airport).strftime("%H:%M") if moment else ""


def boarding_pass_face(*, document, trip: Trip, leg, language: str, issued_at: datetime) -> Face:
    w = words(language)
    carrier, accent = carrier_of(trip.service)
    return Face(
        title=w["boarding_pass"],
        carrier=carrier or trip.service,
        accent=accent,
        origin_code=trip.origin,
        origin_city=place_city(trip.origin, language),
        origin_time=_clock(trip.scheduled_departure, trip.origin),
        destination_code=trip.destination,
        destination_city=place_city(trip.destination, language),
        destination_time=_clock(trip.scheduled_arrival, trip.destination),
        passenger_label=w["passenger"],
        passenger=document.passenger_name,
        cells=[
            (w["flight"], trip.service),
            (w["date"], _day(trip.scheduled_departure, trip.origin, language)),
            (w["class"], w["cabins"][leg.cabin]),
            (w["boarding"], _clock(document.boarding_time, trip.origin)),
            (w["gate"], document.gate),
            (w["seat"], document.seat),
            (w["terminal"], document.terminal),
            (w["sequence"], leg.sequence),
            (w["booking"], leg.pnr or document.booking_reference),
        ],
        footer=[w["issued"].format(when=_stamp(issued_at, trip.origin, language))],
    )


def ticket_face(*, document, trip: Trip, language: str, issued_at: datetime) -> Face:
    w = words(language)
    carrier, accent = carrier_of(trip.service)
    return Face(
        title=w["ticket"],
        carrier=carrier or trip.service,
        accent=accent,
        origin_code=trip.origin,
        origin_city=place_city(trip.origin, language),
        origin_time=_clock(trip.scheduled_departure, trip.origin),
        destination_code=trip.destination,
        destination_city=place_city(trip.destination, language),
        destination_time=_clock(trip.scheduled_arrival, trip.destination),
        passenger_label=w["passenger"],
        passenger=document.passenger_name,
        cells=[
            (w["train"], trip.service),
            (w["date"], _day(trip.scheduled_departure, trip.origin, language)),
            (w["class"], document.travel_class),
            (w["coach"], document.coach),
            (w["seat"], document.seat),
            (w["platform"], document.gate),
            (w["booking"], document.booking_reference),
        ],
        footer=[w["issued_ticket"].format(when=_stamp(issued_at, trip.origin, language))],
    )


def _stamp(moment: datetime, airport: str, language: str) -> str:
    return f"{_day(moment, airport, language)} {_clock(moment, airport)}"
