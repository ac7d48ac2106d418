"""Twilio's webhooks: check the signature, store, hand off, answer at once.

Async views: under ASGI many requests are answered at once in one process, and each touches
the database once (an inbound message's row, or a status report for the status lane).
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from channels_whatsapp.webhooks import MalformedWebhook, inbound_fields, status_report
from core.handoff import GroupInsert, WindowedHandOff
from core.services import inbound_row, inbounds_announce, inbounds_store
from notifications.enqueue import status_apply_soon
from notifications.services import status_report_astore

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# New messages go to the worker in one task per 20 ms and web process, not one each.
INBOUND_HANDOFF = WindowedHandOff("inbound", inbounds_announce, window=0.02)
# Messages arriving together are stored in one INSERT (group commit).
INBOUND_ROWS = GroupInsert(inbounds_store)


@lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def _signature_problem(request: HttpRequest) -> str:
    """Why the request is not from Twilio, or "" when it is."""
    if not settings.TWILIO_AUTH_TOKEN:
        return "WhatsApp through Twilio is not configured here"
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return "missing X-Twilio-Signature"
    # Twilio signs the URL it called, which behind a proxy is the public one, not ours.
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    if not _validator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature):
        return "invalid X-Twilio-Signature"
    return ""


@csrf_exempt
@require_POST
async def inbound(request: HttpRequest) -> HttpResponse:
    problem = _signature_problem(request)
    if problem:
        return HttpResponseForbidden(problem, content_type="text/plain")
    try:
        row = inbound_row(**inbound_fields(request.POST))
    except MalformedWebhook as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    # Stored with the messages that arrive meanwhile (one INSERT); its processing is queued for
    # the worker within the window.
    row, created = await INBOUND_ROWS.store(row)
    if created:
        await INBOUND_HANDOFF.add(row.pk)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
async def status(request: HttpRequest) -> HttpResponse:
    problem = _signature_problem(request)
    if problem:
        return HttpResponseForbidden(problem, content_type="text/plain")
    try:
        report = status_report(request.POST, request.GET.get("d"))
    except MalformedWebhook as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    if report is not None:
        await status_report_astore(**report)
        await status_apply_soon()
    return HttpResponse(status=204)
