"""Against a real local HTTP server: sends share one kept-alive connection, and a hung Twilio
frees the worker after the timeout with a retryable error."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from channels_whatsapp import adapter as twilio_adapter
from channels_whatsapp.adapter import TwilioAdapter
from core.messaging import DeliveryError, OutboundMessage, run
from tests.channels_whatsapp.conftest import load


class FakeTwilio:
    def __init__(self, delay: float = 0.0) -> None:
        self.peers: list[tuple[str, int]] = []
        self.paths: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.peers.append(self.client_address)
                fake.paths.append(self.path)
                time.sleep(delay)
                body = json.dumps(load("message_created")).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def message(n: int) -> OutboundMessage:
    return OutboundMessage(
        delivery_id=str(n), channel="whatsapp", to="+31612345678", text=f"bericht {n}"
    )


@pytest.fixture
def fake_twilio(twilio):
    fake = FakeTwilio()
    twilio.TWILIO_API_BASE = fake.base_url
    yield fake
    fake.stop()


def test_three_sends_use_one_connection(fake_twilio):
    adapter = TwilioAdapter("whatsapp")
    try:
        sids = [run(adapter.send(message(n))) for n in range(3)]
    finally:
        adapter.close()

    assert sids == ["SM7d2b1f0e9c8a4b3d2e1f0a9b8c7d6e5f"] * 3
    assert len(fake_twilio.peers) == 3 and len(set(fake_twilio.peers)) == 1
    assert set(fake_twilio.paths) == {
        "/2010-04-01/Accounts/ACa1b2c3d4e5f60718293a4b5c6d7e8f90/Messages.json"
    }


def test_a_hung_twilio_times_out_as_a_transient_error(twilio, monkeypatch):
    fake = FakeTwilio(delay=2.0)
    twilio.TWILIO_API_BASE = fake.base_url
    monkeypatch.setattr(twilio_adapter, "TIMEOUT_SECONDS", 0.3)
    adapter = TwilioAdapter("whatsapp")
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError) as caught:
            run(adapter.send(message(1)))
    finally:
        adapter.close()
        fake.stop()

    assert time.monotonic() - started < 1.5
    assert caught.value.code == "timeout" and not caught.value.permanent
    assert "may have gone out" in caught.value.message
