"""Signed, expiring links to a document's PDF: what the providers fetch and the person opens.

The link carries the document's id signed with SECRET_KEY (django.core.signing), so it names
one document and cannot be made for another. It works until DOCUMENT_LINK_HOURS_AFTER_TRIP
after the trip's (latest known) arrival; after that, or once a newer version replaced the
document, it answers 410 with a page that says so.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from documents.models import Document

_SALT = "documents.link"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, sep=".", algorithm="sha256")


def document_token(document: Document) -> str:
    return _signer().sign(document.pk.hex)


def document_id_from_token(token: str) -> uuid.UUID | None:
    """The document a token names, or None when it is forged or malformed."""
    try:
        return uuid.UUID(hex=_signer().unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def document_path(document: Document) -> str:
    """The link without the origin, e.g. "documents/<token>/boarding-pass-KL1001.pdf"."""
    return reverse(
        "documents:file", kwargs={"token": document_token(document), "filename": document.filename}
    ).lstrip("/")


def document_url(document: Document) -> str:
    return f"{settings.PUBLIC_BASE_URL}/{document_path(document)}"


def link_expires_at(document: Document) -> datetime:
    hours = timedelta(hours=settings.DOCUMENT_LINK_HOURS_AFTER_TRIP)
    return document.trip.arrival + hours
