"""Webhook benchmark: do Twilio's webhooks keep up with what the providers send?

    .venv/bin/python bench/webhooks.py [--seconds 6] [--rate 200] [--n 2000] [--web-workers N]

Needs PostgreSQL (BENCH_DATABASE_URL's server, default postgres://root@127.0.0.1:5432; the
script creates and drops its own database `thuisfront_bench_webhooks`) and the `redis-server`
binary (its own Redis on a free port). It starts, and stops at the end, services mode as
`make serve` runs it: uvicorn with --workers N (default: the machine's cores) and
DATABASE_POOL_SIZE=16, then one Celery worker with 2 pool processes; and a fake Twilio (aiohttp,
in a child process) that answers sends and posts each message's three signed status callbacks
(sent, delivered, read) back, 50, 100 and 150 ms after the send, as Twilio would.

The web process serves, besides the product, a bare async view (bench/site/) answering 204
without reading anything: under /webhooks/ (the way the webhooks take: the same server,
routing and middleware) and under /bench/ (the whole middleware stack, as a page). It prints,
in one run:
1. closed loop, 32 requests in flight (aiohttp), --seconds each: the load generator against a
   bare aiohttp server (so it is not the bottleneck), the bare view both ways, Django's 404
   through the whole stack, signed inbound messages, signed status callbacks; req/s and the
   ratio to the bare view (target >= 0.5). No worker runs meanwhile: the webhooks only store
   and hand off, and the cores serve the web process and the load generator;
2. open loop at --rate req/s (requests sent on a fixed schedule whatever the answers; latency
   counted from the scheduled time): p50, p99 and max for the same three (target p99 < 100 ms);
3. the worker started: how long it takes to apply the status callbacks stored in 1. and 2.
   while none ran;
4. a fan-out to --n recipients at WHATSAPP_RATE_LIMIT=--limit (1,000 msg/s) with the callbacks
   on: the achieved send rate, the seconds from the last send until every delivery shows its
   three statuses (target <= 10 s), and the slowest callback answer (target < 1 s), timed as
   Twilio times it, from posting the callback to our answer; apart from it, how late the fake
   (on the same cores, unlike Twilio; it runs at a higher CPU priority, nice -5, where allowed)
   posted the callbacks after their scheduled times.
"""

