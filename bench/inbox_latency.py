"""Time from an inbound WhatsApp webhook to the message visible in an agent's browser.

    DATABASE_URL=postgres://root@127.0.0.1:5432/thuisfront_bench \
    REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/inbox_latency.py [--messages 50]

Runs the services-mode stack as in production: uvicorn (HTTP + WebSocket), one Celery worker, the
Redis broker and channel layer, fake Twilio/Meta at the HTTP edge. An agent signs in with Debian's
Chromium and keeps a conversation open; the fake then posts signed Twilio webhooks one after the
other. A MutationObserver in the page notes when each message is on screen; the clock is the same
machine's, so the difference is the full path: webhook → store → queue → worker → channel layer →
socket → DOM. Prints p50/p95/max, for messages into the open thread and for new conversations
appearing in the list. The database (created if missing) and the Redis index are emptied first.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/thuisfront_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CHANNEL_LAYER_PREFIX", "thuisfront-bench")
# The bench reads rows between browser steps; Playwright keeps an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench-password-1"

# Notes the moment each watched text first appears anywhere on the page.
OBSERVER = """
window.__seen = {};
new MutationObserver(function () {
  document.querySelectorAll('.msg-text, .conv-preview').forEach(function (node) {
    var text = node.textContent;
    if (text.indexOf('bench-') === 0 && !(text in window.__seen)) window.__seen[text] = Date.now();
  });
}).observe(document.body, { childList: true, subtree: true, characterData: true });
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> None:
    """Own database, migrated and emptied; own Redis index, flushed; one agent."""
    from bench.inbox_list import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    import django
    import redis

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE webcare_inbox_conversation, core_inboundmessage, "
            "core_contactpoint, core_customer CASCADE"
        )
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    User.objects.filter(username="bench-agent").delete()
    agent = User.objects.create_user("bench-agent", password=PASSWORD, first_name="Bench")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])


def start(fake, port: int, log: Path) -> list[subprocess.Popen]:
    cfg = fake.config
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PUBLIC_BASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        "TWILIO_ACCOUNT_SID": cfg.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": cfg.twilio_auth_token,
        "TWILIO_WHATSAPP_FROM": "whatsapp:+31850000000",
        "TWILIO_API_BASE": fake.base_url,
        "MESSENGER_PAGE_ID": cfg.messenger_page_id,
        "MESSENGER_PAGE_ACCESS_TOKEN": cfg.messenger_page_token,
        "MESSENGER_APP_SECRET": cfg.messenger_app_secret,
        "MESSENGER_VERIFY_TOKEN": "verify-me",
        "MESSENGER_API_BASE": fake.base_url,
        "LOG_LEVEL": "WARNING",
    }
    out = open(log, "ab")
    return [
        subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "-l",
                "WARNING",
                "--concurrency",
                "2",
                "-Q",
                "interactive,status,bulk",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ),
    ]


def wait_up(url: str, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the web process did not come up:\n" + log.read_text(errors="replace")[-3000:])


def measure(page, fake, texts_and_numbers: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Per message: the webhook's answer, the worker's claim, and on screen (ms after sending)."""
    from core.models import InboundMessage

    stages: dict[str, list[float]] = {"webhook answered": [], "worker claimed": [], "visible": []}
    for text, number in texts_and_numbers:
        sent_at = time.time() * 1000
        response = fake.whatsapp_inbound(from_number=number, body=text, profile_name="Bench")
        answered = time.time() * 1000
        assert response.status_code == 200, response.text
        page.wait_for_function(f"window.__seen[{text!r}] !== undefined", timeout=10_000)
        stages["visible"].append(page.evaluate(f"window.__seen[{text!r}]") - sent_at)
        stages["webhook answered"].append(answered - sent_at)
        claimed = InboundMessage.objects.get(text=text).processed_at.timestamp() * 1000
        stages["worker claimed"].append(claimed - sent_at)
        time.sleep(0.05)
    return stages


def report(name: str, stages: dict[str, list[float]]) -> None:
    print(name)
    for stage, values in stages.items():
        ordered = sorted(values)
        p95 = ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]
        print(
            f"  {stage:<18} n={len(values):<3} p50 {statistics.median(ordered):6.0f} "
            f"ms   p95 {p95:6.0f} ms   max {ordered[-1]:6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args()
    prepare()
    from playwright.sync_api import sync_playwright

    from tests.fakes.providers import FakeConfig, FakeProviders
    from webcare_inbox.models import Conversation

    fake = FakeProviders(FakeConfig()).start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    fake.public_base_url = url
    log = Path(tempfile.mkdtemp()) / "stack.log"
    processes = start(fake, port, log)
    try:
        wait_up(url, log)
        # The person's first message opens the conversation the agent then keeps open.
        fake.whatsapp_inbound(from_number="+31611000000", body="Hello", profile_name="Bench")
        deadline = time.monotonic() + 15
        while not (
            conversation := Conversation.objects.filter(
                contact_point__address="+31611000000"
            ).first()
        ):
            if time.monotonic() > deadline:
                raise SystemExit(
                    "the first message never reached the inbox:\n"
                    + log.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page()
            page.goto(url + f"/accounts/login/?next=/inbox/c/{conversation.pk}/")
            page.fill("#id_username", "bench-agent")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_function("window.__inboxLive === true")
            page.evaluate(OBSERVER)
            thread = measure(
                page, fake, [(f"bench-thread-{i}", "+31611000000") for i in range(args.messages)]
            )
            fresh = measure(
                page,
                fake,
                [(f"bench-new-{i}", f"+316120{i:05d}") for i in range(max(10, args.messages // 2))],
            )
            browser.close()
        print(
            "webhook → visible in the agent's browser (services mode: uvicorn + 1 Celery "
            f"worker + Redis), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        report("message into the open thread", thread)
        report("new conversation in the list", fresh)
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        fake.stop()


if __name__ == "__main__":
    main()
