"""A local fake of Twilio's Messages API and Meta's Graph Send API, speaking their wire format.

It records every request, answers as the provider does, and then calls our webhooks back the
way the provider would: Twilio status callbacks (form POST to StatusCallback, signed with
X-Twilio-Signature) and Messenger delivery events (JSON, signed with X-Hub-Signature-256).
It can also play a person writing in, signed the same way.
"""

import hashlib
import hmac
import json
import queue
import random
import re
import threading
import time
import urllib.parse
import uuid
from base64 import b64decode
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from twilio.request_validator import RequestValidator


@dataclass
class FakeConfig:
    twilio_account_sid: str = "AC" + "1" * 32
    twilio_auth_token: str = "twilio-test-token"
    messenger_page_id: str = "1000000000001"
    messenger_page_token: str = "page-token"
    messenger_app_secret: str = "app-secret"
    callbacks: tuple[str, ...] = ("sent", "delivered")
    # When set, 1 in every N sends fails with HTTP 500 first (transient).
    fail_every: int = 0
    # Share of sends answered 5xx (transient), and of sends throttled with 429 + Retry-After.
    fail_ratio: float = 0.0
    throttle_ratio: float = 0.0
    retry_after: int = 1
    # Messages per second accepted per sender (From number, page), as a token bucket holding
    # `rate_burst` messages; what exceeds it is refused with 429 (Twilio 20429, Graph 613).
    rate_limit: float = 0.0
    rate_burst: int = 10
    # Twilio numbers refused at once with this error (e.g. 21211, 21610), or accepted and then
    # reported failed with it in the status callback (e.g. 63003, 63024).
    refuse: dict = field(default_factory=dict)
    fail_later: dict = field(default_factory=dict)
    # Everything answered 503 while true (the provider is down).
    down: bool = False
    # Approved media templates as Twilio holds them: ContentSid → media URL with a {{n}}
    # placeholder, filled from ContentVariables (Twilio lets only the URL's path vary).
    media_templates: dict = field(default_factory=dict)


@dataclass
class Fetched:
    """A file the provider fetched for a message (Twilio's MediaUrl, a Messenger attachment)."""

    provider: str
    url: str
    status: int
    content_type: str
    content_disposition: str
    body: bytes
    wall: float = field(default_factory=time.time)


@dataclass
class Recorded:
    provider: str
    path: str
    form: dict = field(default_factory=dict)
    json: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    wall: float = field(default_factory=time.time)


