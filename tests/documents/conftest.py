"""Documents: a booking for the suite's flight, BCBP data that matches it, and ways to read
the PDF back as a phone and a gate scanner would (rasterised, then decoded with zxing-cpp)."""

import io

import pypdfium2
import pytest
import zxingcpp

from core.services import api_key_create
from tests import clock
from tests.api.helpers import Api, booking_body


def julian(offset: int = 1) -> int:
    day = clock.day(offset)
    return day.timetuple().tm_yday


def bcbp(
    *,
    name: str = "DEVRIES/ANNA",
    pnr: str = "ABC123",
    route: str = "AMSLHR",
    carrier: str = "KL ",
    flight: str = "1001 ",
    day: int | None = None,
    seat: str = "012A",
    sequence: str = "0001 ",
    tail: str = "100",
) -> str:
    """BCBP data as in CONTRACT.md §4, for the suite's flight tomorrow (tests/clock.py)."""
    day = julian() if day is None else day
    return f"M1{name:<20}E{pnr:<7}{route}{carrier}{flight}{day:03d}Y{seat}{sequence}{tail}"


def document_body(**changes) -> dict:
    body = {
        "passenger": "P1",
        "trip": clock.TRIP,
        "kind": "boarding_pass",
        "seat": "12A",
        "gate": "D7",
        "boarding_time": clock.iso(8, 30),
        "barcode": bcbp(),
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def api(db) -> Api:
    return Api(api_key_create(name="booking engine")[1])


@pytest.fixture
def booked(api):
    """Booking ABC123: Anna de Vries (nl, formal, WhatsApp, opted in) on KL1001 tomorrow."""
    response = api.put_booking("ABC123", booking_body())
    assert response.status_code == 201, response.content
    return response.json()


def post_document(api: Api, body: dict, reference: str = "ABC123"):
    return api.post(f"/bookings/{reference}/documents", body)


def rasterise(pdf: bytes, scale: float = 2.0):
    """Page 1 as a picture, as a phone shows the PDF (PDFium, the renderer Chrome uses)."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    assert len(document) == 1, "a mobile boarding pass is one page"
    return document[0].render(scale=scale).to_pil()


def scanned(pdf: bytes):
    """What a gate scanner reads off the rasterised page."""
    return zxingcpp.read_barcode(rasterise(pdf), text_mode=zxingcpp.TextMode.Plain)


def page_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return document[0].get_textpage().get_text_range()