import argparse
import asyncio
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
DB_NAME = "thuisfront_bench_webhooks"
ACCOUNT = "AC" + "1" * 32
TOKEN = "twilio-test-token"
CALLBACKS = ((0.05, "sent"), (0.10, "delivered"), (0.15, "read"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the fake Twilio: sends answered, three signed callbacks posted back per message ---------


def run_fake(port: int, ready) -> None:
    from aiohttp import ClientSession, ClientTimeout, TCPConnector, web
    from twilio.request_validator import RequestValidator

    # Twilio posts from its own machines; this fake shares our cores. Ahead of our processes
    # (when allowed: root may raise a priority), it posts callbacks on time and takes CPU away
    # from the stack under test rather than the other way round.
    try:
        os.nice(-5)
    except PermissionError:
        pass

    validator = RequestValidator(TOKEN)
    state = {"accepted": 0, "first": 0.0, "last": 0.0, "latencies": [], "bad": 0, "done": 0.0}
    state["lags"] = []
    state["callbacks_on"] = False
    pending: set = set()

    async def callbacks(session, url: str, sid: str, to: str, sent_at: float) -> None:
        for delay, status in CALLBACKS:
            due = sent_at + delay
            await asyncio.sleep(max(0.0, due - time.time()))
            form = {
                "MessageSid": sid,
                "MessageStatus": status,
                "AccountSid": ACCOUNT,
                "From": "whatsapp:+31850000000",
                "To": to,
                "ApiVersion": "2010-04-01",
                "ChannelPrefix": "whatsapp",
            }
            headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
            posted = time.time()
            try:
                async with session.post(url, data=form, headers=headers) as answer:
                    await answer.read()
                    ok = answer.status in (200, 204)
            except Exception:  # a refused or timed-out callback is counted
                ok = False
            # The answer as Twilio times it (from its request to our answer), and apart from it
            # how late this fake, on the same cores, got round to posting it.
            state["latencies"].append(time.time() - posted)
            state["lags"].append(posted - due)
            state["bad"] += not ok
            state["done"] = time.time()

    async def messages(request):
        form = await request.post()
        now = time.time()
        state["accepted"] += 1
        state["first"] = state["first"] or now
        state["last"] = now
        sid = "SM" + uuid.uuid4().hex
        callback = form.get("StatusCallback")
        if callback and state["callbacks_on"]:
            task = asyncio.ensure_future(
                callbacks(request.app["session"], callback, sid, form.get("To", ""), now)
            )
            pending.add(task)
            task.add_done_callback(pending.discard)
        return web.json_response(
            {"sid": sid, "status": "queued", "to": form.get("To"), "error_code": None},
            status=201,
        )

    async def stats(request):
        lat = sorted(state["latencies"])
        lags = sorted(state["lags"])
        return web.json_response(
            {
                "accepted": state["accepted"],
                "first": state["first"],
                "last": state["last"],
                "callbacks": len(lat),
                "bad": state["bad"],
                "slowest": lat[-1] if lat else 0.0,
                "p99": lat[int(len(lat) * 0.99) - 1] if lat else 0.0,
                "over_1s": sum(1 for v in lat if v >= 1.0),
                "lag_p99": lags[int(len(lags) * 0.99) - 1] if lags else 0.0,
                "lag_max": lags[-1] if lags else 0.0,
                "done": state["done"],
                "pending": len(pending),
            }
        )

    async def reset(request):
        body = await request.json()
        state.update(accepted=0, first=0.0, last=0.0, latencies=[], lags=[], bad=0, done=0.0)
        state["callbacks_on"] = bool(body.get("callbacks", False))
        return web.json_response({})

    async def start(app):
        # Twilio posts many callbacks at once; each waits at most 15 s for an answer.
        app["session"] = ClientSession(
            connector=TCPConnector(limit=256), timeout=ClientTimeout(total=15)
        )

    async def stop(app):
        await app["session"].close()

    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", messages)
    app.router.add_get("/_stats", stats)
    app.router.add_post("/_ping", lambda request: web.Response(status=204))
    app.router.add_post("/_reset", reset)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    ready.set()
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- load generators --------------------------------------------------------------------------


class Requests:
    """The bodies of each kind, made (and signed) before the clock starts."""

    def __init__(self, web_url: str, public_url: str, fake_url: str) -> None:
        from twilio.request_validator import RequestValidator

        self.web_url, self.public_url, self.fake_url = web_url, public_url, fake_url
        self.validator = RequestValidator(TOKEN)
        self.n = 0

    def next(self, kind: str) -> tuple[str, bytes, dict]:
        self.n += 1
        n = self.n
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if kind == "inbound":
            path = "/webhooks/whatsapp/twilio/"
            form = {
                "MessageSid": f"SMbench{n:026d}",
                "AccountSid": ACCOUNT,
                "From": f"whatsapp:+3162{n % 500:07d}",
                "To": "whatsapp:+31850000000",
                "Body": "Is mijn vlucht vertraagd?",
                "ProfileName": "Reiziger",
                "WaId": f"3162{n % 500:07d}",
                "NumMedia": "0",
                "ApiVersion": "2010-04-01",
            }
        elif kind == "status":
            path = f"/webhooks/whatsapp/twilio/status/?d={uuid.uuid4()}"
            form = {
                "MessageSid": f"SMnone{n:026d}",
                "MessageStatus": ("sent", "delivered", "read")[n % 3],
                "AccountSid": ACCOUNT,
                "From": "whatsapp:+31850000000",
                "To": f"whatsapp:+3162{n % 500:07d}",
                "ApiVersion": "2010-04-01",
                "ChannelPrefix": "whatsapp",
            }
        else:  # the bare view and the 404 get a form of the same size, unsigned
            path = {
                "bare": "/webhooks/bench-bare/",
                "bare-stack": "/bench/bare/",
                "404": "/bench/nothing-here/",
                "client": "/_ping",
            }[kind]
            form = {"MessageSid": f"SMbare{n:026d}", "Body": "Is mijn vlucht vertraagd?"}
        if kind == "client":  # the load generator against a bare aiohttp server
            return self.fake_url + path, urllib.parse.urlencode(form).encode(), headers
        if kind in ("inbound", "status"):
            headers["X-Twilio-Signature"] = self.validator.compute_signature(
                self.public_url + path, form
            )
        return self.web_url + path, urllib.parse.urlencode(form).encode(), headers


EXPECTED = {
    "bare": 204,
    "bare-stack": 204,
    "404": 404,
    "inbound": 200,
    "status": 204,
    "client": 204,
}


async def closed_loop(requests: Requests, kind: str, seconds: float, in_flight: int = 32):
    import aiohttp

    bodies = [requests.next(kind) for _ in range(int(seconds * 2000))]
    done, wrong = 0, 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight)) as session:
        for url, data, headers in bodies[:in_flight]:  # warm the connections
            async with session.post(url, data=data, headers=headers) as r:
                await r.read()
        stop_at = time.monotonic() + seconds
        it = iter(bodies[in_flight:])

        async def loop() -> None:
            nonlocal done, wrong
            for url, data, headers in it:
                if time.monotonic() >= stop_at:
                    return
                async with session.post(url, data=data, headers=headers) as r:
                    await r.read()
                    done += 1
                    wrong += r.status != EXPECTED[kind]

        started = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(in_flight)))
        elapsed = time.monotonic() - started
    return done / elapsed, wrong


