"""Twilio's webhooks: check the signature, hand the form to a service, answer at once."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from channels_whatsapp.webhooks import MalformedWebhook, accept_inbound, accept_status

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _signature_problem(request: HttpRequest) -> str:
    """Why the request is not from Twilio, or "" when it is."""
    if not settings.TWILIO_AUTH_TOKEN:
        return "WhatsApp through Twilio is not configured here"
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return "missing X-Twilio-Signature"
    # Twilio signs the URL it called, which behind a proxy is the public one, not ours.
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature):
        return "invalid X-Twilio-Signature"
    return ""


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    problem = _signature_problem(request)
    if problem:
        return HttpResponseForbidden(problem, content_type="text/plain")
    try:
        accept_inbound(request.POST)
    except MalformedWebhook as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
def status(request: HttpRequest) -> HttpResponse:
    problem = _signature_problem(request)
    if problem:
        return HttpResponseForbidden(problem, content_type="text/plain")
    try:
        accept_status(request.POST, request.GET.get("d"))
    except MalformedWebhook as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    return HttpResponse(status=204)
