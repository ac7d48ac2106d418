"""Recognising what people write in the chat: codes, commands for a traveller, trip questions.

Plain functions on text, no database: each is tested on its own and the trip-question
recogniser is measured against a labelled set (bench/recogniser_accuracy.py). Dutch and
English, any case, tolerant of small typos.
"""

import re
import unicodedata

# A follow code: "TF" + 10 of core.models.FOLLOW_CODE_ALPHABET, alone or inside a sentence.
_CODE = re.compile(r"(?<![0-9a-z])tf[0-9a-z]{10}(?![0-9a-z])", re.IGNORECASE)
# A passenger's own opt-in code: "TM" + 10 of the same alphabet (no word starts with "tm").
_OPT_IN_CODE = re.compile(r"(?<![0-9a-z])tm[0-9a-z]{10}(?![0-9a-z])", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")

_FOLLOWERS = re.compile(
    r"\b(wie\s+(volgt|volgen)\s+(mij|me|mijn\s+reis)|who\s+(is\s+|are\s+)?(follows?|following)\s+(me|my\s+trip))\b"
)
_REMOVE = re.compile(
    r"^\s*(verwijder|verwijderen|remove|delete)\s*:?\s+(?P<who>.+?)\s*[.!]?\s*$", re.IGNORECASE
)
_SHARE = re.compile(r"^\s*(deel|share)\s*:(?P<text>.*)$", re.IGNORECASE | re.DOTALL)

# Asking for a person: "medewerker" / "agent" alone, or a sentence that asks to talk to one.
_AGENT_WORDS = {"medewerker", "agent", "mens", "human", "persoon", "person", "operator", "webcare"}
_AGENT_PHRASES = re.compile(
    r"\b(iemand\s+spreken|echt\s+persoon|real\s+person|talk\s+to\s+(a|someone)|speak\s+to\s+(a|someone)|"
    r"bel\s+mij|call\s+me|klantenservice|customer\s+service)\b"
)

# The trip-question recogniser: a message about the trip's progress. Terms are matched per word,
# allowing one typo in words of five letters or more.
_STATUS_TERMS = {
    # Dutch
    "vertraagd",
    "vertraging",
    "vertraagt",
    "vertrek",
    "vertrekt",
    "vertrokken",
    "geland",
    "landt",
    "landen",
    "landing",
    "aankomst",
    "aankomen",
    "aangekomen",
    "komt",
    "opgestegen",
    "opstijgen",
    "geannuleerd",
    "gate",
    "tijd",
    "laat",
    "status",
    "onderweg",
    "lucht",
    "waar",
    "wanneer",
    "vliegt",
    # English
    "delayed",
    "delay",
    "late",
    "depart",
    "departed",
    "departure",
    "leave",
    "leaves",
    "left",
    "landed",
    "land",
    "lands",
    "arrive",
    "arrived",
    "arrival",
    "arriving",
    "eta",
    "cancelled",
    "canceled",
    "time",
    "when",
    "where",
    "takeoff",
    "airborne",
    "schedule",
    "progress",
}
_TRIP_TERMS = {
    "vlucht",
    "vliegtuig",
    "toestel",
    "reis",
    "trein",
    "ze",
    "hij",
    "zij",
    "haar",
    "hem",
    "mama",
    "papa",
    "flight",
    "plane",
    "aircraft",
    "trip",
    "train",
    "she",
    "he",
    "her",
    "him",
    "mum",
    "mom",
    "dad",
}
_QUESTION_WORDS = {
    "waar",
    "wanneer",
    "hoe",
    "is",
    "heeft",
    "zijn",
    "where",
    "when",
    "how",
    "has",
    "what",
    "did",
    "will",
    "does",
}
# Topics that sound like the trip but are for a person: they veto an automated answer.
_OTHER_TOPICS = {
    "bagage",
    "koffer",
    "stoel",
    "stoelen",
    "annuleren",
    "omboeken",
    "wijzigen",
    "betalen",
    "factuur",
    "terugbetaling",
    "refund",
    "invoice",
    "seat",
    "seats",
    "baggage",
    "luggage",
    "suitcase",
    "bag",
    "pay",
    "rebook",
    "change",
    "book",
    "boeken",
    "klacht",
    "complaint",
    "inchecken",
    "check",
    "huisdier",
    "pet",
    "rolstoel",
    "wheelchair",
    "assistentie",
    "assistance",
    "maaltijd",
    "meal",
    "upgrade",
}
_PHRASES = (
    "op tijd",
    "on time",
    "take off",
    "took off",
    "taken off",
    "hoe laat",
    "what time",
    "how late",
    "in de lucht",
    "in the air",
    "is ze er",
    "is hij er",
)

_DUTCH = {
    "ik",
    "je",
    "jij",
    "de",
    "het",
    "een",
    "en",
    "van",
    "wil",
    "graag",
    "volgen",
    "hoi",
    "hallo",
    "dag",
    "is",
    "waar",
    "hoe",
    "laat",
    "vlucht",
    "mijn",
    "wie",
    "volgt",
    "mij",
    "bedankt",
    "dank",
    "alsjeblieft",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "reis",
    "oma",
    "opa",
    "ze",
    "zij",
    "hij",
    "niet",
    "wat",
}
_ENGLISH = {
    "i",
    "you",
    "the",
    "a",
    "an",
    "and",
    "of",
    "want",
    "to",
    "follow",
    "hi",
    "hello",
    "hey",
    "is",
    "where",
    "how",
    "late",
    "flight",
    "my",
    "who",
    "follows",
    "me",
    "thanks",
    "thank",
    "please",
    "morning",
    "trip",
    "she",
    "he",
    "her",
    "not",
    "what",
    "would",
    "like",
    "join",
    "updates",
    "with",
}


def _fold(text: str) -> str:
    """Lower case without accents: "Geannuleerd?" and "geannuleërd" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text).replace("’", "'"))


def follow_code_find(text: str) -> str | None:
    """The first follow code in the text, upper-cased; None when there is none."""
    match = _CODE.search(text or "")
    return match.group(0).upper() if match else None


def opt_in_code_find(text: str) -> str | None:
    """The first of a passenger's own opt-in codes in the text, upper-cased;
    None when there is none."""
    match = _OPT_IN_CODE.search(text or "")
    return match.group(0).upper() if match else None


def language_guess(text: str) -> str | None:
    """ "nl" or "en" from the words used, or None when the text does not tell (a code alone)."""
    words = set(_words(_OPT_IN_CODE.sub(" ", _CODE.sub(" ", text or ""))))
    dutch, english = len(words & _DUTCH), len(words & _ENGLISH)
    if dutch == english:
        return None
    return "nl" if dutch > english else "en"


def asks_followers(text: str) -> bool:
    return bool(_FOLLOWERS.search(" ".join(_words(text))))


def remove_target(text: str) -> str | None:
    """Whom a traveller wants removed ("verwijder Joost", "remove 2"), or None."""
    match = _REMOVE.match(text or "")
    return match.group("who").strip() if match else None


def share_text(text: str) -> str | None:
    """The text after "deel:"/"share:" (empty for a photo captioned just "deel:"), or None."""
    match = _SHARE.match(text or "")
    return match.group("text").strip() if match else None


HUMAN_PAYLOAD = "HUMAN"  # the automated answers' "Talk to a person" button


def asks_for_person(text: str, payload: str = "") -> bool:
    """Asking for a person: typed, or the button's payload (read the same way)."""
    if (payload or "").upper() == HUMAN_PAYLOAD:
        return True
    words = _words(text)
    if not words:
        return False
    if len(words) <= 3 and any(w in _AGENT_WORDS for w in words):
        return True
    folded = " ".join(words)
    return bool(_AGENT_PHRASES.search(folded)) or any(w in ("medewerker", "human") for w in words)


def _close(word: str, terms: set[str]) -> bool:
    """In the set, or one edit away from a term (for words of five letters or more)."""
    if word in terms:
        return True
    if len(word) < 5:
        return False
    return any(
        abs(len(term) - len(word)) <= 1 and _one_edit(word, term)
        for term in terms
        if len(term) >= 5
    )


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance of at most one, or two neighbouring letters swapped."""
    if a == b:
        return True
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def is_trip_question(text: str) -> bool:
    """A question about the progress of a trip: where it is, whether it is on time, when it lands.

    A status or time term, plus something that makes it about the trip or a question (a trip
    word, a question word or a question mark); a topic meant for a person vetoes it.
    """
    words = _words(text)
    if not words or len(words) > 25:
        return False
    folded = " ".join(words)
    if any(_close(w, _OTHER_TOPICS) for w in words if len(w) > 2):
        return False
    status = any(p in folded for p in _PHRASES) or any(_close(w, _STATUS_TERMS) for w in words)
    if not status:
        return False
    about_trip = any(_close(w, _TRIP_TERMS) for w in words)
    question = "?" in (text or "") or words[0] in _QUESTION_WORDS
    return about_trip or question


def classify(text: str) -> str:
    """One label per message, in the order the chat handlers try them (used to measure them)."""
    if follow_code_find(text) or opt_in_code_find(text):
        return "code"
    if asks_followers(text):
        return "followers"
    if remove_target(text) is not None:
        return "remove"
    if share_text(text) is not None:
        return "share"
    if asks_for_person(text):
        return "agent"
    if is_trip_question(text):
        return "trip_question"
    return "other"
