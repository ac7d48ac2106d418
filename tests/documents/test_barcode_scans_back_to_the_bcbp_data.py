"""The proof the code works at a gate: render the PDF, rasterise it, decode it with zxing-cpp,
and get exactly the data the carrier gave — spaces and all — in each format."""

import base64

import pytest

from documents.models import Document
from tests.documents.conftest import bcbp, document_body, page_text, post_document, scanned


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt, expected", [("pdf417", "PDF417"), ("aztec", "Aztec"), ("qr", "QRCode")]
)
def test_boarding_pass_code_reads_back_exactly(api, booked, fmt, expected):
    data = bcbp()
    response = post_document(api, document_body(barcode=data, barcode_format=fmt))
    assert response.status_code == 202, response.content
    document = Document.objects.get(pk=response.json()["id"])
    read = scanned(bytes(document.pdf))
    assert read is not None, "no code found on the rendered page"
    assert read.format.name == expected
    assert read.text == data


@pytest.mark.django_db
def test_pdf417_is_the_default_and_the_page_reads_as_a_boarding_pass(api, booked):
    response = post_document(api, document_body())
    document = Document.objects.get(pk=response.json()["id"])
    pdf = bytes(document.pdf)
    assert scanned(pdf).format.name == "PDF417"
    text = page_text(pdf)
    for printed in (
        "KLM Royal Dutch Airlines",
        "Instapkaart",
        "Anna de Vries",
        "AMS",
        "LHR",
        "Amsterdam",
        "Londen",
        "09:00",
        "09:20",
        "08:30",
        "D7",
        "12A",
        "KL1001",
        "ABC123",
        "Economy",
    ):
        assert printed in text, printed
    assert len(pdf) <= 100_000


@pytest.mark.django_db
def test_rail_ticket_carries_binary_ticket_data_in_aztec(api, booked):
    ticket = bytes(range(256)) + b"#UT01 signed ticket data"
    response = post_document(
        api,
        {
            "passenger": "P1",
            "trip": booked["segments"][0]["trip"],
            "kind": "ticket",
            "coach": "5",
            "seat": "61",
            "gate": "15b",
            "travel_class": "2",
            "barcode": base64.b64encode(ticket).decode(),
            "barcode_encoding": "base64",
        },
    )
    assert response.status_code == 202, response.content
    document = Document.objects.get(pk=response.json()["id"])
    read = scanned(bytes(document.pdf))
    assert read.format.name == "Aztec"
    assert read.bytes == ticket
    assert "Treinkaartje" in page_text(bytes(document.pdf))
