"""The message a document comes with, word for word: Dutch and English, "u" and "je", for a
boarding pass and a rail ticket, with local times; and the page a replaced link shows."""

import pytest

from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body
from tests.documents.conftest import bcbp, document_body, post_document

READERS = {
    ("nl", "formal"): ("Anna", "de Vries", "DEVRIES/ANNA"),
    ("nl", "informal"): ("Bram", "Bakker", "BAKKER/BRAM"),
    ("en", "formal"): ("Claire", "Smith", "SMITH/CLAIRE"),
    ("en", "informal"): ("Dave", "Jones", "JONES/DAVE"),
}
BOARDING_PASS = {
    (
        "nl",
        "formal",
    ): (
        "Beste Anna de Vries, hier is uw instapkaart voor vlucht KL1001 naar Londen op {day}. "
        "Stoel 12A, gate D7, boarding vanaf 08:30. Goede reis!"
    ),
    (
        "nl",
        "informal",
    ): (
        "Hoi Bram, hier is je instapkaart voor vlucht KL1001 naar Londen op {day}. Stoel 12A, "
        "gate D7, boarding vanaf 08:30. Goede reis!"
    ),
    (
        "en",
        "formal",
    ): (
        "Dear Claire Smith, here is your boarding pass for flight KL1001 to London on {day}. "
        "Seat 12A, gate D7, boarding from 08:30. Have a good trip!"
    ),
    (
        "en",
        "informal",
    ): (
        "Hi Dave, here's your boarding pass for flight KL1001 to London on {day}. Seat 12A, "
        "gate D7, boarding from 08:30. Have a good trip!"
    ),
}
NO_GATE = {
    ("nl", "formal"): "Stoel 12A, boarding vanaf 08:30; de gate ziet u op de schermen.",
    ("nl", "informal"): "Stoel 12A, boarding vanaf 08:30; de gate zie je op de schermen.",
    ("en", "formal"): "Seat 12A, boarding from 08:30; check the screens for your gate.",
    ("en", "informal"): "Seat 12A, boarding from 08:30; check the screens for your gate.",
}
TICKET = {
    (
        "nl",
        "formal",
    ): (
        "Beste Anna de Vries, hier is uw treinkaartje voor trein EST9114 naar Londen op {day}. "
        "Rijtuig 5, stoel 61. Vertrek van spoor 15b. Goede reis!"
    ),
    (
        "nl",
        "informal",
    ): (
        "Hoi Bram, hier is je treinkaartje voor trein EST9114 naar Londen op {day}. Rijtuig 5, "
        "stoel 61. Vertrek van spoor 15b. Goede reis!"
    ),
    (
        "en",
        "formal",
    ): (
        "Dear Claire Smith, here is your ticket for train EST9114 to London on {day}. Coach 5, "
        "seat 61. Departs from platform 15b. Have a good trip!"
    ),
    (
        "en",
        "informal",
    ): (
        "Hi Dave, here's your ticket for train EST9114 to London on {day}. Coach 5, seat 61. "
        "Departs from platform 15b. Have a good trip!"
    ),
}
PHONE = "+3161234560{}"


def book(api, language, formality, *, train=False):
    given, family, _ = READERS[(language, formality)]
    body = booking_body()
    body["passengers"][0].update(
        given_name=given, family_name=family, language=language, formality=formality
    )
    if train:
        body["segments"] = [
            {
                "trip": clock.trip("EST9114"),
                "origin": "ZYA",
                "destination": "QQS",
                "scheduled_departure": clock.iso(8, 16),
                "scheduled_arrival": clock.iso(12, 57, tz=clock.LONDON),
                "passengers": ["P1"],
            }
        ]
    assert api.put_booking("ABC123", body).status_code == 201


def caption() -> str:
    return SandboxMessage.objects.exclude(media_file=None).latest("created_at").text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(READERS))
def test_boarding_pass_message(api, variant):
    book(api, *variant)
    name = READERS[variant][2]
    assert post_document(api, document_body(barcode=bcbp(name=name))).status_code == 202
    assert caption() == BOARDING_PASS[variant].format(day=clock.spoken_day(variant[0]))
    message = SandboxMessage.objects.exclude(media_file=None).get()
    assert message.media_content_type == "application/pdf" and message.media_pages == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(READERS))
def test_boarding_pass_without_a_gate_points_to_the_screens(api, variant):
    book(api, *variant)
    body = document_body(barcode=bcbp(name=READERS[variant][2]), gate=None)
    assert post_document(api, body).status_code == 202
    assert NO_GATE[variant] in caption()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", list(READERS))
def test_rail_ticket_message(api, variant):
    book(api, *variant, train=True)
    body = {
        "passenger": "P1",
        "trip": clock.trip("EST9114"),
        "kind": "ticket",
        "coach": "5",
        "seat": "61",
        "gate": "15b",
        "barcode": "#UT01EST9114 ticket data",
    }
    assert post_document(api, body).status_code == 202, body
    assert caption() == TICKET[variant].format(day=clock.spoken_day(variant[0]))
    message = SandboxMessage.objects.exclude(media_file=None).get()
    assert message.media_filename == (
        "treinkaartje-EST9114.pdf" if variant[0] == "nl" else "train-ticket-EST9114.pdf"
    )
