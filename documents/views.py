"""The document's file at its signed link: what the provider fetches and the person opens.

A forged or malformed link is 404 and names nothing. A replaced version, or a link past its
time, is 410 with a short page in the passenger's language saying why, never another file.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from documents import wording
from documents.links import document_id_from_token, link_expires_at
from documents.models import Document
from documents.services import document_fetched


def _gone(request, document: Document, reason: str) -> HttpResponse:
    customer = document.passenger.customer
    language, formality = customer.language, customer.formality
    response = render(
        request,
        "documents/gone.html",
        {
            "language": language if language in ("nl", "en") else "en",
            "title": wording.page(language, formality, f"{reason}_title"),
            "text": wording.page(language, formality, reason),
        },
        status=410,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def document_file(request, token: str, filename: str):
    document_id = document_id_from_token(token)
    document = None
    if document_id is not None:
        document = (
            Document.objects.select_related("trip", "passenger__customer")
            .filter(pk=document_id)
            .first()
        )
    if document is None or document.filename != filename:
        raise Http404("no such document")
    if not document.current:
        return _gone(request, document, "replaced")
    if link_expires_at(document) <= timezone.now() or document.pdf is None:
        return _gone(request, document, "expired")
    if request.method == "GET":
        document_fetched(document=document)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    # Twilio cannot name a WhatsApp document: the file's own name comes from here.
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Content-Length"] = str(document.size)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
