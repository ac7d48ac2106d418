"""Twilio's Messages API faked at the HTTP edge, on a local server, with a `responses`-like face.

`TwilioApiMock()` serves for TWILIO_API_BASE while it is open (the adapters are made anew
against it) and answers POSTs to a URL with a fixed answer (`post`, used once, in order) or a
callback (`add_callback`: request → (status, headers, body), every time). Every request is
kept in `calls`, each with its `.response` and `.request.url` (under the origin it stands in
for, e.g. https://twilio.fake.test), `.request.headers` and `.request.body` (the form, sent).
A `post(url, failure="disconnect")` closes the connection unanswered; "hang" never answers.
"""

import json as jsonlib
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from django.conf import settings

from core.messaging import reset_adapters


@dataclass
class Request:
    method: str
    url: str
    headers: dict
    body: str


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    def json(self):
        return jsonlib.loads(self.text)


@dataclass
class Call:
    request: Request
    response: Response | None = None  # None: the connection closed unanswered


class Calls(list):
    def reset(self) -> None:
        self.clear()


class TwilioApiMock:
    HANG_SECONDS = 3.0

    def __init__(self) -> None:
        self.calls = Calls()
        self._once: dict[str, deque] = {}
        self._always: dict[str, object] = {}
        self._origin = ""
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "TwilioApiMock":
        self._origin = settings.TWILIO_API_BASE.rstrip("/")
        self._previous = settings.TWILIO_API_BASE
        settings.TWILIO_API_BASE = self.base_url
        reset_adapters()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        reset_adapters()
        settings.TWILIO_API_BASE = self._previous
        self._server.shutdown()
        self._server.server_close()

    def add_callback(self, url: str, callback) -> None:
        """Every POST to url answered by callback(request) → (status, headers, body)."""
        self._always[urlsplit(url).path] = callback

    def post(
        self,
        url: str,
        *,
        status: int = 200,
        json: dict | None = None,
        body: str = "",
        headers: dict | None = None,
        failure: str = "",
    ) -> None:
        """The next POST to url answered with this status and JSON (or raw body), once."""
        content = jsonlib.dumps(json) if json is not None else body
        kind = {"Content-Type": "application/json"} if json is not None else {}
        answer = failure or (lambda _: (status, {**kind, **(headers or {})}, content))
        self._once.setdefault(urlsplit(url).path, deque()).append(answer)

    def _answer_for(self, path: str):
        with self._lock:
            waiting = self._once.get(path)
            if waiting:
                return waiting.popleft()
        return self._always.get(path)

    def _handler(self):
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                request = Request("POST", mock._origin + self.path, dict(self.headers), body)
                call = Call(request)
                mock.calls.append(call)
                answer = mock._answer_for(urlsplit(self.path).path)
                if answer == "hang":
                    time.sleep(mock.HANG_SECONDS)
                if answer in ("hang", "disconnect"):
                    self.close_connection = True
                    return
                status, headers, text = (
                    answer(request) if answer else (404, {}, '{"message": "not faked"}')
                )
                data = text.encode() if isinstance(text, str) else text
                call.response = Response(status, headers, data.decode())
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
