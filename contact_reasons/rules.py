"""The keyword rules: the baseline the learned model is measured against (bench/contact_reasons.py).

Plain functions on text, Dutch and English, written from the training split only (the held-out
split is never read to change them). The inbox does not use them: a suggestion comes from the
model trained on the agents' labels, or there is none.
"""

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")

# In the order they are tried: the first reason with a matching stem wins. Stems match the start
# of a word ("koffer" matches "koffers"); a stem with a space matches across words.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        "special_assistance",
        (
            "rolstoel",
            "wheelchair",
            "assistentie",
            "assistance",
            "hulphond",
            "geleidehond",
            "service dog",
            "zwanger",
            "pregnant",
            "glutenvrij",
            "gluten",
            "vegan",
            "vegetar",
            "allergie",
            "allergy",
            "zuurstof",
            "oxygen",
            "cpap",
            "alleen reist",
            "flying alone",
            "begeleiding",
            "escort",
            "slecht ter been",
            "mobility",
            "doof",
            "hearing",
            "blind",
            "autism",
            "autistic",
            "dementie",
            "parkinson",
            "diabe",
            "maaltijd",
            "meal",
            "hond",
            "dog",
            "kat ",
            "lift",
        ),
    ),
    (
        "refund",
        (
            "refund",
            "terugbetal",
            "geld terug",
            "money back",
            "terugstort",
            "terugboek",
            "twee keer afgeschreven",
            "charged twice",
            "double payment",
            "dubbel betaald",
            "factuur",
            "invoice",
            "creditnota",
            "chargeback",
            "reimburse",
            "terugkrijg",
            "krijg ik terug",
            "get back",
        ),
    ),
    (
        "baggage",
        (
            "koffer",
            "suitcase",
            "bagage",
            "baggage",
            "luggage",
            "bag ",
            "bags",
            "tas ",
            "handbagage",
            "kinderwagen",
            "stroller",
            "golftas",
            "surfplank",
            "ski",
            "fiets",
            "bike",
            "kilo",
            "kg",
            "pir",
            "gevonden voorwerpen",
            "left my",
            "vergeten",
        ),
    ),
    (
        "check_in",
        (
            "inchecken",
            "incheck",
            "check in",
            "check-in",
            "checkin",
            "boardingpass",
            "boarding pass",
            "instapkaart",
            "ingecheckt",
            "checked in",
        ),
    ),
    (
        "seat",
        (
            "stoel",
            "seat",
            "naast elkaar",
            "sit together",
            "beenruimte",
            "legroom",
            "raam",
            "window",
            "gangpad",
            "aisle",
            "nooduitgang",
            "exit row",
            "upgrade",
            "zitplaats",
        ),
    ),
    (
        "delay",
        (
            "vertraag",
            "vertraging",
            "delay",
            "delayed",
            "te laat",
            "late",
            "op tijd",
            "on time",
            "compensatie",
            "compensation",
            "eu261",
            "uitgesteld",
            "voucher",
            "aansluiting gemist",
            "missed my connection",
        ),
    ),
    (
        "rebooking",
        (
            "omboek",
            "ombook",
            "wijzig",
            "verzet",
            "verplaats",
            "change my",
            "change the",
            "move my",
            "rebook",
            "verkeerd geboekt",
            "wrong date",
            "andere datum",
            "postpone",
            "naam op",
            "spelling",
            "toevoegen",
            "add my",
            "switch to",
            "earlier flight",
            "later flight",
            "geannuleerd",
        ),
    ),
]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def reason_by_rules(text: str) -> str:
    """The first reason whose stems occur in the text; "other" when none does."""
    folded = " " + " ".join(_WORD.findall(_fold(text))) + " "
    for reason, stems in _RULES:
        if any(_matches(folded, stem) for stem in stems):
            return reason
    return "other"


def _matches(folded: str, stem: str) -> bool:
    """At the start of a word; a stem ending in a space is a whole word ("tas " is not "tasty")."""
    return (" " + stem) in folded
