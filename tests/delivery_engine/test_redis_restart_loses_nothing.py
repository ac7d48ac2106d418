"""Redis restarted (its queues gone) in the middle of a fan-out: nobody is left out.

This test runs its own redis-server on a free port; the shared one is never touched."""

import shutil
import subprocess
import time

import pytest
import redis

from tests import clock
from tests.delivery_engine.conftest import FAST_SWEEP, delay, eventually, post_event, received
from tests.delivery_engine.recipients import recipients_load
from tests.e2e.conftest import _free_port, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

N = 300


class OwnRedis:
    def __init__(self, tmp_path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        # No persistence: a restart loses every queued task, the worst case.
        with clock.machine_clock_for_programs():
            self.proc = subprocess.Popen(
                [
                    shutil.which("redis-server"),
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.dir),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        wait_until(lambda: self._ping(), timeout=10, message="redis-server did not start")

    def _ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_redis_restart_mid_fan_out(make_stack, own_redis):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    recipients_load(n=N)
    stack = make_stack(
        env={**FAST_SWEEP, "WHATSAPP_RATE_LIMIT": "150"}, redis_url=own_redis.url, beat=True
    )
    fake = stack.fake

    post_event(stack, delay(20))
    eventually(
        stack,
        lambda: len(fake.sent("twilio")) >= 40,
        timeout=30,
        what=lambda: "the fan-out did not start",
    )
    own_redis.stop()
    time.sleep(1.0)
    before = len(fake.sent("twilio"))
    own_redis.start()
    assert before < N

    eventually(
        stack,
        lambda: len(received(fake)) == N,
        timeout=90,
        what=lambda: f"{len(received(fake))} of {N} recipients reached",
    )
    doubled = [address for address, count in received(fake).items() if count > 1]
    assert len(doubled) <= 1, doubled
