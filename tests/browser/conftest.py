"""Browser fixtures: one real uvicorn process on the test database and Redis, fake Twilio and Meta
at the HTTP edge, and Debian's Chromium driven by Playwright.

The web process runs Celery tasks in-process (eager), so an inbound webhook is processed before
its answer and the live event goes out over the Redis channel layer to the agent's socket.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests import clock
from tests.e2e.conftest import _free_port, stack_env
from tests.fakes.providers import FakeConfig, FakeProviders

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "browser-test-pw-1"
TIMEOUT_MS = 5000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def web_env(*, redis_url: str, web_url: str, fake: FakeProviders) -> dict:
    """The production-like environment of tests/e2e, with tasks run in the web process."""
    return {
        **stack_env(fake, web_url, redis_url),
        "CHANNEL_LAYER_PREFIX": settings.CHANNEL_LAYERS["default"]
        .get("CONFIG", {})
        .get("prefix", "thuisfront"),
        "SECRET_KEY": "browser-secret",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }


class Server:
    def __init__(self, url: str, fake: FakeProviders, log: Path) -> None:
        self.url, self.fake, self.log = url, fake, log

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


# Package scope: the web process and the browser end with the last browser test. Playwright's sync
# API keeps an event loop in this thread while it runs, which every later ORM call would trip on.
@pytest.fixture(scope="package")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn on the test database, with fake providers; shared by every browser test."""
    fake = FakeProviders(FakeConfig()).start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    fake.public_base_url = url
    log = tmp_path_factory.mktemp("browser") / "web.log"
    env = web_env(redis_url=settings.REDIS_URL, web_url=url, fake=fake)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url + "/accounts/login/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError("web process did not come up\n" + log.read_text(errors="replace"))
        time.sleep(0.2)
    yield Server(url, fake, log)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    fake.stop()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with clock.machine_clock_for_programs():
        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # ordinary blocking calls between browser steps, which Django would otherwise refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def stack(server, transactional_db):
    """The shared server, with an empty outbox at the fake and the template catalogue loaded."""
    from notifications.catalogue import load_defaults
    from notifications.models import MessageTemplate

    load_defaults(MessageTemplate)  # transactional tests flush it with every other table
    server.fake.requests.clear()
    return server


def make_agent(
    username: str, *, superuser: bool = False, language: str = "en", full_name: str = ""
):
    from django.contrib.auth.models import Group, User

    from webcare_inbox.models import AgentProfile

    first, _, last = (full_name or username.title()).partition(" ")
    user = User.objects.create_user(
        username, password=PASSWORD, first_name=first, last_name=last, is_superuser=superuser
    )
    user.groups.add(Group.objects.get_or_create(name="agents")[0])
    AgentProfile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def login(browser, stack):
    """login(user) → a page signed in as that agent, on the inbox, with its live socket open."""
    contexts = []

    def open_as(user, path: str = "/inbox/"):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(stack.url + "/accounts/login/?next=" + path)
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**" + path.split("?")[0] + "*")
        wait_live(page)
        return page

    yield open_as
    for context in contexts:
        context.close()


def wait_live(page) -> None:
    """The page's socket is connected (and subscribed to the open conversation).

    Polled from here: Playwright's wait_for_function evaluates a string inside the page, which
    the site's Content-Security-Policy (no 'unsafe-eval') refuses, as it should.
    """
    wait_for(
        lambda: page.evaluate("window.__inboxLive === true"),
        timeout=TIMEOUT_MS / 1000,
        message="the inbox's socket did not connect",
    )


def wait_for(predicate, timeout: float = 5.0, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(message or "condition not met in time")
