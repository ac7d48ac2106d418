"""How fast the inbox list opens, and searches, with 100 conversations and with 100,000.

    DATABASE_URL=postgres://root@127.0.0.1:5432/thuisfront_bench \
        .venv/bin/python bench/inbox_list.py [--large 100000]

Uses its own PostgreSQL database (created and migrated if missing; its inbox, people and booking
tables are emptied first). Each conversation's person has a name (every 97th with diacritics), a
WhatsApp number and a chat name, one message, and every tenth a booking on one of 100 flights.
For each size it renders the list views an agent uses most, and a search by each field the
search covers (name, diacritics, part of a phone number, booking, trip, trip and date, message
text, nothing), through Django's test client, and prints the median and 95th percentile time
and the number of queries per page; then each search's time at the large size against the small.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://root@127.0.0.1:5432/thuisfront_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

VIEWS = [
    "/inbox/",
    "/inbox/?view=unassigned",
    "/inbox/?status=any",
    "/inbox/?status=any&label={label}",
    "/inbox/?q=question+7",
    "/inbox/?q=P42",  # given name
    "/inbox/?q=jansen",  # family name, one in ten
    "/inbox/?q=%C3%B6zt%C3%BCrk",  # öztürk: Öztürk, diacritics in any case
    "/inbox/?q=Reiziger+42",  # chat name
    "/inbox/?q=0000042",  # part of a phone number
    "/inbox/?q=bk000050",  # booking reference
    "/inbox/?q=KL1050",  # trip
    "/inbox/?q=KL1050/{day}",  # trip and date
    "/inbox/?q=koffer",  # message text, one in four
    "/inbox/?q=nothing-like-this",  # no match
]
FAMILIES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Jong", "Mulder"]
FAMILIES += ["de Boer", "Bos"]
TEXTS = [
    "Waar is mijn koffer? ({i})",
    "Is mijn vlucht vertraagd? question {i}",
    "Can I bring my bike? {i}",
    "Ik wil mijn stoel wijzigen {i}",
]
RUNS = 30


def database_ensure(url: str) -> None:
    """Create the bench's database if missing; refuse any database not named for benchmarks,
    since the bench empties the inbox and people tables."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "bench" not in cfg["NAME"]:
        raise SystemExit(
            f"refusing to use database {cfg['NAME']!r}: "
            "the bench empties it; use a name with 'bench' in it"
        )
    admin = (
        f"host={cfg['HOST'] or '127.0.0.1'} port={cfg['PORT'] or 5432} "
        f"user={cfg['USER'] or 'root'} dbname=postgres"
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def seed(n: int, start: int) -> None:
    from django.utils import timezone

    from core.models import Booking, Channel, ContactPoint, Customer, Passenger, Segment, Trip
    from tests import clock
    from webcare_inbox.models import Conversation, Label, Message

    now = timezone.now()
    trips = {}
    for k in range(100):
        trip, _ = Trip.objects.get_or_create(
            service=f"KL{1000 + k}",
            local_date=clock.day(1),
            defaults={
                "origin": "AMS",
                "destination": "LHR",
                "scheduled_departure": clock.local(9, 0),
                "scheduled_arrival": clock.local(10, 20),
            },
        )
        trips[k] = trip
    for offset in range(0, n, 10_000):
        size = min(10_000, n - offset)
        first = start + offset
        numbers = range(first, first + size)
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    given_name=f"P{i}",
                    family_name="Öztürk" if i % 97 == 0 else FAMILIES[i % len(FAMILIES)],
                )
                for i in numbers
            ]
        )
        points = ContactPoint.objects.bulk_create(
            [
                ContactPoint(
                    customer=c,
                    channel=Channel.WHATSAPP,
                    address=f"+3169{i:07d}",
                    profile_name=f"Reiziger {i}",
                )
                for i, c in zip(numbers, customers)
            ]
        )
        conversations = Conversation.objects.bulk_create(
            [
                Conversation(
                    customer=c,
                    contact_point=p,
                    channel="whatsapp",
                    last_message_at=now - timedelta(seconds=i),
                    last_message_preview=f"question {i}",
                )
                for i, c, p in zip(numbers, customers, points)
            ]
        )
        Message.objects.bulk_create(
            [
                Message(conversation=c, direction="in", text=TEXTS[i % len(TEXTS)].format(i=i))
                for i, c in zip(numbers, conversations)
            ]
        )
        booked = [(i, c) for i, c in zip(numbers, customers) if i % 10 == 0]
        bookings = Booking.objects.bulk_create([Booking(reference=f"BK{i:06d}") for i, _ in booked])
        passengers = Passenger.objects.bulk_create(
            [
                Passenger(
                    booking=b,
                    pax_id="P1",
                    given_name=c.given_name,
                    family_name=c.family_name,
                    customer=c,
                )
                for b, (_, c) in zip(bookings, booked)
            ]
        )
        segments = Segment.objects.bulk_create(
            [Segment(booking=b, trip=trips[i % 100]) for b, (i, _) in zip(bookings, booked)]
        )
        Segment.passengers.through.objects.bulk_create(
            [
                Segment.passengers.through(segment_id=s.pk, passenger_id=p.pk)
                for s, p in zip(segments, passengers)
            ]
        )
    label, _ = Label.objects.get_or_create(name="delay")
    label.conversations.add(*Conversation.objects.order_by("-last_message_at")[:40])


def measure(client, url: str) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    database_ensure(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE webcare_inbox_conversation, core_contactpoint, core_customer, "
            "webcare_inbox_label, core_booking, core_trip CASCADE"
        )

    from django.contrib.auth.models import Group, User
    from django.test import Client

    from webcare_inbox.models import Label

    agent, _ = User.objects.get_or_create(username="bench-agent")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])
    client = Client()
    client.force_login(agent)

    from tests import clock

    print(f"database: {connection.settings_dict['NAME']}; {RUNS} renders per view; times in ms")
    print(f"{'conversations':>13}  {'view':<36} {'median':>7} {'p95':>7} {'queries':>7}")
    medians: dict[str, list[float]] = {}
    for size, start in ((100, 0), (args.large, 100)):
        seed(size - (100 if start else 0), start)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        label = Label.objects.get(name="delay").pk
        for view in VIEWS:
            url = view.format(label=label, day=clock.day(1).isoformat())
            median, p95, queries = measure(client, url)
            medians.setdefault(url, []).append(median)
            print(f"{size:>13,}  {url:<36} {median:>7.1f} {p95:>7.1f} {queries:>7}")
    print(f"searches at {args.large:,} against 100 conversations (target: within 3x):")
    for url, (small, large) in medians.items():
        if "q=" in url:
            print(f"  {url:<36} {large / small:5.2f}x")


if __name__ == "__main__":
    main()
