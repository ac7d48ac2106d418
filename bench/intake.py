"""Booking intake benchmark: how many passengers a second the bookings API takes, in bulk and one
booking at a time, against bare baselines measured in the same run.

    .venv/bin/python bench/intake.py [--bookings 4000] [--per-request 500] [--single 300]

Needs PostgreSQL (BENCH_DATABASE_URL's server, default postgres://root@127.0.0.1:5432; the script
creates and drops its own database, `thuisfront_bench_intake` or BENCH_DATABASE_NAME) and the
`redis-server` binary (it runs its own Redis on a free port). It starts, and stops at the end,
services mode as the README runs it: one web process (`uvicorn config.asgi:application`, with
DATABASE_POOL_SIZE=16 as `make serve` runs it), one Celery worker with two pool processes
(`celery -A config worker -c 2`; it sends the booking confirmations meanwhile, through the
sandbox adapter) and beat.

The bookings have 1, 2, 3 or 4 passengers in turn (2.5 on average), each with a WhatsApp number,
every other one opted in, on 20 flights. It prints:
1. bulk: `POST /api/v1/bookings/bulk`, --per-request documents a request, one client after the
   other on one kept-alive connection: new bookings (JSON array), the same bookings replaced
   (the flights' times moved: a schedule change), and new bookings as NDJSON; passengers a
   second (target >= 1,000);
2. the baseline: the same rows (bookings, people, addresses, consent, passengers, segments)
   written with bare ORM bulk_create calls in this process, passengers a second;
3. single: `PUT /api/v1/bookings/{reference}` of a one-passenger booking, new and replaced,
   p50 and p99 (target p50 <= 20 ms);
4. the baseline: Django answering a 404 through its middleware on the same server, and
   `GET /api/v1/bookings/{reference}` (key check and the booking's reads), p50 and p99.
Logs of the processes it started are in var/bench/.
"""