async def open_loop(requests: Requests, kind: str, rate: float, seconds: float):
    import aiohttp

    count = int(rate * seconds)
    bodies = [requests.next(kind) for _ in range(count)]
    latencies, wrong = [], 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        for url, data, headers in bodies[:20]:  # warm-up, not counted
            async with session.post(url, data=data, headers=headers) as r:
                await r.read()
        start = time.monotonic() + 0.1

        async def one(i: int, url: str, data: bytes, headers: dict) -> None:
            nonlocal wrong
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            async with session.post(url, data=data, headers=headers) as r:
                await r.read()
                wrong += r.status != EXPECTED[kind]
            latencies.append(time.monotonic() - due)

        await asyncio.gather(*(one(i, *b) for i, b in enumerate(bodies)))
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "max": latencies[-1],
        "wrong": wrong,
    }


# -- the processes ----------------------------------------------------------------------------


class Bench:
    def __init__(self, args) -> None:
        self.args = args
        self.procs: dict[str, subprocess.Popen] = {}
        self.log_dir = ROOT / "var" / "bench"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.http = httpx.Client(timeout=10)

    def start_services(self) -> None:
        server = self.args.database.rstrip("/")
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.spawn(
            "redis",
            [shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            env=os.environ.copy(),
        )
        fake_port = free_port()
        ready = multiprocessing.Event()
        self.fake_proc = multiprocessing.Process(
            target=run_fake, args=(fake_port, ready), daemon=True
        )
        self.fake_proc.start()
        ready.wait(10)
        self.fake_url = f"http://127.0.0.1:{fake_port}"
        self.web_port = free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{DB_NAME}",
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": self.web_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_AUTH_TOKEN": TOKEN,
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
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        os.environ.update({k: v for k, v in self.env.items() if k != "CELERY_TASK_ALWAYS_EAGER"})
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
                "--workers",
                str(self.args.web_workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env={
                **self.env,
                "DJANGO_SETTINGS_MODULE": "webhooks_settings",
                "PYTHONPATH": f"{ROOT / 'bench' / 'site'}:{ROOT}",
                "DATABASE_POOL_SIZE": "16",
            },
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.post(self.web_url + "/bench/bare/", timeout=1).status_code == 204:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("the web process did not come up (var/bench/web.log)")
        time.sleep(2)  # every web worker process is up

    def spawn(self, name: str, args: list, env: dict | None = None) -> None:
        log = open(self.log_dir / f"webhooks-{name}.log", "wb")
        self.procs[name] = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_worker(self, limit: int | None = None) -> float:
        proc = self.procs.pop("worker", None)
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        self.spawn(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "-c", "2", "-l", "WARNING"]
            + ["--without-mingle", "--without-gossip"],
            env={**self.env, "WHATSAPP_RATE_LIMIT": str(limit or self.args.limit)},
        )
        return time.time()

    def close(self) -> None:
        redis_proc = self.procs.pop("redis", None)
        for proc in self.procs.values():
            proc.terminate()
        for proc in [*self.procs.values(), *([redis_proc] if redis_proc else [])]:
            if proc is redis_proc:
                proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.fake_proc.terminate()
        if not self.args.keep_db:
            import psycopg
            from django.db import connections

            connections.close_all()
            server = self.args.database.rstrip("/")
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')

    @staticmethod
    def wait(predicate, timeout: float, what: str, interval: float = 0.05):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise SystemExit(f"timed out: {what}")

    def fake(self, path: str, **body) -> dict:
        if body or path == "/_reset":
            return self.http.post(self.fake_url + path, json=body).json()
        return self.http.get(self.fake_url + path).json()

    def forget_inbound(self) -> int:
        """The bench's inbound messages are not for the worker: dropped with their tasks."""
        import redis

        from core.models import InboundMessage

        redis.Redis.from_url(self.redis_url).delete("interactive")
        return InboundMessage.objects.filter(provider_message_id__startswith="SMbench").delete()[0]

    def fan_out(self, n: int, limit: int, service: str, first: int) -> dict:
        from core.services import api_key_create
        from notifications.models import Delivery, DeliveryStatus, StatusReport
        from tests import clock
        from tests.delivery_engine.recipients import recipients_load

        key = api_key_create(name=f"bench {service}")[1]
        self.start_worker(limit)

        def post_event(trip_key: str, minutes: int) -> float:
            service, day = trip_key.split("/")
            started = time.time()
            response = self.http.post(
                f"{self.web_url}/api/v1/trips/{service}/{day}/events",
                timeout=30,
                json={"type": "delayed", "estimated_departure": clock.iso(10, minutes)},
                headers={
                    "Authorization": f"Bearer {key}",
                    "Idempotency-Key": f"{trip_key}-{minutes}",
                },
            )
            assert response.status_code == 202, response.text
            return started

        recipients_load(n=n, trip_key=clock.trip(service), reference=service, first=first)
        recipients_load(
            n=20, trip_key=clock.trip("KL2002"), reference="W" + service, first=900000 + first
        )
        self.fake("/_reset", callbacks=True)
        post_event(clock.trip("KL2002"), 5 + first // 100000)  # warm-up: imports, connections
        self.wait(lambda: self.fake("/_stats")["callbacks"] >= 60, 120, "the warm-up")
        self.fake("/_reset", callbacks=True)
        started = post_event(clock.trip(service), 20)
        self.wait(lambda: self.fake("/_stats")["accepted"] >= n, 600, "the fan-out")
        last_send = self.fake("/_stats")["last"]
        mine = Delivery.objects.filter(event__trip__service=service)

        def all_applied() -> float:
            complete = mine.filter(
                status=DeliveryStatus.READ,
                sent_at__isnull=False,
                delivered_at__isnull=False,
                read_at__isnull=False,
            ).count()
            if complete >= n and not StatusReport.objects.exists():
                return time.time()
            return 0.0

        try:
            applied_at = self.wait(all_applied, 300, "every callback applied", interval=0.1)
        except SystemExit:
            from collections import Counter

            print(
                "   not applied:",
                Counter(mine.values_list("status", flat=True)),
                "waiting",
                StatusReport.objects.count(),
                self.fake("/_stats"),
                flush=True,
            )
            raise
        self.wait(lambda: self.fake("/_stats")["callbacks"] >= 3 * n, 60, "the callbacks")
        stats = self.fake("/_stats")
        return {
            "rate": n / (last_send - started),
            "after_last_send": applied_at - last_send,
            "after_last_callback": applied_at - stats["done"],
            **stats,
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=6.0, help="each closed-loop run")
    parser.add_argument("--rate", type=float, default=200.0, help="the open-loop rate, req/s")
    parser.add_argument("--open-seconds", type=float, default=10.0, help="each open-loop run")
    parser.add_argument("--n", type=int, default=2000, help="recipients of the fan-out")
    parser.add_argument("--limit", type=int, default=1000, help="WHATSAPP_RATE_LIMIT, msg/s")
    parser.add_argument(
        "--also-at",
        type=lambda v: [int(x) for x in v.split(",") if x],
        default=[80],
        help="more fan-outs at these limits (default 80: WhatsApp's default per number)",
    )
    parser.add_argument("--web-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432")
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--skip-fan-out", action="store_true")
    parser.add_argument("--only-fan-out", action="store_true")
    args = parser.parse_args()
    bench = Bench(args)
    try:
        bench.start_services()
        requests = Requests(bench.web_url, bench.web_url, bench.fake_url)
        print(
            f"web: uvicorn --workers {args.web_workers}; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
        if args.only_fan_out:
            args.seconds = args.open_seconds = 0.2
        print(f"1. closed loop, 32 in flight, {args.seconds:.0f} s each:", flush=True)
        rates = {}
        for kind in ("client", "bare", "bare-stack", "404", "inbound", "status", "bare"):
            rate, wrong = asyncio.run(closed_loop(requests, kind, args.seconds))
            rates.setdefault(kind, []).append(rate)
            print(f"   {kind:10} {rate:7.0f} req/s" + (f"  ({wrong} wrong answers)" * bool(wrong)))
        bare = statistics.mean(rates["bare"])
        for kind in ("bare-stack", "404", "inbound", "status"):
            print(f"   {kind:10} / bare view: {rates[kind][0] / bare:.2f} (target >= 0.5)")
        print(f"2. open loop at {args.rate:.0f} req/s, {args.open_seconds:.0f} s each:", flush=True)
        for kind in ("bare", "status", "inbound"):
            r = asyncio.run(open_loop(requests, kind, args.rate, args.open_seconds))
            print(
                f"   {kind:10} p50 {r['p50'] * 1000:6.1f} ms  p99 {r['p99'] * 1000:6.1f} ms  "
                f"max {r['max'] * 1000:6.1f} ms" + (f"  ({r['wrong']} wrong)" * bool(r["wrong"])),
                flush=True,
            )
        from notifications.models import StatusReport

        waiting = StatusReport.objects.count()
        dropped = bench.forget_inbound()
        started = bench.start_worker()
        bench.wait(lambda: not StatusReport.objects.exists(), 600, "the stored callbacks")
        print(
            f"3. {waiting:,} callbacks stored while no worker ran: applied "
            f"{time.time() - started:.1f} s after the worker was started (its start-up "
            f"included; {dropped:,} bench inbound messages dropped unprocessed)",
            flush=True,
        )
        r = asyncio.run(open_loop(requests, "status", args.rate, max(args.open_seconds, 5)))
        print(
            f"   status, the worker idle beside it: p50 {r['p50'] * 1000:.1f} ms  p99 "
            f"{r['p99'] * 1000:.1f} ms  max {r['max'] * 1000:.1f} ms",
            flush=True,
        )
        if args.skip_fan_out:
            return
        limits = [args.limit] + [x for x in args.also_at if x != args.limit]
        for k, limit in enumerate(limits):
            f = bench.fan_out(args.n, limit, f"KL{5001 + k}", first=100000 * (k + 1))
            print(
                f"4.{k + 1} fan-out of {args.n:,} at {limit:,} msg/s with callbacks on: sent "
                f"at {f['rate']:,.0f} msg/s; every delivery sent, delivered and read "
                f"{f['after_last_send']:.1f} s after the last send (target <= 10 s), "
                f"{f['after_last_callback']:.1f} s after the last callback was answered; "
                f"{f['callbacks']:,} callbacks, slowest answer {f['slowest'] * 1000:.0f} ms, "
                f"p99 {f['p99'] * 1000:.0f} ms, {f['over_1s']} at 1 s or more (target 0), "
                f"{f['bad']} not 2xx; the fake's own lag in posting them: p99 "
                f"{f['lag_p99'] * 1000:.0f} ms, max {f['lag_max'] * 1000:.0f} ms",
                flush=True,
            )
    finally:
        bench.close()


if __name__ == "__main__":
    main()
