"""Fan-out benchmark: how close to the provider's own pace does a disruption message go out?

    .venv/bin/python bench/fanout.py [--n 2000] [--large 100000] [--drain 10000] [--replies 8]

Needs PostgreSQL (BENCH_DATABASE_URL's server, default postgres://root@127.0.0.1:5432; the
script creates and drops its own database `thuisfront_bench`) and the `redis-server` binary
(it starts its own Redis on a free port, so no shared Redis is touched). It starts, and stops
at the end:
- a fast fake Twilio Messages API (bench/fast_fake.py, aiohttp) in its own process, without
  status callbacks (their handling is proven by the tests), so that neither the engine nor the
  bare client below is held back by the fake; its 80 msg/s limit is a token bucket holding one
  second's worth (80), i.e. 80 per second as Twilio counts it;
- the web process (uvicorn config.asgi:application) and one Celery worker with 2 pool processes
  (`celery -A config worker -c 2`), configured like production.

It prints:
1. the engine: N opted-in travellers on one trip, one `delayed` event through the REST API,
   timed from the API call to the N-th send received by the fake (no rate limit);
2. the limit: a bare asyncio client (aiohttp, 32 connections) posting the same N requests to
   the same fake; the ratio engine/limit (target ≥ 0.5); and the engine's WhatsApp adapter
   alone (the official twilio client, 32 in flight, no database or queue), to tell the
   library's share of the gap from the engine's;
2b. the same fan-out to --large travellers (default 100,000): the time per recipient against
   the N one's (target within 1.5×), and the peak resident memory of each worker process
   (VmHWM, target < 300 MB);
3. with the fake enforcing 80 msg/s per sender (token bucket, 429 beyond it) and the engine at
   its default 80 msg/s: the achieved rate of a 10,000-message drain (target ≥ 90 % of 80),
   the share of sends refused (target < 1 %), and the time an agent reply takes to reach the
   fake while the drain runs, against the same while idle (target ≤ 2×).
"""