import argparse
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "thuisfront_bench_intake")
FLIGHTS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Services:
    def __init__(self, server: str, keep_db: bool, pool: int) -> None:
        self.server, self.keep_db, self.pool = server.rstrip("/"), keep_db, pool
        self.procs: dict[str, subprocess.Popen] = {}
        self.log_dir = ROOT / "var" / "bench"
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        redis_port, web_port = free_port(), free_port()
        self.web_url = f"http://127.0.0.1:{web_port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{self.server}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": self.web_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        self.spawn(
            "redis",
            [shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
        )
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=self.env, check=True
        )
        os.environ.update({k: self.env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        logging.getLogger("httpx").setLevel(logging.WARNING)
        self.web_port = web_port
        self.web_start(pool=self.pool)
        celery = [str(BIN / "celery"), "-A", "config"]
        self.spawn(
            "worker",
            [*celery, "worker", "-c", "2", "-l", "WARNING", "--without-mingle", "--without-gossip"],
        )
        self.spawn(
            "beat", [*celery, "beat", "-l", "WARNING", "-s", str(self.log_dir / "beat-schedule")]
        )

    def web_start(self, pool: int) -> None:
        """(Re)start the web process, with DATABASE_POOL_SIZE=pool (0: a connection a request)."""
        proc = self.procs.pop("web", None)
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        self.spawn(
            "web",
            [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1"]
            + ["--port", str(self.web_port), "--log-level", "warning"],
            env={**self.env, "DATABASE_POOL_SIZE": str(pool)},
        )
        deadline = time.monotonic() + 30
        while not self._healthy():
            if time.monotonic() > deadline:
                raise SystemExit("the web process did not come up (see var/bench/intake-web.log)")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.web_url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def spawn(self, name: str, args: list, env: dict | None = None) -> None:
        log = open(self.log_dir / f"intake-{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def close(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not self.keep_db:
            import psycopg
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')


def documents(n: int, first: int, minutes: int = 0) -> list[dict]:
    """n bookings of 1–4 passengers, every other passenger opted in, on FLIGHTS flights."""
    from tests import clock

    result = []
    phone = first * 4
    for i in range(n):
        size = i % 4 + 1
        flight = i % FLIGHTS
        ids = [f"P{p + 1}" for p in range(size)]
        passengers = []
        for pax in ids:
            phone += 1
            passengers.append(
                {
                    "id": pax,
                    "given_name": f"Reiziger{phone}",
                    "family_name": "de Vries",
                    "language": "nl" if phone % 3 else "en",
                    "formality": "formal" if phone % 2 else "informal",
                    "contacts": [
                        {
                            "channel": "whatsapp",
                            "address": f"+3162{phone:07d}",
                            "opt_in": phone % 2 == 0,
                        }
                    ],
                }
            )
        departure = 7 * 60 + flight * 30 + minutes
        result.append(
            {
                "reference": f"BENCH{first + i}",
                "passengers": passengers,
                "segments": [
                    {
                        "trip": clock.trip(f"KL{1100 + flight}"),
                        "origin": "AMS",
                        "destination": "LHR",
                        "scheduled_departure": clock.iso(departure // 60, departure % 60),
                        "scheduled_arrival": clock.iso(
                            (departure + 20) // 60, (departure + 20) % 60, tz=clock.LONDON
                        ),
                        "passengers": ids,
                    }
                ],
            }
        )
    return result


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def passengers(docs: list[dict]) -> int:
    return sum(len(d["passengers"]) for d in docs)


def bulk(client: httpx.Client, docs: list[dict], per_request: int, ndjson: bool = False) -> float:
    """Passengers a second through POST /bookings/bulk, one request after the other."""
    bodies = []
    for start in range(0, len(docs), per_request):
        chunk = docs[start : start + per_request]
        bodies.append("\n".join(map(json.dumps, chunk)) if ndjson else json.dumps(chunk))
    kind = "application/x-ndjson" if ndjson else "application/json"
    started = time.perf_counter()
    for body in bodies:
        response = client.post(
            "/api/v1/bookings/bulk", content=body, headers={"Content-Type": kind}
        )
        answer = response.json()
        assert response.status_code == 200 and not answer["refused"] + answer["failed"], answer
    return passengers(docs) / (time.perf_counter() - started)


def bare_orm(docs: list[dict]) -> float:
    """The same rows with bare bulk_create calls: what writing them costs at the least."""
    from django.db import transaction
    from django.utils import timezone

    from core.models import Booking, ConsentRecord, ContactPoint, Customer, Passenger, Segment, Trip

    trips = {(t.service, t.local_date.isoformat()): t for t in Trip.objects.all()}
    started = time.perf_counter()
    for start in range(0, len(docs), 250):
        chunk = docs[start : start + 250]
        now = timezone.now()
        with transaction.atomic():
            bookings = Booking.objects.bulk_create(
                [Booking(reference=d["reference"]) for d in chunk]
            )
            pax = [p for d in chunk for p in d["passengers"]]
            customers = Customer.objects.bulk_create(
                [
                    Customer(
                        given_name=p["given_name"],
                        family_name=p["family_name"],
                        language=p["language"],
                        formality=p["formality"],
                    )
                    for p in pax
                ]
            )
            points = ContactPoint.objects.bulk_create(
                [
                    ContactPoint(
                        customer=c,
                        channel="whatsapp",
                        address=p["contacts"][0]["address"],
                        opted_in=p["contacts"][0]["opt_in"],
                        opted_in_at=now if p["contacts"][0]["opt_in"] else None,
                    )
                    for c, p in zip(customers, pax)
                ]
            )
            ConsentRecord.objects.bulk_create(
                [
                    ConsentRecord(contact_point=cp, action="opt_in", source="bench", at=now)
                    for cp in points
                    if cp.opted_in
                ]
            )
            rows, owners = [], iter(customers)
            for booking, d in zip(bookings, chunk):
                for p in d["passengers"]:
                    rows.append(
                        Passenger(
                            booking=booking,
                            pax_id=p["id"],
                            given_name=p["given_name"],
                            family_name=p["family_name"],
                            customer=next(owners),
                        )
                    )
            rows = Passenger.objects.bulk_create(rows)
            segments = Segment.objects.bulk_create(
                [
                    Segment(booking=b, trip=trips[tuple(d["segments"][0]["trip"].split("/"))])
                    for b, d in zip(bookings, chunk)
                ]
            )
            by_booking = {s.booking_id: s for s in segments}
            Segment.passengers.through.objects.bulk_create(
                [
                    Segment.passengers.through(
                        segment_id=by_booking[p.booking_id].pk, passenger_id=p.pk
                    )
                    for p in rows
                ]
            )
    return passengers(docs) / (time.perf_counter() - started)


def timed(client: httpx.Client, requests: list[tuple[str, str, str | None]]) -> list[float]:
    """Milliseconds for each (method, path, body), one after the other."""
    times = []
    for method, path, body in requests:
        started = time.perf_counter()
        response = client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 500, response.text[:300]
    return times


def line(name: str, times: list[float], target: str = "") -> str:
    p50, p99 = statistics.median(times), percentile(times, 0.99)
    return f"{name}: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {len(times)}{target}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bookings", type=int, default=4000, help="bookings per bulk run")
    parser.add_argument("--per-request", type=int, default=500, help="documents a bulk request")
    parser.add_argument("--single", type=int, default=300, help="single PUTs timed")
    parser.add_argument(
        "--pool",
        type=int,
        default=16,
        help="the web process's DATABASE_POOL_SIZE (16, as `make serve` runs it)",
    )
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432")
    )
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    services = Services(args.database, args.keep_db, args.pool)
    try:
        services.start()
        from core.services import api_key_create

        key = api_key_create(name="bench")[1]
        client = httpx.Client(
            base_url=services.web_url, timeout=120, headers={"Authorization": f"Bearer {key}"}
        )
        n = args.bookings
        warm = documents(40, first=900_000)
        bulk(client, warm, 20)  # imports, connections, the flights
        timed(
            client,
            [
                (
                    "PUT",
                    f"/api/v1/bookings/WARM{i}",
                    json.dumps({k: v for k, v in warm[0].items() if k != "reference"}),
                )
                for i in range(20)
            ],
        )

        web = services.procs["web"].pid
        cpu = cpu_seconds(web)
        created = bulk(client, documents(n, first=0), args.per_request)
        cpu_created, cpu = cpu_seconds(web) - cpu, cpu_seconds(web)
        replaced = bulk(client, documents(n, first=0, minutes=30), args.per_request)
        cpu_replaced = cpu_seconds(web) - cpu
        ndjson = bulk(client, documents(n, first=n), args.per_request, ndjson=True)
        bare = bare_orm(documents(n, first=2 * n))
        pax = passengers(documents(n, first=0))
        print(
            f"bulk, {n:,} bookings ({pax:,} passengers), {args.per_request} a request, one client:"
        )
        per = 1000 / pax
        print(
            f"  new (JSON array)       {created:8,.0f} passengers/s (target >= 1,000); "
            f"the web process's CPU: {cpu_created * per:.2f} s per 1,000 passengers"
        )
        print(
            f"  replaced (times moved) {replaced:8,.0f} passengers/s; "
            f"the web process's CPU: {cpu_replaced * per:.2f} s per 1,000 passengers"
        )
        print(f"  new (NDJSON)           {ndjson:8,.0f} passengers/s")
        print(
            "  baseline: bare ORM bulk_create of the same rows in one process "
            f"{bare:8,.0f} passengers/s"
        )

        one = [
            {k: v for k, v in d.items() if k != "reference"}
            for d in documents(args.single, first=3 * n)
        ]
        one = [
            {
                **d,
                "passengers": d["passengers"][:1],
                "segments": [{**d["segments"][0], "passengers": ["P1"]}],
            }
            for d in one
        ]
        print("single PUT of a one-passenger booking, one request after the other:")
        for pool, name in ((args.pool, "B"), (0, "A")):
            services.web_start(pool=pool)
            kind = f"DATABASE_POOL_SIZE={pool}" + (" (a connection a request)" if not pool else "")
            puts = [
                ("PUT", f"/api/v1/bookings/{name}{i}", json.dumps(d)) for i, d in enumerate(one)
            ]
            timed(client, puts[:10])  # the process's imports and first connections
            new = timed(client, puts[10:])
            again = timed(client, puts[10:])
            gets = [("GET", f"/api/v1/bookings/{name}{i}", None) for i in range(10, len(puts))]
            gets = timed(client, gets)
            missing = [("GET", f"/bench-missing-{i}", None) for i in range(10, len(puts))]
            missing = timed(client, missing)
            print(f"  web process with {kind}:")
            print("    " + line("new     ", new, " (target p50 <= 20 ms)"))
            print("    " + line("replaced", again))
            print("    baseline: " + line("a 404 through Django's middleware", missing))
            print("    baseline: " + line("GET of the same booking", gets))
    finally:
        services.close()


if __name__ == "__main__":
    main()
