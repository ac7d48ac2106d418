"""Many delivery rows changed in one statement, each with its own values.

Django's bulk_update builds a CASE per field and row in Python, which costs more than the
provider call it records. On PostgreSQL this is one UPDATE … FROM (VALUES …); elsewhere (the
embedded SQLite demo) one UPDATE per row inside a transaction.
"""

import json

from django.db import connection, transaction

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
    row_sql = "(" + ", ".join(["%s::uuid"] + [f"%s::{kind}" for _, kind in columns]) + ")"
    params: list = list(shared.values())
    for row in rows:
        params += [str(row[0])] + [_db(value, kind) for value, (_, kind) in zip(row[1:], columns)]
    guards, guard_params = "", []
    if only_status is not None:
        guards += " AND d.status = %s"
        guard_params.append(only_status)
    if below_rank is not None:
        guards += " AND d.status_rank < %s"
        guard_params.append(below_rank)
    sql = (
        f"UPDATE {TABLE} AS d SET {', '.join(sets)} FROM "
        f"(VALUES {', '.join([row_sql] * len(rows))}) AS v(id, "
        f"{', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
        f"WHERE d.id = v.id{guards} RETURNING d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + guard_params)
        return {row[0] for row in cursor.fetchall()}


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
