"""Who may be sent now: claims, order per person and trip, and newer updates replacing older.

Each step is one statement for a whole batch. A worker owns a delivery only after its claim
moved it PENDING → SENDING, so a task delivered twice, or two tasks holding the same id, send
it once. It owns it under a lease (lease_until, DELIVERY_LEASE_SECONDS ahead) that it renews
while it works; the lease sweep (sweep.py) takes over a claim whose lease ran out.

Order: a delivery made for a trip event waits while the same person has an older event's
delivery for the same trip that has not gone out yet (pending or sending). A newer event of
the same type on the same trip replaces an older delivery to the same person that has not
gone out (status superseded): the traveller hears 11:05, not 10:20, 10:40 and 11:05.
"""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from core.bulk import execute_bound
from notifications.models import STATUS_RANK, Delivery, DeliveryStatus, TripEvent
from notifications.services.bulk import deliveries_set, uuid_of

UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)

# One statement claims a batch and writes what goes out onto its rows (the inbox and admin show
# it; set before the provider call): one array a column (unnest), whatever the batch's size.
_CLAIM_SQL = """
UPDATE notifications_delivery AS d
   SET status = %s, status_rank = %s, claimed_at = %s, lease_until = %s,
       attempts = d.attempts + 1{shown_sets}
  FROM unnest({arrays}) AS v(id{shown_names})
 WHERE d.id = v.id
   AND d.status = %s
   AND (d.not_before IS NULL OR d.not_before <= %s){in_order}
RETURNING d.id
"""

# For a batch in which someone may still be waiting for an older update of the trip; {row} is
# the claimed row's name in the UPDATE.
_IN_ORDER_SQL = """
   AND NOT EXISTS (
       SELECT 1
         FROM notifications_delivery earlier
         JOIN notifications_tripevent earlier_event ON earlier_event.id = earlier.event_id
         JOIN notifications_tripevent own_event ON own_event.id = {row}.event_id
        WHERE earlier.customer_id = {row}.customer_id
          AND earlier.trip_id = {row}.trip_id
          AND earlier.status IN (%s, %s)
          AND (earlier_event.created_at < own_event.created_at
               OR (earlier_event.created_at = own_event.created_at
                   AND earlier_event.id < own_event.id)))"""

# The same on SQLite (the embedded demo), which has no arrays; it writes the shown columns after.
_CLAIM_PORTABLE_SQL = """
UPDATE notifications_delivery
   SET status = %s, status_rank = %s, claimed_at = %s, lease_until = %s,
       attempts = attempts + 1
 WHERE id IN ({ids})
   AND status = %s
   AND (not_before IS NULL OR not_before <= %s){in_order}
RETURNING id
"""


def batch_events(ids: list) -> list[dict]:
    """The trip events of these deliveries (a batch usually has one): what ordering looks at."""
    return list(
        TripEvent.objects.filter(deliveries__pk__in=ids)
        .values("id", "trip_id", "type", "created_at")
        .distinct()
    )


def _older_events(events: list[dict]):
    return TripEvent.objects.filter(
        trip_id__in={e["trip_id"] for e in events},
        created_at__lte=max(e["created_at"] for e in events),
    ).exclude(pk__in=[e["id"] for e in events])


def _older_unsent(events: list[dict]) -> bool:
    """Does an older event of these trips still have deliveries waiting? (Usually not.)"""
    return (
        bool(events)
        and Delivery.objects.filter(event__in=_older_events(events), status__in=UNSENT).exists()
    )


def _not_fanned_out_yet(events: list[dict]) -> bool:
    """An event these wait for is accepted but has no deliveries yet.

    An older one: its people must hear it first. A newer one of the same type: it is about to
    replace these (its fan-out supersedes them).
    """
    if not events:
        return False
    waiting_for = _older_events(events)
    for e in events:
        waiting_for |= TripEvent.objects.filter(
            trip_id=e["trip_id"], type=e["type"], created_at__gt=e["created_at"]
        )
    return waiting_for.filter(fanned_out_at__isnull=True).exists()


def deliveries_claim(
    *,
    ids: list,
    now: datetime | None = None,
    events: list[dict] | None = None,
    shown: list[tuple] | None = None,
    shown_columns: list[tuple[str, str]] = (),
) -> list:
    """PENDING → SENDING in one UPDATE … RETURNING; returns the ids this caller now owns.

    Skips what is not due yet (not_before) and what must wait for an older update to the same
    person on the same trip (that check only runs when an older update is still unsent).
    `shown` rows (pk, *values of shown_columns) are written onto the rows it claims, in the same
    statement; `events` are batch_events(ids) when the caller has them already.
    """
    if not ids:
        return []
    now = now or timezone.now()
    events = batch_events(ids) if events is None else events
    if _not_fanned_out_yet(events):
        return []  # queued again by that event's fan-out
    if shown is None:
        shown, shown_columns = [(i,) for i in ids], ()
    # Several events in one batch (the sweep mixes them) may hold one person's updates twice.
    in_order = len(events) > 1 or _older_unsent(events)
    if connection.vendor != "postgresql":
        return _claim_portable(ids, now, in_order, shown, shown_columns)
    names = [name for name, _ in shown_columns]
    sql = _CLAIM_SQL.format(
        shown_sets="".join(f', "{n}" = v."{n}"' for n in names),
        arrays=", ".join(f"%s::{kind}[]" for kind in ["uuid", *(k for _, k in shown_columns)]),
        shown_names="".join(f', "{n}"' for n in names),
        in_order=_IN_ORDER_SQL.format(row="d") if in_order else "",
    )
    arrays = [[uuid_of(row[0]) for row in shown]] + [
        [json.dumps(row[i]) if kind == "jsonb" else row[i] for row in shown]
        for i, (_, kind) in enumerate(shown_columns, start=1)
    ]
    params = [
        DeliveryStatus.SENDING,
        STATUS_RANK[DeliveryStatus.SENDING],
        now,
        now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
        *arrays,
        DeliveryStatus.PENDING,
        now,
        *(UNSENT if in_order else ()),
    ]
    return [row[0] for row in execute_bound(sql, params)]


