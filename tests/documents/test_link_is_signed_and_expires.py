"""The file is served at a signed link that names one document: a forged link is 404, a link
past DOCUMENT_LINK_HOURS_AFTER_TRIP after the trip is 410, never another person's file."""

from datetime import timedelta

import pytest
from django.test import Client

from documents.links import document_token
from documents.models import Document
from tests import clock as suite_clock
from tests.documents.conftest import document_body, post_document


def _path(document: Document) -> str:
    return f"/documents/{document_token(document)}/{document.filename}"


@pytest.fixture
def issued(api, booked) -> Document:
    response = post_document(api, document_body())
    return Document.objects.get(pk=response.json()["id"])


@pytest.mark.django_db(transaction=True)
def test_the_signed_link_serves_the_pdf_for_the_provider_to_fetch(issued):
    issued.refresh_from_db()
    # The (sandbox) provider fetched it when it sent the message, as Twilio does.
    assert issued.first_fetched_at is not None and issued.fetches == 1
    response = Client().get(_path(issued))  # no session, no key: the person opens it
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="instapkaart-KL1001.pdf"'
    assert response.content == bytes(issued.pdf)
    issued.refresh_from_db()
    assert issued.fetches == 2


@pytest.mark.django_db(transaction=True)
def test_a_forged_or_altered_link_is_404(issued, api):
    other = Document.objects.create(
        kind=issued.kind,
        booking=issued.booking,
        passenger=issued.booking.passengers.get(),
        trip=issued.trip,
        barcode="x",
        barcode_format="pdf417",
        content_hash="x",
        filename="other.pdf",
        pdf=b"%PDF- someone else",
        superseded_at=issued.created_at,
    )
    token = document_token(issued)
    signature = token.split(".", 1)[1]
    for path in (
        f"/documents/{other.pk.hex}.{signature}/{issued.filename}",  # another id, same signature
        f"/documents/{issued.pk.hex}.{'A' * len(signature)}/{issued.filename}",
        f"/documents/{issued.pk.hex}/{issued.filename}",
        f"/documents/{token}/other.pdf",
    ):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert b"%PDF" not in response.content


@pytest.mark.django_db(transaction=True)
def test_the_link_expires_a_configured_time_after_the_trip(issued, clock, settings):
    settings.DOCUMENT_LINK_HOURS_AFTER_TRIP = 24
    arrival = suite_clock.ARRIVAL
    clock.move_to(arrival + timedelta(hours=23, minutes=50))
    assert Client().get(_path(issued)).status_code == 200
    clock.move_to(arrival + timedelta(hours=24, minutes=1))
    response = Client().get(_path(issued))
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.content.decode()
    assert b"%PDF" not in response.content


@pytest.mark.django_db(transaction=True)
def test_expired_pdfs_are_purged_and_stay_gone(issued, clock, settings):
    from documents.services import documents_purge

    clock.move_to(
        suite_clock.ARRIVAL + timedelta(hours=settings.DOCUMENT_LINK_HOURS_AFTER_TRIP + 1)
    )
    assert documents_purge() == 1
    issued.refresh_from_db()
    assert issued.pdf is None and issued.purged_at is not None
    assert Client().get(_path(issued)).status_code == 410


def test_an_unknown_barcode_format_in_the_settings_fails_the_check(settings):
    from documents.checks import barcode_formats_check

    settings.DOCUMENT_BARCODE_FORMATS = {"*": "pdf417", "U2": "datamatrix"}
    [error] = barcode_formats_check()
    assert error.id == "documents.E001" and "U2=datamatrix" in error.msg