import argparse
import asyncio
import base64
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "thuisfront_bench")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, args) -> None:
        self.args = args
        self.procs: dict[str, subprocess.Popen] = {}
        self.log_dir = ROOT / "var" / "bench"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.http = httpx.Client(timeout=10)  # one kept-alive connection for the read-outs

    # -- set-up --
    def start_services(self) -> None:
        server = self.args.database.rstrip("/")
        self.database_url = f"{server}/{DB_NAME}"
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.spawn(
            "redis",
            [
                shutil.which("redis-server"),
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env=os.environ.copy(),
        )
        fake_port = free_port()
        self.spawn(
            "fake",
            [str(BIN / "python"), str(ROOT / "bench" / "fast_fake.py"), "--port", str(fake_port)],
            env=os.environ.copy(),
        )
        self.fake_url = f"http://127.0.0.1:{fake_port}"
        self.wait(lambda: self._up(self.fake_url + "/_fake/stats"), 30, "the fake did not start")
        self.web_port = free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": self.web_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
            "TWILIO_AUTH_TOKEN": "twilio-test-token",
            "TWILIO_WHATSAPP_FROM": "whatsapp:+31850000000",
            "TWILIO_API_BASE": self.fake_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        os.environ.update(
            {
                k: self.env[k]
                for k in (
                    "DATABASE_URL",
                    "REDIS_URL",
                    "SECRET_KEY",
                    "PUBLIC_BASE_URL",
                    "TWILIO_ACCOUNT_SID",
                    "TWILIO_AUTH_TOKEN",
                    "TWILIO_WHATSAPP_FROM",
                    "TWILIO_API_BASE",
                )
            }
        )
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        self.spawn(
            "web",
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.web_port),
                "--log-level",
                "warning",
            ],
        )
        self.wait(lambda: self._healthy(), 30, "the web process did not come up")

    @staticmethod
    def _up(url: str) -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.web_url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def spawn(self, name: str, args: list, env: dict | None = None) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")
        self.procs[name] = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_worker(self, rate: str) -> None:
        self.stop("worker")
        self.spawn(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "-c",
                "2",
                "-l",
                "WARNING",
                "--without-mingle",
                "--without-gossip",
            ],
            env={**self.env, "WHATSAPP_RATE_LIMIT": rate},
        )
        time.sleep(4)  # the pool processes are up and consuming

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    def close(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        if not self.args.keep_db:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(
                f"{self.args.database.rstrip('/')}/postgres", autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')

    # -- helpers --
    @staticmethod
    def wait(predicate, timeout: float, what: str, interval: float = 0.005):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise SystemExit(f"timed out: {what}")

    def stats(self, to: str = "") -> dict:
        return self.http.get(
            f"{self.fake_url}/_fake/stats", params={"to": to} if to else None
        ).json()

    def fake_config(self, reset: bool = False, **values) -> None:
        self.http.post(f"{self.fake_url}/_fake/config" + ("/reset" if reset else ""), json=values)

    def post_event(self, trip_key: str, minutes: int) -> float:
        if not hasattr(self, "api_key"):
            from core.services import api_key_create

            self.api_key = api_key_create(name="bench")[1]
        from tests import clock

        service, day = trip_key.split("/")
        started = time.time()
        response = httpx.post(
            f"{self.web_url}/api/v1/trips/{service}/{day}/events",
            timeout=600,
            json={"type": "delayed", "estimated_departure": clock.iso(10, minutes)},
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": f"{trip_key}-{minutes}",
            },
        )
        assert response.status_code == 202, response.text
        self.published_in = time.time() - started  # finding the people, writing their deliveries
        return started

    def agent_reply(self, contact_point) -> float:
        """An agent's answer inside the 24-hour window; seconds until the fake received it."""
        from django.utils import timezone

        from notifications.models import Lane, MessageKind
        from notifications.services import message_create

        contact_point.last_inbound_at = timezone.now()
        contact_point.save(update_fields=["last_inbound_at"])
        started = time.time()
        message_create(
            contact_point=contact_point,
            kind=MessageKind.AGENT_REPLY,
            lane=Lane.INTERACTIVE,
            text=f"Antwoord {started}",
        )
        at = self.wait(
            lambda: self.stats(to="whatsapp:" + contact_point.address)["to_at"],
            30,
            "agent reply",
            interval=0.002,
        )
        return at - started

    # -- the measurements --
    def warm_up(self) -> None:
        from tests import clock
        from tests.delivery_engine.recipients import recipients_load

        recipients_load(n=20, trip_key=clock.trip("KL2002"), reference="WARMUP", first=900000)
        self.post_event(clock.trip("KL2002"), 5)  # imports, connections, templates
        self.wait(lambda: self.stats()["accepted"] >= 20, 60, "warm-up")

    def engine_rate(self, n: int, service: str, first: int) -> float:
        """Messages a second from the API call to the n-th send the fake took."""
        from tests import clock
        from tests.delivery_engine.recipients import recipients_load

        recipients_load(n=n, trip_key=clock.trip(service), reference=service, first=first)
        self.fake_config(reset=True)
        started = self.post_event(clock.trip(service), 20)
        self.wait(
            lambda: self.stats()["accepted"] >= n, 60 + n / 50, "the engine's fan-out", interval=0.2
        )
        return n / (self.stats()["last"] - started)

    def worker_peak_rss(self) -> dict[int, float]:
        """Peak resident memory (MB) of the worker's main and pool processes (Linux VmHWM)."""
        main = self.procs["worker"].pid
        children = Path(f"/proc/{main}/task/{main}/children").read_text().split()
        peaks = {}
        for pid in [main, *map(int, children)]:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def bare_rate(self, n: int) -> float:
        import aiohttp

        self.fake_config(reset=True)
        url = f"{self.fake_url}/2010-04-01/Accounts/{'AC' + '1' * 32}/Messages.json"
        token = base64.b64encode(f"{'AC' + '1' * 32}:twilio-test-token".encode()).decode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"Basic {token}",
        }

        async def run() -> float:
            gate = asyncio.Semaphore(32)
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as session:

                async def one(i: int) -> None:
                    form = {
                        "To": f"whatsapp:+3161{i:07d}",
                        "From": "whatsapp:+31850000000",
                        "ContentSid": "HX" + "0" * 32,
                        "ContentVariables": '{"1": "Anna"}',
                    }
                    async with (
                        gate,
                        session.post(url, data=urllib.parse.urlencode(form), headers=headers) as r,
                    ):
                        await r.read()

                started = time.time()
                await asyncio.gather(*(one(i) for i in range(n)))
                return started

        started = asyncio.run(run())
        return n / (self.stats()["last"] - started)

    def adapter_rate(self, n: int) -> float:
        """The engine's own WhatsApp adapter (the official twilio client) alone, no database or
        queue: the same n sends, 32 in flight, from this process."""
        from channels_whatsapp.adapter import TwilioAdapter
        from core.messaging import OutboundMessage, Template

        self.fake_config(reset=True)
        adapter = TwilioAdapter()

        async def run() -> float:
            gate = asyncio.Semaphore(32)

            async def one(i: int) -> None:
                message = OutboundMessage(
                    delivery_id=str(i),
                    channel="whatsapp",
                    to=f"+3161{i:07d}",
                    text="Anna",
                    template=Template("HX" + "0" * 32, "nl", {"1": "Anna"}),
                    status_callback=f"{self.web_url}/webhooks/whatsapp/twilio/status/?d={i}",
                )
                async with gate:
                    await adapter.send(message)

            started = time.time()
            await asyncio.gather(*(one(i) for i in range(n)))
            await adapter.aclose()
            return started

        started = asyncio.run(run())
        return n / (self.stats()["last"] - started)

    def drain(self, n: int, replies: int) -> dict:
        from core.models import ContactPoint
        from tests import clock
        from tests.delivery_engine.recipients import recipients_load

        recipients_load(n=n, trip_key=clock.trip("KL3003"), reference="DRAIN", first=200000)
        agent_cps = [
            ContactPoint.objects.get(address=a)
            for a in ("+316" + str(20000000 + 900000 + i) for i in range(replies * 2))
        ]
        # 80 msg/s per sender, counted per second as Twilio does: a bucket of one second's worth.
        self.fake_config(reset=True, rate_limit=80.0, rate_burst=80)
        self.start_worker("80")
        idle = [self.agent_reply(cp) for cp in agent_cps[:replies]]
        self.fake_config(reset=True)
        self.post_event(clock.trip("KL3003"), 30)
        # The replies are timed while the drain runs: once it is under way, well before its end.
        under_way = min(400, max(1, n // 4))
        self.wait(
            lambda: self.stats()["accepted"] >= under_way, 120, "the drain to start", interval=0.05
        )
        busy = []
        for cp in agent_cps[replies:]:
            busy.append(self.agent_reply(cp))
            time.sleep(1.0)
        self.wait(
            lambda: self.stats()["accepted"] >= n + replies,
            3 * n / 80 + 120,
            "the drain",
            interval=0.2,
        )
        s = self.stats()
        return {
            "rate": (s["accepted"] - 1) / (s["last"] - s["first"]),
            "refused": s["refused"] / (s["accepted"] + s["refused"]),
            "idle": idle,
            "busy": busy,
        }


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="recipients of the timed fan-out")
    parser.add_argument(
        "--large", type=int, default=100000, help="recipients of the large fan-out (0: none)"
    )
    parser.add_argument(
        "--drain",
        type=int,
        default=10000,
        help="proactive messages drained at 80 msg/s (0: no drain)",
    )
    parser.add_argument(
        "--replies",
        type=int,
        default=8,
        help="agent replies timed idle and during the drain (0: none)",
    )
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432")
    )
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    bench = Bench(args)
    try:
        bench.start_services()
        bench.start_worker("0")
        bench.warm_up()
        engine = bench.engine_rate(args.n, "KL1001", first=100000)
        published_in = bench.published_in
        bare = bench.bare_rate(args.n)
        alone = bench.adapter_rate(args.n)
        print(
            f"fan-out of {args.n}, rate limit off: engine {engine:,.0f} msg/s (the API call, "
            f"which writes the deliveries, {published_in * 1000:.0f} ms of it), bare asyncio "
            f"client {bare:,.0f} msg/s, ratio {engine / bare:.2f} (target >= 0.5); the engine's "
            f"adapter alone (the twilio client, no database or queue) {alone:,.0f} msg/s, "
            f"ratio {alone / bare:.2f}; engine / adapter alone {engine / alone:.2f}",
            flush=True,
        )
        if args.large:
            large = bench.engine_rate(args.large, "KL4004", first=1000000)
            peaks = bench.worker_peak_rss()
            print(
                f"fan-out of {args.large:,} (API call {bench.published_in:.1f} s): "
                f"{1000 / large:.3f} ms per recipient against "
                f"{1000 / engine:.3f} ms at {args.n:,}, ratio {engine / large:.2f} "
                "(target <= 1.5); "
                f"worker peak RSS {', '.join(f'{mb:.0f}' for mb in peaks.values())} MB "
                f"(main, pool processes; target < 300)",
                flush=True,
            )
        if args.drain:
            d = bench.drain(args.drain, args.replies)
            print(
                f"drain of {args.drain} at 80 msg/s per sender: achieved {d['rate']:.1f} msg/s "
                f"({d['rate'] / 80:.0%} of 80, target >= 90%), "
                f"refused {d['refused']:.2%} (target < 1%)"
            )
        if args.drain and args.replies:
            idle, busy = statistics.median(d["idle"]), statistics.median(d["busy"])
            print(
                f"agent reply to the fake: idle median {idle * 1000:.0f} ms (max "
                f"{max(d['idle']) * 1000:.0f}), during the drain median {busy * 1000:.0f} "
                f"ms (max {max(d['busy']) * 1000:.0f}), ratio {busy / idle:.2f} (target <= 2)"
            )
    finally:
        bench.close()


if __name__ == "__main__":
    main()
