"""End-to-end fixtures: the real web process (uvicorn), a real Celery worker process, and fake
providers over HTTP, all on the test database and a Redis database of the test run."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from django.conf import settings

from tests.fakes.providers import FakeConfig, FakeProviders

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    assert db["ENGINE"].endswith("postgresql"), "end-to-end tests run on PostgreSQL"
    user = db.get("USER") or "root"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class Stack:
    def __init__(self, fake: FakeProviders, web_url: str, env: dict, log_dir: Path) -> None:
        self.fake = fake
        self.web_url = web_url
        self.env = env
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")
        # Its own process group, so a crash can take the worker and its pool processes at once.
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = proc
        return proc

    def start_worker(self, name: str = "worker", concurrency: int = 2) -> subprocess.Popen:
        return self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "-l",
                "INFO",
                "--concurrency",
                str(concurrency),
                "-Q",
                "interactive,status,bulk",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
        )

    def start_beat(self, name: str = "beat") -> subprocess.Popen:
        return self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(self.log_dir / "celerybeat-schedule"),
            ],
        )

    def kill(self, name: str) -> None:
        """SIGKILL the process and everything it started: a crash, nothing cleaned up."""
        proc = self.processes.pop(name)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def stop(self, name: str, sig=None) -> None:
        proc = self.processes.pop(name)
        if sig is None:
            proc.terminate()
        else:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
            for p in self.log_dir.glob("*.log")
        )


def stack_env(fake: FakeProviders, web_url: str, redis_url: str) -> dict:
    cfg = fake.config
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "e2e-secret",
        "PUBLIC_BASE_URL": web_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TWILIO_ACCOUNT_SID": cfg.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": cfg.twilio_auth_token,
        "TWILIO_WHATSAPP_FROM": "whatsapp:+31850000000",
        "TWILIO_API_BASE": fake.base_url,
        "MESSENGER_PAGE_ID": cfg.messenger_page_id,
        "MESSENGER_PAGE_ACCESS_TOKEN": cfg.messenger_page_token,
        "MESSENGER_APP_SECRET": cfg.messenger_app_secret,
        "MESSENGER_VERIFY_TOKEN": "verify-me",
        "MESSENGER_API_BASE": fake.base_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
        # What the processes do must not depend on the hour the test runs at (tests/conftest.py
        # does the same in process): no quiet hours, the team always open.
        "QUIET_HOURS": "",
        "WEBCARE_OPENING_HOURS": "24/7",
    }


def _wait_for_web(s: Stack) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(s.web_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("web process did not come up\n" + s.logs())
        time.sleep(0.2)


@pytest.fixture
def make_stack(transactional_db, tmp_path):
    """make_stack(config=FakeConfig(...), env={...}, redis_url=..., worker=True, beat=False)
    → Stack.

    uvicorn + a Celery worker (+ beat) + fake Twilio/Meta, configured like production; `env`
    overrides settings (sweep timings, rate limits), `redis_url` points everything at another
    Redis (a test that restarts Redis brings its own).
    """
    stacks: list[Stack] = []

    def make(
        config: FakeConfig | None = None,
        env: dict | None = None,
        redis_url: str | None = None,
        worker: bool = True,
        beat: bool = False,
    ) -> Stack:
        redis_url = redis_url or settings.REDIS_URL
        redis.Redis.from_url(redis_url).flushdb()  # no stale tasks from an earlier run
        fake = FakeProviders(config or FakeConfig()).start()
        web_port = _free_port()
        web_url = f"http://127.0.0.1:{web_port}"
        fake.public_base_url = web_url
        s = Stack(fake, web_url, {**stack_env(fake, web_url, redis_url), **(env or {})}, tmp_path)
        stacks.append(s)
        s.start(
            "web",
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(web_port),
                "--lifespan",
                "on",
            ],
        )
        if worker:
            s.start_worker()
        if beat:
            s.start_beat()
        _wait_for_web(s)
        return s

    yield make
    for s in stacks:
        for name in list(s.processes):
            s.stop(name)
        s.fake.stop()


@pytest.fixture
def stack(make_stack):
    """uvicorn + one Celery worker + fake Twilio/Meta, configured like production."""
    return make_stack()


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message or "condition not met in time")