class FakeProviders:
    CALLBACK_THREADS = 4

    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.requests: list[Recorded] = []
        self.fetched: list[Fetched] = []
        self._lock = threading.Lock()
        self._callbacks: queue.Queue = queue.Queue()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.public_base_url = ""  # our web process, set by the test
        self._count = 0
        self.refused: list[tuple[int, float]] = []  # (HTTP status, when) of every send not taken
        self._buckets: dict[str, tuple[float, float]] = {}  # sender → (tokens, last refill)
        self._random = random.Random(7)

    # -- lifecycle --
    def start(self) -> "FakeProviders":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        for _ in range(self.CALLBACK_THREADS):  # a provider reports many messages at once
            threading.Thread(target=self._callback_loop, daemon=True).start()
        return self

    def stop(self) -> None:
        for _ in range(self.CALLBACK_THREADS):
            self._callbacks.put(None)
        self._server.shutdown()

    # -- what tests read --
    def sent(self, provider: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if provider in (None, r.provider)]

    def wait_for(
        self, count: int, provider: str | None = None, timeout: float = 30.0
    ) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(provider)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} {provider or ''} requests, got {len(self.sent(provider))}"
        )

    def stats(self, to: str = "") -> dict:
        """Counts and wall-clock times (and when `to` was first sent to), for another process."""
        with self._lock:
            walls = [r.wall for r in self.requests]
            seen = next((r.wall for r in self.requests if to and r.form.get("To") == to), None)
            return {
                "accepted": len(walls),
                "refused": len(self.refused),
                "first": walls[0] if walls else None,
                "last": walls[-1] if walls else None,
                "to_at": seen,
            }

    def refused_count(self, status: int | None = None) -> int:
        with self._lock:
            return sum(1 for code, _ in self.refused if status in (None, code))

    def _take_token(self, sender: str) -> bool:
        rate = self.config.rate_limit
        if not rate:
            return True
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(sender, (float(self.config.rate_burst), now))
            tokens = min(float(self.config.rate_burst), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._buckets[sender] = (tokens - 1.0 if allowed else tokens, now)
        return allowed

    def _trouble(self) -> tuple[int, dict, dict] | None:
        """A transient refusal drawn for this request, if any: (status, body, headers)."""
        cfg = self.config
        with self._lock:
            draw = self._random.random()
        if cfg.down or draw < cfg.fail_ratio:
            return 503, {"code": 20503, "message": "Service Unavailable", "status": 503}, {}
        if draw < cfg.fail_ratio + cfg.throttle_ratio:
            return (
                429,
                {"code": 20429, "message": "Too Many Requests", "status": 429},
                {"Retry-After": str(cfg.retry_after)},
            )
        return None

    # -- a person writing in --
    def whatsapp_inbound(
        self, *, from_number: str, body: str, profile_name: str = ""
    ) -> httpx.Response:
        form = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": self.config.twilio_account_sid,
            "From": f"whatsapp:{from_number}",
            "To": "whatsapp:+31850000000",
            "Body": body,
            "NumMedia": "0",
            "ProfileName": profile_name,
            "WaId": from_number.lstrip("+"),
        }
        return self._post_twilio("/webhooks/whatsapp/twilio/", form)

    def messenger_inbound(self, *, psid: str, text: str) -> httpx.Response:
        now = int(time.time() * 1000)
        item = {
            "sender": {"id": psid},
            "recipient": {"id": self.config.messenger_page_id},
            "timestamp": now,
            "message": {"mid": "m_" + uuid.uuid4().hex, "text": text},
        }
        return self._post_meta(
            {
                "object": "page",
                "entry": [{"id": self.config.messenger_page_id, "time": now, "messaging": [item]}],
            }
        )

    # -- internals --
    def _post_twilio(self, url_or_path: str, form: dict) -> httpx.Response:
        url = url_or_path if url_or_path.startswith("http") else self.public_base_url + url_or_path
        signature = RequestValidator(self.config.twilio_auth_token).compute_signature(url, form)
        return httpx.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)

    def _post_meta(self, payload: dict) -> httpx.Response:
        body = json.dumps(payload).encode()
        digest = hmac.new(
            self.config.messenger_app_secret.encode(), body, hashlib.sha256
        ).hexdigest()
        return httpx.post(
            self.public_base_url + "/webhooks/messenger/",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"},
            timeout=10,
        )

    def _callback_loop(self) -> None:
        # Each report goes about 50 ms after its send, as a provider's would; not 50 ms apart.
        while True:
            item = self._callbacks.get()
            if item is None:
                return
            due, kind, args = item
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                if kind == "twilio":
                    self._post_twilio(*args)
                elif kind == "twilio_media":
                    self._twilio_media(*args)
                elif kind == "meta_media":  # Meta fetches an attachment, then reports
                    self._fetch("messenger", args[0])
                    if args[1]["entry"]:
                        self._post_meta(args[1])
                else:
                    self._post_meta(*args)
            except httpx.HTTPError:
                pass  # our web process is gone: the test will say so

    def _fetch(self, provider: str, url: str) -> Fetched:
        try:
            answer = httpx.get(url, timeout=10)
            got = Fetched(
                provider,
                url,
                answer.status_code,
                answer.headers.get("Content-Type", ""),
                answer.headers.get("Content-Disposition", ""),
                answer.content,
            )
        except httpx.HTTPError:
            got = Fetched(provider, url, 0, "", "", b"")
        with self._lock:
            self.fetched.append(got)
        return got

    def _twilio_media(self, url: str, callback: str, reports: list[dict]) -> None:
        """Twilio fetches the file before it sends; one it cannot get fails with 63019."""
        got = self._fetch("twilio", url)
        if got.status != 200 or not got.content_type:
            failed = {**reports[0], "MessageStatus": "failed", "ErrorCode": "63019"}
            reports = [failed]
        for report in reports if callback else ():
            self._post_twilio(callback, report)

    def media_url_of(self, form: dict) -> str:
        """The file a Twilio send carries: its MediaUrl, or its media template's URL filled in."""
        if form.get("MediaUrl"):
            return form["MediaUrl"]
        template = self.config.media_templates.get(form.get("ContentSid", ""))
        if not template:
            return ""
        variables = json.loads(form.get("ContentVariables") or "{}")
        return re.sub(r"\{\{(\d+)\}\}", lambda m: variables.get(m.group(1), ""), template)

    def _report_later(self, kind: str, args: tuple) -> None:
        self._callbacks.put((time.monotonic() + 0.05, kind, args))

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status: int, payload: dict, headers: dict | None = None) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _refuse(self, status: int, payload: dict, headers: dict | None = None) -> None:
                with fake._lock:
                    fake.refused.append((status, time.monotonic()))
                self._reply(status, payload, headers)

            def do_GET(self):
                # Read-outs for a fake running in another process (bench/fanout.py).
                if self.path.startswith("/_fake/stats"):
                    query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                    return self._reply(200, fake.stats(to=(query.get("to") or [""])[0]))
                return self._reply(404, {"message": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.startswith("/_fake/config"):
                    for key, value in json.loads(raw or b"{}").items():
                        setattr(fake.config, key, value)
                    if self.path.endswith("/reset"):
                        with fake._lock:
                            fake.requests.clear()
                            fake.refused.clear()
                            fake._buckets.clear()
                    return self._reply(200, {})
                with fake._lock:
                    fake._count += 1
                    n = fake._count
                if fake.config.fail_every and n % fake.config.fail_every == 0:
                    return self._refuse(
                        500, {"code": 20500, "message": "Internal Server Error", "status": 500}
                    )
                trouble = fake._trouble()
                if trouble is not None:
                    return self._refuse(*trouble)
                if "/Messages.json" in self.path:
                    return self._twilio(raw)
                if self.path.split("?")[0].endswith("/messages"):
                    return self._graph(raw)
                return self._reply(404, {"message": "not found"})

            def _twilio(self, raw: bytes):
                auth = self.headers.get("Authorization", "")
                expected = f"{fake.config.twilio_account_sid}:{fake.config.twilio_auth_token}"
                if not auth.startswith("Basic ") or b64decode(auth[6:]).decode() != expected:
                    return self._reply(
                        401, {"code": 20003, "message": "Authenticate", "status": 401}
                    )
                form = {
                    k: v[0]
                    for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()
                }
                if not fake._take_token(form.get("From", "")):
                    return self._refuse(
                        429,
                        {"code": 20429, "message": "Too Many Requests", "status": 429},
                        {"Retry-After": "1"},
                    )
                to = form.get("To", "").removeprefix("whatsapp:")
                if to in fake.config.refuse:
                    code = int(fake.config.refuse[to])
                    return self._refuse(
                        400,
                        {
                            "code": code,
                            "message": f"Unable to create record: error {code}",
                            "status": 400,
                        },
                    )
                with fake._lock:
                    fake.requests.append(Recorded("twilio", self.path, form=form))
                sid = "SM" + uuid.uuid4().hex
                self._reply(
                    201,
                    {
                        "sid": sid,
                        "status": "queued",
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "error_code": None,
                        "error_message": None,
                        "account_sid": fake.config.twilio_account_sid,
                        "body": form.get("Body", ""),
                    },
                )
                callback = form.get("StatusCallback")
                later = fake.config.fail_later.get(to)
                statuses = ("failed",) if later else fake.config.callbacks
                reports = []
                for status in statuses if callback else ():
                    report = {
                        "MessageSid": sid,
                        "MessageStatus": status,
                        "AccountSid": fake.config.twilio_account_sid,
                        "From": form.get("From", ""),
                        "To": form.get("To", ""),
                        "ApiVersion": "2010-04-01",
                        "ChannelPrefix": "whatsapp",
                    }
                    if later:
                        report["ErrorCode"] = str(later)
                    reports.append(report)
                media = fake.media_url_of(form)
                if media:
                    fake._report_later("twilio_media", (media, callback, reports))
                    return
                for report in reports:
                    fake._report_later("twilio", (callback, report))

            def _graph(self, raw: bytes):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                token = (query.get("access_token") or [""])[0] or self.headers.get(
                    "Authorization", ""
                ).removeprefix("Bearer ")
                if token != fake.config.messenger_page_token:
                    return self._reply(
                        400,
                        {
                            "error": {
                                "message": "Invalid OAuth access token.",
                                "type": "OAuthException",
                                "code": 190,
                            }
                        },
                    )
                body = json.loads(raw or b"{}")
                if not fake._take_token(fake.config.messenger_page_id):
                    return self._refuse(
                        400,
                        {
                            "error": {
                                "message": "Calls to this api have exceeded the rate limit.",
                                "type": "OAuthException",
                                "code": 613,
                            }
                        },
                    )
                with fake._lock:
                    fake.requests.append(Recorded("messenger", self.path, json=body))
                mid = "m_" + uuid.uuid4().hex
                psid = body.get("recipient", {}).get("id", "")
                self._reply(200, {"recipient_id": psid, "message_id": mid})
                attachment = body.get("message", {}).get("attachment") or {}
                file_url = (attachment.get("payload") or {}).get("url", "")
                if file_url and "delivered" not in fake.config.callbacks:
                    fake._report_later("meta_media", (file_url, {"object": "page", "entry": []}))
                if "delivered" in fake.config.callbacks:
                    now = int(time.time() * 1000)
                    fake._report_later(
                        "meta_media" if file_url else "meta",
                        ((file_url,) if file_url else ())
                        + (
                            {
                                "object": "page",
                                "entry": [
                                    {
                                        "id": fake.config.messenger_page_id,
                                        "time": now,
                                        "messaging": [
                                            {
                                                "sender": {"id": psid},
                                                "recipient": {"id": fake.config.messenger_page_id},
                                                "timestamp": now,
                                                "delivery": {"mids": [mid], "watermark": now},
                                            }
                                        ],
                                    }
                                ],
                            },
                        ),
                    )

        return Handler
