"""The message that carries a document, in the passenger's words: the details sentence that
fills the catalogue's {{5}} (seat, gate, boarding time; coach, seat, platform), and the page a
replaced or expired link shows."""

from core.airports import local_time
from core.models import Formality
from documents.models import Document, DocumentKind

_WORDS = {
    "nl": {
        "seat": "Stoel {seat}",
        "gate": "gate {gate}",
        "terminal": "terminal {terminal}",
        "boarding": "boarding vanaf {time}",
        "no_gate": "de gate ziet u op de schermen",
        "no_gate_informal": "de gate zie je op de schermen",
        "coach": "Rijtuig {coach}",
        "train_seat": "stoel {seat}",
        "platform": "Vertrek van spoor {platform}.",
    },
    "en": {
        "seat": "Seat {seat}",
        "gate": "gate {gate}",
        "terminal": "terminal {terminal}",
        "boarding": "boarding from {time}",
        "no_gate": "check the screens for your gate",
        "coach": "Coach {coach}",
        "train_seat": "seat {seat}",
        "platform": "Departs from platform {platform}.",
    },
}

PAGES = {
    "nl": {
        "replaced_title": "Deze versie is vervangen",
        "replaced": "Er is een nieuwere versie van dit document gestuurd, bijvoorbeeld na een "
        "stoel- of gatewijziging. Gebruik het nieuwste bericht in uw chat.",
        "replaced_informal": "Er is een nieuwere versie van dit document gestuurd, bijvoorbeeld "
        "na een stoel- of gatewijziging. Gebruik het nieuwste bericht in je chat.",
        "expired_title": "Deze link is verlopen",
        "expired": "Dit document hoorde bij een reis die voorbij is; de link werkt niet meer.",
        "gone_title": "Niet gevonden",
    },
    "en": {
        "replaced_title": "This version was replaced",
        "replaced": "A newer version of this document was sent, for example after a seat or "
        "gate change. Please use the latest message in your chat.",
        "expired_title": "This link has expired",
        "expired": "This document belonged to a trip that is over; the link no longer works.",
        "gone_title": "Not found",
    },
}


def _lang(language: str) -> str:
    return language if language in _WORDS else "en"


def _word(table: dict, language: str, formality: str, key: str, **kw) -> str:
    words = table[_lang(language)]
    if formality == Formality.INFORMAL and f"{key}_informal" in words:
        key = f"{key}_informal"
    return words[key].format(**kw)


def details(document: Document, *, language: str, formality: str) -> str:
    """ "Stoel 12A, gate D7, boarding vanaf 08:30." — only what is known."""
    w = lambda key, **kw: _word(_WORDS, language, formality, key, **kw)  # noqa: E731
    trip = document.trip
    if document.kind == DocumentKind.TICKET:
        parts = [w("coach", coach=document.coach)] if document.coach else []
        if document.seat:
            parts.append(
                w("train_seat", seat=document.seat) if parts else w("seat", seat=document.seat)
            )
        sentence = ", ".join(parts) + "." if parts else ""
        if document.gate:
            sentence = f"{sentence} {w('platform', platform=document.gate)}".strip()
        return sentence
    parts = [w("seat", seat=document.seat)] if document.seat else []
    if document.gate:
        gate = w("gate", gate=document.gate)
        if document.terminal:
            gate += f" ({w('terminal', terminal=document.terminal)})"
        parts.append(gate)
    if document.boarding_time:
        time = local_time(document.boarding_time, trip.origin).strftime("%H:%M")
        parts.append(w("boarding", time=time))
    sentence = ", ".join(parts)
    if not document.gate:
        sentence = f"{sentence}; {w('no_gate')}" if sentence else w("no_gate")
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence + "."


def page(language: str, formality: str, key: str) -> str:
    return _word(PAGES, language, formality, key)
