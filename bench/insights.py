"""The manager's dashboard at scale: 1,000,000 deliveries and 100,000 conversations.

    .venv/bin/python bench/insights.py [--deliveries 1000000] [--conversations 100000]

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://root@127.0.0.1:5432/tf_insights_bench; created and migrated if missing, its tables
emptied first) and fills it with COPY: 20 routes × 60 days of trips, 100,000 people on 250,000
bookings (one rollout plan with a 10% hold-out), the deliveries (statuses, failures), the
conversations (labels, agent replies, resolutions, CSAT) and survey answers.

Prints, each measured in this run:
- the fill's time per table;
- the rollup: the first full run (every day) and a periodic run (the last INSIGHTS_ROLLUP_DAYS);
- the dashboard (`GET /insights/`, 28 days; 60 days; one route), median and p95 of 15 renders
  through Django's test client, against a bare Django view through the same middleware (the
  baseline), and the same figures computed straight from the rows (what a page view would cost
  without the rollup). Target: the dashboard ≤ 500 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
import types
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://root@127.0.0.1:5432/tf_insights_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("PUBLIC_BASE_URL", "http://testserver")

ROUTES = [
    ("AMS", d) for d in ("LHR", "CDG", "BCN", "FCO", "MAD", "LIS", "CPH", "OSL", "ARN", "HEL")
] + [(d, "AMS") for d in ("LHR", "CDG", "BCN", "FCO", "MAD", "LIS", "CPH", "OSL", "ARN", "HEL")]
DAYS = 60
PEOPLE = 100_000
BOOKINGS = 250_000
KINDS = ["check_in_open", "departure_reminder", "booking_confirmation", "delayed", "gate_changed"]
STATUSES = ["read"] * 60 + ["delivered"] * 25 + ["sent"] * 6 + ["failed"] * 5 + ["queued"] * 4
RUNS = 15


def database_ensure(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "bench" not in cfg["NAME"]:
        raise SystemExit(f"refusing to use database {cfg['NAME']!r}: the bench empties it")
    admin = (
        f"host={cfg['HOST'] or '127.0.0.1'} port={cfg['PORT'] or 5432} "
        f"user={cfg['USER'] or 'root'} dbname=postgres"
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if not found.fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


class Copy:
    """COPY rows into one table, timed."""

    def __init__(self) -> None:
        self.times: list[tuple[str, int, float]] = []

    def __call__(self, table: str, columns: list[str], rows) -> None:
        from django.db import connection

        started = time.perf_counter()
        n = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        self.times.append((table, n, time.perf_counter() - started))


def fill(n_deliveries: int, n_conversations: int) -> Copy:
    from django.db import connection
    from django.utils import timezone

    from core.models import Trip
    from insights.models import RolloutPlan

    rng = random.Random(7)
    copy = Copy()
    now = timezone.now()
    start = now - timedelta(days=DAYS)
    RolloutPlan.objects.create(name="bench", carrier="KL", holdout_percent=10, stages=[50, 100])
    trips = Trip.objects.bulk_create(
        [
            Trip(
                service=f"KL{1000 + r}",
                local_date=(start + timedelta(days=d)).date(),
                origin=o,
                destination=dest,
                scheduled_departure=start + timedelta(days=d, hours=8 + r % 12),
                scheduled_arrival=start + timedelta(days=d, hours=10 + r % 12),
            )
            for d in range(DAYS + 1)
            for r, (o, dest) in enumerate(ROUTES)
        ]
    )
    trip_rows = [(t.pk, t.scheduled_departure) for t in trips]
    copy(
        "core_customer",
        [
            "id",
            "given_name",
            "family_name",
            "language",
            "formality",
            "language_known",
            "created_at",
            "updated_at",
        ],
        ((i, f"P{i}", "Bench", "nl", "formal", True, start, start) for i in range(1, PEOPLE + 1)),
    )
    copy(
        "core_contactpoint",
        [
            "id",
            "customer_id",
            "channel",
            "address",
            "provider_user_id",
            "profile_name",
            "opted_in",
            "opt_in_source",
            "unreachable_code",
            "unreachable_reason",
            "created_at",
        ],
        (
            (i, i, "whatsapp", f"+3169{i:07d}", "", "", True, "bench", "", "", start)
            for i in range(1, PEOPLE + 1)
        ),
    )
    copy(
        "core_booking",
        ["id", "reference", "check_in_url", "created_at", "updated_at"],
        ((i, f"BB{i:07d}", "", start, start) for i in range(1, BOOKINGS + 1)),
    )
    booking_trip = {i: trip_rows[rng.randrange(len(trip_rows))] for i in range(1, BOOKINGS + 1)}
    booking_person = {i: rng.randint(1, PEOPLE) for i in range(1, BOOKINGS + 1)}
    copy(
        "core_passenger",
        [
            "id",
            "booking_id",
            "pax_id",
            "given_name",
            "family_name",
            "language",
            "formality",
            "customer_id",
            "follow_code",
            "opt_in_code",
        ],
        (
            (
                i,
                i,
                "P1",
                "P",
                "Bench",
                "nl",
                "formal",
                booking_person[i],
                f"TFB{i:09d}",
                f"TMB{i:09d}",
            )
            for i in range(1, BOOKINGS + 1)
        ),
    )
    copy(
        "core_segment",
        ["id", "booking_id", "trip_id", "position"],
        ((i, i, booking_trip[i][0], 0) for i in range(1, BOOKINGS + 1)),
    )
    copy(
        "core_segment_passengers",
        ["segment_id", "passenger_id"],
        ((i, i) for i in range(1, BOOKINGS + 1)),
    )

    def deliveries():
        for n in range(n_deliveries):
            booking = rng.randint(1, BOOKINGS)
            trip_id, departs = booking_trip[booking]
            person = booking_person[booking]
            status = rng.choice(STATUSES)
            at = departs - timedelta(hours=rng.uniform(1, 30))
            yield (
                uuid.uuid4(),
                f"bench:{n}",
                rng.choice(KINDS),
                "bulk",
                person,
                person,
                "whatsapp",
                status,
                0,
                "",
                "",
                "{}",
                "",
                "",
                "",
                "",
                "{}",
                f"SM{n}",
                "63016" if status == "failed" else "",
                "",
                1,
                at,
                trip_id,
                booking,
            )

    with connection.cursor() as cursor:
        # Indexes are built once after the COPY (PostgreSQL sorts once) instead of row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'notifications_delivery'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        copy(
            "notifications_delivery",
            [
                "id",
                "dedupe_key",
                "kind",
                "lane",
                "customer_id",
                "contact_point_id",
                "channel",
                "status",
                "status_rank",
                "text",
                "template_sid",
                "template_variables",
                "media_url",
                "media_content_type",
                "messaging_type",
                "tag",
                "context",
                "provider_message_id",
                "error_code",
                "error_message",
                "attempts",
                "created_at",
                "trip_id",
                "booking_id",
            ],
            deliveries(),
        )
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
        copy.times.append(
            ("  its indexes, built after", len(indexes), time.perf_counter() - started)
        )
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO webcare_inbox_team (name) VALUES ('Webcare'), ('Night')")
        cursor.execute(
            "INSERT INTO webcare_inbox_label (name) VALUES ('delay'), ('baggage'), ('refund')"
        )
        cursor.execute("SELECT id FROM webcare_inbox_team ORDER BY id")
        teams = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT id FROM webcare_inbox_label ORDER BY id")
        labels = [r[0] for r in cursor.fetchall()]
    from django.contrib.auth.models import User

    agent = User.objects.create_user("bench-agent")
    conversations = []
    for i in range(1, n_conversations + 1):
        booking = rng.randint(1, BOOKINGS)
        trip_id, departs = booking_trip[booking]
        at = departs - timedelta(hours=rng.uniform(-6, 24))
        bot = rng.random() < 0.35
        conversations.append((i, booking_person[booking], trip_id, at, bot))
    copy(
        "webcare_inbox_conversation",
        [
            "id",
            "customer_id",
            "contact_point_id",
            "channel",
            "status",
            "trip_id",
            "created_at",
            "last_message_at",
            "last_message_preview",
            "unread",
            "handled_by",
            "handover_reason",
            "team_id",
            "csat_score",
            "csat_asked_at",
            "csat_answered_at",
        ],
        (
            (
                i,
                p,
                p,
                "whatsapp",
                "resolved",
                t,
                at,
                at,
                "",
                0,
                "bot" if bot else "human",
                "" if bot else rng.choice(["", "asked for a person"]),
                None if bot else teams[i % 2],
                None if bot or i % 3 else rng.choice([3, 4, 5, 5, 5]),
                None if bot else at + timedelta(hours=2),
                None if bot or i % 3 else at + timedelta(hours=2),
            )
            for i, p, t, at, bot in conversations
        ),
    )
    copy(
        "webcare_inbox_conversation_labels",
        ["conversation_id", "label_id"],
        ((i, labels[i % 3]) for i, *_ in conversations if i % 5 < 3),
    )

    def messages():
        n = 0
        for i, _, _, at, bot in conversations:
            n += 1
            yield (n, i, "in", None, "Waar is mijn koffer?", "[]", False, at)
            if not bot:
                n += 1
                reply = at + timedelta(minutes=rng.lognormvariate(2, 0.8))
                yield (n, i, "out", agent.pk, "Hallo", "[]", False, reply)

    copy(
        "webcare_inbox_message",
        [
            "id",
            "conversation_id",
            "direction",
            "author_id",
            "text",
            "media",
            "automated",
            "created_at",
        ],
        messages(),
    )
    copy(
        "webcare_inbox_auditentry",
        ["conversation_id", "actor_id", "action", "detail", "at"],
        (
            (i, agent.pk, "resolved", "", at + timedelta(minutes=rng.lognormvariate(4, 0.6)))
            for i, _, _, at, bot in conversations
            if not bot
        ),
    )
    copy(
        "insights_survey",
        [
            "kind",
            "customer_id",
            "contact_point_id",
            "conversation_id",
            "route",
            "asked_at",
            "score",
            "answered_at",
        ],
        (
            (rng.choice(["helpful", "ces", "nps"]), p, p, i, "", at, rng.randint(0, 5), at)
            for i, p, _, at, _ in conversations
            if i % 5 == 0
        ),
    )
    with connection.cursor() as cursor:
        for table in (
            "core_customer",
            "core_contactpoint",
            "core_booking",
            "core_passenger",
            "core_segment",
            "webcare_inbox_conversation",
            "webcare_inbox_message",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return copy


def timed(client, url: str) -> tuple[float, float]:
    client.get(url)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def straight_from_rows(days: int) -> float:
    """What one page view would cost without the rollup: a few of its figures by full scans."""
    from django.db.models import Count
    from django.utils import timezone

    from notifications.models import Delivery
    from webcare_inbox.models import Conversation

    since = timezone.now() - timedelta(days=days)
    started = time.perf_counter()
    list(
        Delivery.objects.filter(created_at__gte=since)
        .values("kind", "channel", "status")
        .annotate(n=Count("id"))
    )
    list(
        Conversation.objects.filter(created_at__gte=since)
        .values("labels__name", "handled_by")
        .annotate(n=Count("id"))
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args()
    database_ensure(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.http import HttpResponse
    from django.urls import include, path

    def bare(request):
        return HttpResponse("ok")

    urls = types.ModuleType("bench_insights_urls")
    urls.urlpatterns = [path("bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_insights_urls"] = urls
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench_insights_urls"
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE core_customer, core_booking, core_trip, webcare_inbox_team, "
            "webcare_inbox_label, insights_rolloutplan, insights_figure, insights_rolluprun, "
            "auth_user CASCADE"
        )
    started = time.perf_counter()
    copy = fill(args.deliveries, args.conversations)
    print(f"database: {connection.settings_dict['NAME']}")
    print(f"fill: {time.perf_counter() - started:.1f} s")
    for table, n, seconds in copy.times:
        print(f"  {table:<34} {n:>9,} rows {seconds:6.1f} s")

    from django.contrib.auth.models import User
    from django.test import Client

    from insights.rollups import rollup_refresh

    run = rollup_refresh()
    print(
        f"rollup, first run ({run.first_day} – {run.last_day}): {run.seconds:.1f} s, "
        f"{run.rows:,} figure rows"
    )
    run = rollup_refresh()
    print(
        f"rollup, periodic run ({run.first_day} – {run.last_day}): {run.seconds:.1f} s, "
        f"{run.rows:,} figure rows"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    manager = User.objects.create_user("bench-manager", is_staff=True)
    client = Client()
    client.force_login(manager)
    print(f"times in ms, median / p95 of {RUNS} renders (target: the dashboard ≤ 500 ms)")
    base = timed(client, "/bare/")
    print(f"  {'baseline: a bare Django view':<44} {base[0]:7.1f} / {base[1]:7.1f}")
    for label, url in [
        ("dashboard, 28 days", "/insights/"),
        ("dashboard, 60 days", f"/insights/?from={run.first_day - timedelta(days=56)}"),
        ("dashboard, one route", "/insights/?route=AMS-LHR"),
        ("one chart as CSV", "/insights/csv/funnel.csv"),
    ]:
        median, p95 = timed(client, url)
        print(f"  {label:<44} {median:7.1f} / {p95:7.1f}")
    print(f"  {'without a rollup: 2 of its figures, 28 days':<44} {straight_from_rows(28):7.1f}")


if __name__ == "__main__":
    main()
