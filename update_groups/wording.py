"""Update groups in the reader's words: names, the trip they follow, followers, live trip status.

The messages themselves are catalogue rows (notifications/catalogue.py, kinds GROUP_*); these
fill their variables for relatives and for the traveller who owns the group.
"""

from core.models import Customer, Formality, Trip
from notifications.rendering import city, clock, day, invitation

_GROUP_WORDS = {
    "nl": {
        "trip": "vlucht {service} van {origin} naar {destination} op {date}",
        "no_trip": "de volgende reis, zodra die geboekt is",
        "and": "en",
        "nobody": "nog niemand",
        ("remove_hint"): (
            "Stuur 'verwijder' met het nummer (bijvoorbeeld "
            "'verwijder 1') om iemand te verwijderen."
        ),
        "invite_hint": "Nodig familie uit met uw code {code} of deze link: {link}",
        "invite_hint_informal": "Nodig familie uit met je code {code} of deze link: {link}",
        "someone": "iemand",
        "photo": "(foto)",
        ("on_time"): (
            "{service} naar {destination} vertrekt volgens plan om "
            "{departure}; verwachte aankomst {arrival} lokale tijd."
        ),
        ("boarding"): (
            "{service} naar {destination} is aan het boarden; "
            "vertrek {departure}, verwachte aankomst {arrival} lokale tijd."
        ),
        ("delayed"): (
            "{service} naar {destination} is vertraagd: nieuwe vertrektijd "
            "{departure} (was {scheduled}); verwachte aankomst {arrival} lokale tijd."
        ),
        ("departed"): (
            "{service} naar {destination} is om {departure} vertrokken "
            "en is onderweg; verwachte aankomst {arrival} lokale tijd."
        ),
        "arrived": "{service} is om {arrival} lokale tijd geland in {destination}.",
        "cancelled": "{service} naar {destination} op {date} is geannuleerd.",
        "diverted": (
            "{service} naar {booked} wijkt uit naar {destination}; verwachte aankomst daar "
            "{arrival} lokale tijd."
        ),
        "gate": " Gate {gate}.",
        "whose": "{traveller}: ",
    },
    "en": {
        "trip": "flight {service} from {origin} to {destination} on {date}",
        "no_trip": "their next trip, once it is booked",
        "and": "and",
        "nobody": "nobody yet",
        "remove_hint": "Send 'remove' with the number (for example 'remove 1') to remove someone.",
        "invite_hint": "Invite family with your code {code} or this link: {link}",
        "someone": "someone",
        "photo": "(photo)",
        ("on_time"): (
            "{service} to {destination} departs as planned at "
            "{departure}; expected arrival {arrival} local time."
        ),
        ("boarding"): (
            "{service} to {destination} is boarding; departure "
            "{departure}, expected arrival {arrival} local time."
        ),
        ("delayed"): (
            "{service} to {destination} is delayed: new departure time "
            "{departure} (was {scheduled}); expected arrival {arrival} local time."
        ),
        ("departed"): (
            "{service} to {destination} departed at {departure} and "
            "is on its way; expected arrival {arrival} local time."
        ),
        "arrived": "{service} landed in {destination} at {arrival} local time.",
        "cancelled": "{service} to {destination} on {date} has been cancelled.",
        "diverted": (
            "{service} to {booked} is diverted to {destination}; expected arrival there "
            "{arrival} local time."
        ),
        "gate": " Gate {gate}.",
        "whose": "{traveller}: ",
    },
}


def _lang(customer: Customer) -> str:
    return customer.language if customer.language in _GROUP_WORDS else "en"


def _group_word(customer: Customer, key: str, **kw) -> str:
    words = _GROUP_WORDS[_lang(customer)]
    if customer.formality == Formality.INFORMAL and f"{key}_informal" in words:
        key = f"{key}_informal"
    return words[key].format(**kw)


def first_name(customer: Customer) -> str:
    """How relatives know the traveller: the given name."""
    return customer.given_name or customer.full_name


def member_name(customer: Customer, profile_name: str, reader: Customer) -> str:
    """A member as the traveller sees them: a name, never a number or an id."""
    return customer.full_name or profile_name or _group_word(reader, "someone")


def names_joined(names: list[str], reader: Customer) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_group_word(reader, 'and')} {names[-1]}"


def trip_phrase(*, trip: Trip | None, reader: Customer) -> str:
    if trip is None:
        return _group_word(reader, "no_trip")
    lang = _lang(reader)
    return _group_word(
        reader,
        "trip",
        service=trip.service,
        origin=city(trip.origin, lang),
        destination=city(trip.destination, lang),
        date=day(trip.scheduled_departure, trip.origin, lang),
    )


def followers_list(*, names: list[str], reader: Customer) -> str:
    if not names:
        return _group_word(reader, "nobody")
    return "; ".join(f"{i}. {name}" for i, name in enumerate(names, start=1))


def followers_hint(*, names: list[str], reader: Customer, follow_code: str = "") -> str:
    if names:
        return _group_word(reader, "remove_hint")
    if follow_code:
        return _group_word(
            reader,
            "invite_hint",
            code=follow_code,
            link=invitation(follow_code=follow_code)["whatsapp_link"],
        )
    return ""


def share_text(*, text: str, reader: Customer) -> str:
    return text or _group_word(reader, "photo")


def trip_status_line(*, trip: Trip, reader: Customer, traveller: str = "") -> str:
    """One sentence on where a trip stands now, from its live status, in the reader's words."""
    lang = _lang(reader)
    key = {
        Trip.Status.DELAYED: "delayed",
        Trip.Status.BOARDING: "boarding",
        Trip.Status.DEPARTED: "departed",
        Trip.Status.ARRIVED: "arrived",
        Trip.Status.CANCELLED: "cancelled",
        Trip.Status.DIVERTED: "diverted",
    }.get(trip.status, "on_time")
    line = _group_word(
        reader,
        key,
        service=trip.service,
        destination=city(trip.arrival_airport, lang),
        booked=city(trip.destination, lang),
        departure=clock(trip.departure, trip.origin),
        scheduled=clock(trip.scheduled_departure, trip.origin),
        arrival=clock(trip.arrival, trip.arrival_airport),
        date=day(trip.scheduled_departure, trip.origin, lang),
    )
    if trip.gate and trip.status not in (
        Trip.Status.DEPARTED,
        Trip.Status.DIVERTED,
        Trip.Status.ARRIVED,
        Trip.Status.CANCELLED,
    ):
        line += _group_word(reader, "gate", gate=trip.gate)
    return (_group_word(reader, "whose", traveller=traveller) if traveller else "") + line
