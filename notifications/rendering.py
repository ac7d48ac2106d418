"""Personal wording: the recipient's name and form of address, language and local times."""

import re
from datetime import datetime

from django.utils.dateparse import parse_datetime

from core.airports import airport_city, airport_name, local_time
from core.models import Customer, Formality, Trip
from core.services import chat_links


def template_variants(customer: Customer) -> list[tuple[str, str]]:
    """(language, formality) in the order a template is chosen: the person's own, their language
    formally, English in their form of address, English formally."""
    return [
        (customer.language, customer.formality),
        (customer.language, "formal"),
        ("en", customer.formality),
        ("en", "formal"),
    ]


_MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
_CITY_NL = {
    "London": "Londen",
    "Paris": "Parijs",
    "Brussels": "Brussel",
    "Rome": "Rome",
    "Lisbon": "Lissabon",
    "Copenhagen": "Kopenhagen",
    "Athens": "Athene",
    "Vienna": "Wenen",
    "Prague": "Praag",
    "Warsaw": "Warschau",
    "Venice": "Venetië",
    "Milan": "Milaan",
    "Munich": "München",
    "Cologne": "Keulen",
    "Geneva": "Genève",
    "Moscow": "Moskou",
    "Edinburgh": "Edinburgh",
    "New York": "New York",
    "Cairo": "Caïro",
}
_WORDS = {
    "nl": {
        "check_in_url": "Dat kan hier: {url}",
        "check_in_app": "Dat kan in de app of op de website.",
        "gate_hint": "Gate: {gate}.",
        "no_gate": "Kijk op de schermen voor uw gate.",
        "no_gate_informal": "Kijk op de schermen voor je gate.",
        "terminal": "{gate} (terminal {terminal})",
        "reason": "Reden: {reason}.",
        "no_reason": "Onze excuses voor het ongemak.",
        "baggage": "Uw bagage komt op band {belt}.",
        "baggage_informal": "Je bagage komt op band {belt}.",
        "no_baggage": "Welkom in {city}!",
        "rebook": "Omboeken kan hier: {url}",
        "rebook_contact": "Stuur ons hier een bericht, dan helpen we u verder.",
        "rebook_contact_informal": "Stuur ons hier een bericht, dan helpen we je verder.",
        "itinerary": "{service} van {origin} naar {destination} op {date}, vertrek {time}",
    },
    "en": {
        "check_in_url": "Check in here: {url}",
        "check_in_app": "You can do so in the app or on the website.",
        "gate_hint": "Gate: {gate}.",
        "no_gate": "Please check the screens for your gate.",
        "terminal": "{gate} (terminal {terminal})",
        "reason": "Reason: {reason}.",
        "no_reason": "We apologise for the inconvenience.",
        "baggage": "Your baggage arrives on belt {belt}.",
        "baggage_informal": "Your baggage arrives on belt {belt}.",
        "no_baggage": "Welcome to {city}!",
        "rebook": "You can rebook here: {url}",
        "rebook_contact": "Send us a message here and we will help you.",
        "rebook_contact_informal": "Send us a message here and we'll help you out.",
        "itinerary": "{service} from {origin} to {destination} on {date}, departing {time}",
    },
}
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def _lang(customer: Customer) -> str:
    return customer.language if customer.language in _WORDS else "en"


# How a message greets someone whose name we do not know: "Beste reiziger," / "Hoi daar,".
_NO_NAME = {
    ("nl", Formality.FORMAL): "reiziger",
    ("nl", Formality.INFORMAL): "daar",
    ("en", Formality.FORMAL): "traveller",
    ("en", Formality.INFORMAL): "there",
}


def greeting_name(customer: Customer, profile_name: str = "") -> str:
    """The name after "Beste"/"Hoi"/"Dear"/"Hi": the person's, their chat name, or a kind word."""
    if customer.formality == Formality.INFORMAL:
        name = customer.given_name or customer.full_name
    else:
        name = customer.full_name or customer.given_name
    formality = Formality.INFORMAL if customer.formality == Formality.INFORMAL else Formality.FORMAL
    return name or profile_name or _NO_NAME[(_lang(customer), formality)]


