"""A relative reads every group message in their own language and form of address, whoever's link
they joined through; two travellers are "Anna en Bram" / "Anna and Bram", and one answer names
both instead of repeating the same status per traveller."""

import pytest

from core.models import ContactPoint, Customer
from tests import clock
from tests.groups.conftest import forget_sent, received

JOOST = "+31611111111"
TRUUS = "7130088127765003"
MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _day(language: str) -> str:
    day = clock.day(1)
    return f"{day.day} {(MONTHS_NL if language == 'nl' else MONTHS_EN)[day.month - 1]}"


def travellers(*people: tuple[str, str, str, str]) -> dict:
    """(id, given name, language, WhatsApp) on the suite's KL1001 tomorrow, 09:00 → 09:20."""
    return {
        "passengers": [
            {
                "id": pax,
                "given_name": given,
                "family_name": "de Vries",
                "language": language,
                "formality": "informal",
                "contacts": [{"channel": "whatsapp", "address": phone, "opt_in": True}],
            }
            for pax, given, language, phone in people
        ],
        "segments": [
            clock.flight_segment([p[0] for p in people]),
        ],
    }


ANNA_AND_BRAM = travellers(
    ("P1", "Anna", "nl", "+31612345678"), ("P2", "Bram", "en", "+31687654321")
)


def known_relative(channel: str, address: str, language: str, formality: str) -> None:
    """Someone we already know, e.g. entered by an operator: their language and form are theirs."""
    customer = Customer.objects.create(
        given_name="Joost", family_name="Bakker", language=language, formality=formality
    )
    ContactPoint.objects.create(customer=customer, channel=channel, address=address)


JOINED = {
    (
        "nl",
        "formal",
    ): "U volgt nu de reis van {traveller}: vlucht KL1001 van Amsterdam naar Londen op {day}.",
    (
        "nl",
        "informal",
    ): "Je volgt nu de reis van {traveller}: vlucht KL1001 van Amsterdam naar Londen op {day}.",
    ("en", "formal"): (
        "You now follow {traveller}'s trip: "
        "flight KL1001 from Amsterdam to London on {day}. You will"
    ),
    (
        "en",
        "informal",
    ): "You now follow {traveller}'s trip: flight KL1001 from Amsterdam to London on {day}. You'll",
}
DEPARTED = {
    ("nl"): (
        "De vlucht van Anna en Bram naar Londen (KL1001) is om 09:12 vertrokken. "
        "Verwachte aankomst: 09:41 lokale tijd."
    ),
    ("en"): (
        "Anna and Bram's flight KL1001 to London departed at 09:12. "
        "Expected arrival: 09:41 local time."
    ),
}
QUESTIONS = {"nl": "Hoe laat landt de vlucht?", "en": "When does the flight land?"}
ANSWERS = {
    (
        "nl",
        "formal",
    ): (
        "Automatisch antwoord: Anna en Bram: KL1001 naar Londen is om "
        "09:12 vertrokken en is onderweg; verwachte aankomst 09:41 lokale tijd. "
        "Wilt u een medewerker spreken? Stuur 'medewerker'."
    ),
    (
        "nl",
        "informal",
    ): (
        "Automatisch antwoord: Anna en Bram: KL1001 naar Londen is om "
        "09:12 vertrokken en is onderweg; verwachte aankomst 09:41 lokale tijd. "
        "Wil je een medewerker spreken? Stuur 'medewerker'."
    ),
    (
        "en",
        "formal",
    ): "Automated reply: Anna and Bram: KL1001 to London departed at 09:12 and is on its way; "
    "expected arrival 09:41 local time. Would you like to talk to a person? Send 'agent'.",
    (
        "en",
        "informal",
    ): "Automated reply: Anna and Bram: KL1001 to London departed at 09:12 and is on its way; "
    "expected arrival 09:41 local time. Want to talk to a person? Send 'agent'.",
}


HELPED = {
    ("nl", "formal"): "Heeft dit antwoord u geholpen?",
    ("nl", "informal"): "Heeft dit antwoord je geholpen?",
    ("en", "formal"): "Has this answer helped you?",
    ("en", "informal"): "Did this answer help?",
}


@pytest.mark.parametrize("language, formality", sorted(JOINED))
@pytest.mark.django_db(transaction=True)
def test_relative_following_two_travellers_reads_everything_in_their_own_words(
    phones, api, language, formality
):
    known_relative("whatsapp", JOOST, language, formality)
    codes = [
        p["follow_code"] for p in api.put_booking("FAM001", ANNA_AND_BRAM).json()["passengers"]
    ]
    forget_sent()

    # Anna books in Dutch, Bram in English: neither decides how Joost is addressed.
    phones.whatsapp(JOOST, codes[0])
    phones.whatsapp(JOOST, codes[1])

    first, second = received(JOOST)
    assert first.startswith(
        JOINED[(language, formality)].format(traveller="Anna", day=_day(language))
    )
    assert second.startswith(
        JOINED[(language, formality)].format(traveller="Bram", day=_day(language))
    )
    forget_sent()

    departed = api.post_event(
        {
            "type": "departed",
            "actual_departure": clock.iso(9, 12),
            "estimated_arrival": clock.iso(9, 41, tz=clock.LONDON),
        },
        trip=clock.TRIP,
    )

    assert departed.json()["recipients"] == 3
    assert received(JOOST) == [DEPARTED[language]]
    forget_sent()

    phones.whatsapp(JOOST, QUESTIONS[language])

    # The answer, then whether it helped (insights/surveys.py), in Joost's own words too.
    assert received(JOOST) == [ANSWERS[(language, formality)], HELPED[(language, formality)]]


@pytest.mark.django_db(transaction=True)
def test_oma_truus_stays_dutch_and_formal_after_opening_an_english_travellers_link(phones, api):
    codes = [
        p["follow_code"] for p in api.put_booking("FAM002", ANNA_AND_BRAM).json()["passengers"]
    ]
    phones.open_link(TRUUS, codes[0])  # Anna's link: all we know of Truus is that she follows Anna
    forget_sent()

    phones.open_link(TRUUS, codes[1])  # Bram's link; Bram reads English and is addressed as "je"

    [confirmation] = received(TRUUS)
    assert confirmation.startswith(
        JOINED[("nl", "formal")].format(traveller="Bram", day=_day("nl"))
    )
    assert confirmation.endswith("Stuur STOP om u af te melden.")
    forget_sent()

    api.post_event(
        {
            "type": "departed",
            "actual_departure": clock.iso(9, 12),
            "estimated_arrival": clock.iso(9, 41, tz=clock.LONDON),
        },
        trip=clock.TRIP,
    )

    assert received(TRUUS) == [DEPARTED["nl"]]


@pytest.mark.django_db(transaction=True)
def test_a_relative_who_writes_english_is_answered_in_english(phones, api):
    known_relative("whatsapp", JOOST, "nl", "formal")
    code = api.put_booking("FAM003", ANNA_AND_BRAM).json()["passengers"][0]["follow_code"]
    forget_sent()

    phones.whatsapp(JOOST, f"Hi, I would like to follow my sister's trip please: {code}")

    [confirmation] = received(JOOST)
    assert confirmation.startswith(
        JOINED[("en", "formal")].format(traveller="Anna", day=_day("en"))
    )