def _claim_portable(ids, now, in_order, shown, shown_columns) -> list:
    field = Delivery._meta.pk
    db_ids = [field.get_db_prep_value(field.to_python(i), connection) for i in ids]
    sql = _CLAIM_PORTABLE_SQL.format(
        ids=", ".join(["%s"] * len(db_ids)),
        in_order=_IN_ORDER_SQL.format(row="notifications_delivery") if in_order else "",
    )
    params = [
        DeliveryStatus.SENDING,
        STATUS_RANK[DeliveryStatus.SENDING],
        now,
        now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
        *db_ids,
        DeliveryStatus.PENDING,
        now,
        *(UNSENT if in_order else ()),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = [field.to_python(row[0]) for row in cursor.fetchall()]
    if shown_columns:
        mine = set(claimed)
        deliveries_set(rows=[r for r in shown if r[0] in mine], columns=list(shown_columns))
    return claimed


def _newer_same_update():
    return Delivery.objects.filter(
        customer_id=OuterRef("customer_id"),
        trip_id=OuterRef("trip_id"),
        event__type=OuterRef("event__type"),
        event__created_at__gt=OuterRef("event__created_at"),
    )


def deliveries_supersede(*, ids: list, events: list[dict] | None = None) -> set[tuple[int, int]]:
    """Mark pending deliveries among ids that a newer update of the same type has replaced.

    Returns their (customer, trip) pairs: whoever waited behind them may go now. `events` are
    batch_events(ids) when the caller has them already.
    """
    if not ids:
        return set()
    events = batch_events(ids) if events is None else events
    newer = TripEvent.objects.none()
    for e in events:
        newer |= TripEvent.objects.filter(
            trip_id=e["trip_id"], type=e["type"], created_at__gt=e["created_at"]
        )
    if not events or not newer.exists():
        return set()  # nothing newer of the same type: nothing here is replaced
    replaced = dict(
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING, event__isnull=False)
        .filter(Exists(_newer_same_update()))
        .values_list("pk", "customer_id")
    )
    if not replaced:
        return set()
    done = Delivery.objects.filter(pk__in=list(replaced), status=DeliveryStatus.PENDING)
    pairs = set(done.values_list("customer_id", "trip_id"))
    done.update(
        status=DeliveryStatus.SUPERSEDED, status_rank=STATUS_RANK[DeliveryStatus.SUPERSEDED]
    )
    return pairs


def event_supersede_older(*, event: TripEvent) -> int:
    """At fan-out: the new event's people no longer get an older, unsent update of its type."""
    return Delivery.objects.filter(
        trip_id=event.trip_id,
        event__type=event.type,
        event__created_at__lt=event.created_at,
        status=DeliveryStatus.PENDING,
        customer_id__in=Delivery.objects.filter(event=event).values("customer_id"),
    ).update(status=DeliveryStatus.SUPERSEDED, status_rank=STATUS_RANK[DeliveryStatus.SUPERSEDED])


def deliveries_release(*, ids: list, not_before: datetime | None = None) -> int:
    """Give back claimed deliveries that were not tried (the batch stopped early):
    no attempt used."""
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING,
        status_rank=STATUS_RANK[DeliveryStatus.PENDING],
        attempts=F("attempts") - 1,
        not_before=not_before,
        lease_until=None,
    )


def deliveries_lease_renew(*, ids: list, until: datetime) -> int:
    """Keep the claims a living worker still holds (its heartbeat): one UPDATE."""
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
        lease_until=until
    )


def deliveries_waiting_behind(*, pairs: set[tuple[int, int]]) -> dict[str, list]:
    """Pending trip-event deliveries of these (customer, trip) pairs, by lane: next in line."""
    if not pairs:
        return {}
    customers = {c for c, _ in pairs}
    trips = {t for _, t in pairs}
    rows = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        event__isnull=False,
        customer_id__in=customers,
        trip_id__in=trips,
    ).values_list("id", "lane", "customer_id", "trip_id")
    by_lane: dict[str, list] = {}
    for pk, lane, customer_id, trip_id in rows:
        if (customer_id, trip_id) in pairs:
            by_lane.setdefault(lane, []).append(pk)
    return by_lane


def deliveries_withdraw(*, ids: list) -> int:
    """Messages replaced before they went out (a newer boarding pass): they never will."""
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SUPERSEDED, status_rank=STATUS_RANK[DeliveryStatus.SUPERSEDED]
    )
