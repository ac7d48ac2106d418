"""Graph API errors of the Send API → DeliveryError.

Graph answers `{"error": {"message", "type", "code", "error_subcode", "is_transient",
"fbtrace_id"}}`. Meta publishes no complete "retryable" list; this classification follows its
Messenger error-code tables (Send API reference and "Common Error Codes"):

| code (subcode)           | meaning                                  | treat as                   |
|--------------------------|------------------------------------------|----------------------------|
| 10 (2018278)             | outside the allowed (24-hour) window     | permanent for this message |
| 551 (1545041)            | this person isn't available right now    | permanent, unreachable     |
| 100 (2018001)            | no matching user (PSID not of this page) | permanent, unreachable     |
| 10, 200–299, 230, 190, 3 | permission / token problems              | permanent (fix the set-up) |
| 100, 368, other 4xx      | invalid request, policy                  | permanent                  |
| 4, 17, 32, 613, HTTP 429 | rate limits                              | retry later                |
| 1, 2, 1200, HTTP 5xx     | temporary / unexpected failure           | retry later                |

Graph's own `is_transient: true` also means retry.
"""

import json

from core.messaging import DeliveryError

WINDOW_CLOSED = {2018278}
RATE_LIMIT_CODES = {4, 17, 32, 613}
TEMPORARY_CODES = {1, 2, 1200}
UNREACHABLE = {551}
UNREACHABLE_SUBCODES = {1545041, 2018001}
PERMISSION_CODES = {3, 10, 190, 230} | set(range(200, 300))


def delivery_error_for(status: int, body: dict, headers) -> DeliveryError:
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    said = str(error.get("message") or "").strip()
    label = (f"{code}/{subcode}" if subcode else f"{code}") if code is not None else str(status)

    def reason(text: str) -> str:
        return f"Messenger error {label}: {text}" + (f" ({said})" if said else "")

    if subcode in WINDOW_CLOSED:
        return DeliveryError(
            reason("the 24-hour window is closed; only a utility template may be sent now"),
            code=label,
            permanent=True,
        )
    if code in UNREACHABLE or subcode in UNREACHABLE_SUBCODES:
        return DeliveryError(
            reason("this person cannot receive messages from the page (blocked, left or unknown)"),
            code=label,
            permanent=True,
            unreachable=True,
        )
    if code in RATE_LIMIT_CODES or status == 429:
        return DeliveryError(
            reason("rate limit reached, trying again later"),
            code=label,
            retry_after=retry_after(headers),
        )
    if code in TEMPORARY_CODES or status >= 500 or error.get("is_transient") is True:
        return DeliveryError(
            reason("temporary failure at Meta, trying again later"),
            code=label,
            retry_after=retry_after(headers),
        )
    if code in PERMISSION_CODES:
        return DeliveryError(
            reason(
                "the page token lacks a permission or is no longer valid; "
                "check the Messenger settings"
            ),
            code=label,
            permanent=True,
        )
    if code == 100:
        return DeliveryError(
            reason("Meta refused the request as invalid"), code=label, permanent=True
        )
    return DeliveryError(reason(f"refused with HTTP {status}"), code=label, permanent=True)


def retry_after(headers) -> float | None:
    """Seconds to wait: Retry-After, or Meta's estimated_time_to_regain_access (minutes)."""
    value = headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value.strip())
    minutes = 0
    for name in ("X-Business-Use-Case-Usage", "X-App-Usage", "X-Page-Usage"):
        minutes = max(minutes, _regain_minutes(headers.get(name)))
    return float(minutes * 60) if minutes else None


def _regain_minutes(raw: str | None) -> int:
    if not raw:
        return 0
    try:
        data = json.loads(raw)
    except ValueError:
        return 0
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            found.append(_int(node.get("estimated_time_to_regain_access")) or 0)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return max(found, default=0)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
