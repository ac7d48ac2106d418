"""Meta's webhook: the verification handshake (GET) and signed page events (POST).

Async, as Twilio's: the signature and the JSON are checked on the event loop, and the events
are stored in one hand-off to a thread (messages are processed later, in the worker).
"""

import hashlib
import hmac
import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from channels_messenger.webhooks import accept_events


@csrf_exempt
@require_http_methods(["GET", "POST"])
async def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    problem, events = _events(request)
    if problem is not None:
        return problem
    await sync_to_async(accept_events)(events)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def _verify(request: HttpRequest) -> HttpResponse:
    expected = settings.MESSENGER_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and expected
        and hmac.compare_digest(given.encode(), expected.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponse("verification failed", status=403, content_type="text/plain")


# Meta's events nest about eight levels deep; far deeper is no event of theirs.
MAX_DEPTH = 32


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _events(request: HttpRequest) -> tuple[HttpResponse | None, dict]:
    """(the refusal, {}) or (None, the events for our page)."""
    # The signature covers the raw bytes, so it is checked before anything is parsed.
    if not signature_valid(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return _refused({"error": "missing or invalid X-Hub-Signature-256"}, status=403)
    try:
        payload = json.loads(request.body)
    except (ValueError, RecursionError):
        return _refused({"error": "the body is not JSON"}, status=400)
    if _depth(payload) > MAX_DEPTH:
        return _refused({"error": f"the body nests deeper than {MAX_DEPTH} levels"}, status=400)
    if not isinstance(payload, dict) or payload.get("object") != "page":
        found = payload.get("object") if isinstance(payload, dict) else type(payload).__name__
        return _refused({"error": f"object must be 'page', got {found!r}"}, status=400)
    if not isinstance(payload.get("entry"), list):
        return _refused({"error": "entry must be a list"}, status=400)
    # Only our page's events: an app subscribed to other pages (or a replayed event of one) must
    # not create people or conversations here.
    ours = [e for e in payload["entry"] if isinstance(e, dict) and _our_page(e)]
    if payload["entry"] and not ours:
        return _refused({"error": "entry[].id: these events are not for this page"}, status=403)
    return None, {**payload, "entry": ours}


def _refused(error: dict, status: int) -> tuple[HttpResponse, dict]:
    return JsonResponse(error, status=status), {}


def _our_page(entry: dict) -> bool:
    page = settings.MESSENGER_PAGE_ID
    return bool(page) and str(entry.get("id", "")) == page


def signature_valid(body: bytes, header: str) -> bool:
    """sha256=<hex HMAC-SHA256 of the body with the app secret>, compared in constant time."""
    secret = settings.MESSENGER_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False  # a channel without an app secret accepts nothing
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())
