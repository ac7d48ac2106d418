"""Boarding passes: how many PDFs one core makes per second, how big one is, and how long from
`POST …/documents` to the provider's request for the file.

    DATABASE_URL=postgres://root@127.0.0.1:5432/thuisfront_bench \
    REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/documents.py [--render 500] [--documents 30]

Part one renders in this process alone (one core): the page's words, the PDF417 code (zxing-cpp)
and the PDF (reportlab), as documents/services.py does for each POST. Part two runs the
services-mode stack as in production (uvicorn, one Celery worker, Redis, fake Twilio at the HTTP
edge, which fetches each file as Twilio does) and times, per document, the POST until the fake's
GET of the signed link. Targets (issue 10): at least 50 documents/s, at most 100 KB each.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/thuisfront_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CHANNEL_LAYER_PREFIX", "thuisfront-bench")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _bcbp(name: str, day: date, seat: int) -> str:
    julian = day.timetuple().tm_yday
    return f"M1{name:<20}EABC123 AMSLHRKL 1001 {julian:03d}Y{seat:03d}A{seat:04d} 100"


def render_rate(count: int) -> None:
    import django

    django.setup()
    from core.models import Trip
    from documents import barcodes, bcbp, face, pdf

    day = date.today() + timedelta(days=1)
    departure = datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM) + timedelta(hours=9)
    trip = Trip(
        service="KL1001",
        local_date=day,
        origin="AMS",
        destination="LHR",
        scheduled_departure=departure,
        scheduled_arrival=departure + timedelta(minutes=80),
    )
    sizes, started_wall, started_cpu = [], time.perf_counter(), time.process_time()
    for n in range(count):
        data = _bcbp(f"PASSENGER/NUMBER{n % 1000}", day, 1 + n % 60)
        leg = bcbp.parse(data).legs[0]
        document = SimpleNamespace(
            passenger_name=f"Number{n} Passenger",
            boarding_time=departure - timedelta(minutes=30),
            gate="D7",
            seat=leg.seat,
            terminal="2",
            booking_reference="ABC123",
        )
        printed = face.boarding_pass_face(
            document=document, trip=trip, leg=leg, language="nl", issued_at=departure
        )
        sizes.append(len(pdf.render(printed, barcodes.encode(data, "pdf417"))))
    wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    print(f"render: {count} boarding passes on one core in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"  {count / wall:.0f} documents/s (wall), {count / cpu:.0f}/s of CPU time")
    print(
        f"  size: median {statistics.median(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB"
    )


def fetch_latency(count: int) -> None:
    import django

    from bench.inbox_latency import _free_port, start, wait_up
    from bench.inbox_list import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    django.setup()
    import httpx
    import redis
    from django.core.management import call_command
    from django.db import connection

    from core.services import api_key_create
    from notifications.catalogue import sandbox_template_id
    from tests.fakes.providers import FakeConfig, FakeProviders

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_booking, core_trip, core_customer CASCADE")
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    fake = FakeProviders(FakeConfig()).start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    fake.public_base_url = url
    # Outside the window the file goes in the approved media template, as Twilio holds it.
    template = sandbox_template_id("whatsapp", "boarding_pass", "en", "formal")
    fake.config.media_templates[template] = url + "/{{6}}"
    log = Path(tempfile.mkdtemp()) / "stack.log"
    processes = start(fake, port, log)
    try:
        wait_up(url, log)
        key = api_key_create(name="bench")[1]
        api = httpx.Client(
            base_url=url + "/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=10
        )
        day = (datetime.now(AMSTERDAM) + timedelta(days=1)).date()
        passengers = [
            {
                "id": f"P{n}",
                "given_name": "Number",
                "family_name": f"Passenger{n}",
                "contacts": [
                    {"channel": "whatsapp", "address": f"+3161230{n:04d}", "opt_in": True}
                ],
            }
            for n in range(1, count + 1)
        ]
        booking = {
            "passengers": passengers,
            "segments": [
                {
                    "trip": f"KL1001/{day.isoformat()}",
                    "origin": "AMS",
                    "destination": "LHR",
                    "scheduled_departure": f"{day.isoformat()}T09:00:00+01:00",
                    "scheduled_arrival": f"{day.isoformat()}T09:20:00+00:00",
                    "passengers": [p["id"] for p in passengers],
                }
            ],
        }
        assert api.put("/bookings/ABC123", json=booking).status_code == 201
        fake.wait_for(count, timeout=60)  # the booking confirmations
        latencies, posts = [], []
        for n in range(1, count + 1):
            body = {
                "passenger": f"P{n}",
                "trip": f"KL1001/{day.isoformat()}",
                "kind": "boarding_pass",
                "gate": "D7",
                "barcode": _bcbp(f"PASSENGER{n}/NUMBER", day, n),
            }
            started = time.time()
            response = api.post("/bookings/ABC123/documents", json=body)
            posts.append((time.time() - started) * 1000)
            assert response.status_code == 202, response.text
            deadline = time.monotonic() + 30
            while len(fake.fetched) < n and time.monotonic() < deadline:
                time.sleep(0.002)
            latencies.append((fake.fetched[n - 1].wall - started) * 1000)
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]
        print(f"POST …/documents → provider fetches the file, {count} documents one after another:")
        print(f"  POST answered: p50 {statistics.median(posts):.0f} ms")
        print(
            f"  file fetched:  p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, "
            f"max {ordered[-1]:.0f} ms"
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        fake.stop()


def main() -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--render", type=int, default=500, help="documents to render in-process")
    parser.add_argument("--documents", type=int, default=30, help="documents posted to the stack")
    args = parser.parse_args()
    render_rate(args.render)
    if args.documents:
        fetch_latency(args.documents)


if __name__ == "__main__":
    main()
