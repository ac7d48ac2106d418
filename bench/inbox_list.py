"""How fast the inbox list opens with 100 conversations and with 100,000.

    DATABASE_URL=postgres://root@127.0.0.1:5432/thuisfront_bench \
        .venv/bin/python bench/inbox_list.py [--large 100000]

Uses its own PostgreSQL database (created and migrated if missing; its inbox tables are emptied
first). For each size it renders the list views an agent uses most through Django's test client
and prints the median and 95th percentile time and the number of queries per page.
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

    from core.models import Channel, ContactPoint, Customer
    from webcare_inbox.models import Conversation, Label

    now = timezone.now()
    for offset in range(0, n, 10_000):
        size = min(10_000, n - offset)
        first = start + offset
        customers = Customer.objects.bulk_create(
            [Customer(given_name=f"P{first + i}", family_name="Bench") for i in range(size)]
        )
        points = ContactPoint.objects.bulk_create(
            [
                ContactPoint(customer=c, channel=Channel.WHATSAPP, address=f"+3169{first + i:07d}")
                for i, c in enumerate(customers)
            ]
        )
        Conversation.objects.bulk_create(
            [
                Conversation(
                    customer=c,
                    contact_point=p,
                    channel="whatsapp",
                    last_message_at=now - timedelta(seconds=first + i),
                    last_message_preview=f"question {first + i}",
                )
                for i, (c, p) in enumerate(zip(customers, points))
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
            "TRUNCATE webcare_inbox_conversation, core_contactpoint, "
            "core_customer, webcare_inbox_label CASCADE"
        )

    from django.contrib.auth.models import Group, User
    from django.test import Client

    from webcare_inbox.models import Label

    agent, _ = User.objects.get_or_create(username="bench-agent")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])
    client = Client()
    client.force_login(agent)

    print(f"database: {connection.settings_dict['NAME']}; {RUNS} renders per view; times in ms")
    print(f"{'conversations':>13}  {'view':<36} {'median':>7} {'p95':>7} {'queries':>7}")
    for size, start in ((100, 0), (args.large, 100)):
        seed(size - (100 if start else 0), start)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        label = Label.objects.get(name="delay").pk
        for view in VIEWS:
            url = view.format(label=label)
            median, p95, queries = measure(client, url)
            print(f"{size:>13,}  {url:<36} {median:>7.1f} {p95:>7.1f} {queries:>7}")


if __name__ == "__main__":
    main()
