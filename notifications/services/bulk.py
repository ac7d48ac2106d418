"""Many delivery rows changed in one statement, each with its own values.

Django's bulk_update builds a CASE per field and row in Python, which costs more than the
provider call it records. On PostgreSQL this is one UPDATE … FROM unnest(…), one array a
column; elsewhere (the embedded SQLite demo) one UPDATE per row inside a transaction.
"""

import json
import uuid

from django.db import connection, transaction

from core.bulk import execute_bound, rows_insert
from notifications.models import Delivery

TABLE = Delivery._meta.db_table


def deliveries_set(
    *,
    rows: list[tuple],
    columns: list[tuple[str, str]],
    shared: dict | None = None,
    only_status: str | None = None,
    below_rank: int | None = None,
) -> set:
    """UPDATE each row (pk, *values) with its own `columns` values and the `shared` ones.

    columns: [(field, PostgreSQL type)] for the values after the pk. only_status / below_rank
    guard the update (a row that moved on meanwhile is left alone). Returns the pks updated.
    """
    if not rows:
        return set()
    shared = shared or {}
    if connection.vendor != "postgresql":
        return _one_by_one(rows, columns, shared, only_status, below_rank)
    names = [name for name, _ in columns]
    sets = [f'"{n}" = v."{n}"' for n in names] + [f'"{n}" = %s' for n in shared]
    # One array a column (unnest): a short statement whatever the number of rows, so neither
    # psycopg nor PostgreSQL parses a parameter per value.
    arrays = [[uuid_of(row[0]) for row in rows]] + [
        [_db(row[i], kind) for row in rows] for i, (_, kind) in enumerate(columns, start=1)
    ]
    kinds = ["uuid"] + [kind for _, kind in columns]
    params: list = list(shared.values())
    guards, guard_params = "", []
    if only_status is not None:
        guards += " AND d.status = %s"
        guard_params.append(only_status)
    if below_rank is not None:
        guards += " AND d.status_rank < %s"
        guard_params.append(below_rank)
    sql = (
        f"UPDATE {TABLE} AS d SET {', '.join(sets)} FROM "
        f"unnest({', '.join(f'%s::{kind}[]' for kind in kinds)}) AS v(id, "
        f"{', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
        f"WHERE d.id = v.id{guards} RETURNING d.id"
    )
    params += arrays
    return {row[0] for row in execute_bound(sql, params + guard_params)}


def uuid_of(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _db(value, kind: str):
    return json.dumps(value) if kind == "jsonb" else value


def _one_by_one(rows, columns, shared, only_status, below_rank) -> set:
    done = set()
    with transaction.atomic():
        for pk, *values in rows:
            query = Delivery.objects.filter(pk=pk)
            if only_status is not None:
                query = query.filter(status=only_status)
            if below_rank is not None:
                query = query.filter(status_rank__lt=below_rank)
            if query.update(**dict(zip([n for n, _ in columns], values)), **shared):
                done.add(pk)
    return done


def deliveries_insert(rows: list[dict]) -> None:
    """INSERT new deliveries (attname → value; the model's defaults for the rest), skipping
    any whose dedupe_key exists already: one statement on PostgreSQL (core.bulk.rows_insert)."""
    rows_insert(Delivery, rows)