def city(code: str, language: str) -> str:
    name = airport_city(code)
    return _CITY_NL.get(name, name) if language == "nl" else name


def clock(moment: datetime | str | None, airport: str) -> str:
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if moment is None:
        return ""
    return local_time(moment, airport).strftime("%H:%M")


def day(moment: datetime, airport: str, language: str) -> str:
    local = local_time(moment, airport)
    return f"{local.day} {_MONTHS[language][local.month - 1]}"


def _word(language: str, key: str, customer: Customer, **kw) -> str:
    words = _WORDS[language]
    informal_key = f"{key}_informal"
    if customer.formality == Formality.INFORMAL and informal_key in words:
        key = informal_key
    return words[key].format(**kw)


def trip_context(*, trip: Trip, customer: Customer, data: dict) -> dict[str, str]:
    """Every variable a trip message may use, as the recipient should read it."""
    lang = _lang(customer)
    w = lambda key, **kw: _word(lang, key, customer, **kw)  # noqa: E731
    gate = data.get("gate") or trip.gate
    terminal = data.get("terminal") or trip.terminal
    departure = (
        data.get("actual_departure")
        or data.get("estimated_departure")
        or data.get("scheduled_departure")
        or trip.departure
    )
    arrival = (
        data.get("actual_arrival")
        or data.get("estimated_arrival")
        or data.get("scheduled_arrival")
        or trip.arrival
    )
    reason = data.get("reason") or ""
    belt = data.get("baggage_belt") or ""
    # After a diversion the trip goes to (and its arrival is told in the time of) another airport.
    lands_at = data.get("destination") if data.get("destination") else trip.arrival_airport
    previous = data.get("previous_departure")
    return {
        "name": greeting_name(customer),
        "service": trip.service,
        "origin": city(trip.origin, lang),
        "destination": city(lands_at, lang),
        "booked_destination": city(trip.destination, lang),
        "diverted_to": city(lands_at, lang),
        "airport": airport_name(lands_at),
        "date": day(trip.scheduled_departure, trip.origin, lang),
        "departure_time": clock(departure, trip.origin),
        "scheduled_time": clock(trip.scheduled_departure, trip.origin),
        "previous_time": clock(previous, trip.origin) if previous else "",
        "arrival_time": clock(arrival, lands_at),
        "gate": w("terminal", gate=gate, terminal=terminal) if gate and terminal else (gate or "?"),
        "gate_hint": w("gate_hint", gate=gate) if gate else w("no_gate"),
        "reason": w("reason", reason=reason.rstrip(".")) if reason else w("no_reason"),
        "baggage": w("baggage", belt=belt) if belt else w("no_baggage", city=city(lands_at, lang)),
        "check_in": w("check_in_url", url=data["check_in_url"])
        if data.get("check_in_url")
        else w("check_in_app"),
        "next_step": w("rebook", url=data["rebooking_url"])
        if data.get("rebooking_url")
        else w("rebook_contact"),
    }


def itinerary(*, trips: list[Trip], customer: Customer) -> str:
    lang = _lang(customer)
    return "; ".join(
        _WORDS[lang]["itinerary"].format(
            service=t.service,
            origin=city(t.origin, lang),
            destination=city(t.destination, lang),
            date=day(t.scheduled_departure, t.origin, lang),
            time=clock(t.scheduled_departure, t.origin),
        )
        for t in trips
    )


def fill(body: str, variables: list[str], context: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Fill numbered placeholders; returns (text as read, {"1": value, …} for the provider).

    Providers refuse empty variables, so an empty value becomes a dash.
    """
    values = {
        str(i): (context.get(name) or "-")[:1600] for i, name in enumerate(variables, start=1)
    }
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), body)
    return re.sub(r"[ \t]+", " ", text).strip(), values


# --- Invitations -------------------------------------------------------------------------------


def invitation(*, follow_code: str) -> dict[str, str]:
    """The code and ready-to-forward links a relative uses to join
    (booking confirmation, boarding pass)."""
    links = chat_links(code=follow_code)
    return {
        "follow_code": follow_code,
        "whatsapp_link": links["whatsapp"],
        "messenger_link": links["messenger"],
    }
