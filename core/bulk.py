"""Many rows written in one statement on PostgreSQL, with the parameters bound by the server.

Django quotes every parameter into the statement text on the client (psycopg's ClientCursor), and
bulk_create builds a model instance and prepares each value of each row in Python; for a few
thousand rows that costs more than the statement itself. Here each column goes as one array
(unnest), so the statement stays short whatever the number of rows. Elsewhere (the embedded
SQLite demo) the same rows go through bulk_create.
"""

import json

import psycopg
from django.db import connection
from django.db.models import JSONField, Model


def execute_bound(sql: str, params: list) -> list[tuple]:
    """Run one statement on PostgreSQL with its parameters bound by the server, and fetch its rows.

    A plain psycopg cursor on Django's connection (so inside the same transaction) sends the
    parameters apart from the statement instead of quoting them into it.
    """
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def rows_insert(model: type[Model], rows: list[dict], batch_size: int = 500) -> None:
    """INSERT rows of `model` (attname → value; the model's defaults for the rest), skipping any
    that conflict with a row already there (a unique key taken meanwhile), as
    bulk_create(ignore_conflicts=True) does.

    On PostgreSQL one INSERT … SELECT FROM unnest(one array a column) ON CONFLICT DO NOTHING,
    with callable defaults (a uuid, created_at) called for each row as bulk_create would, and an
    auto-increment key left to the database.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**row) for row in rows], ignore_conflicts=True, batch_size=batch_size
        )
        return
    given = set().union(*rows)
    table = connection.ops.quote_name(model._meta.db_table)
    names, selects, params, arrays = [], [], [], []
    for field in model._meta.concrete_fields:
        if field is model._meta.auto_field:
            continue
        column, kind = connection.ops.quote_name(field.column), field.db_type(connection)
        names.append(column)
        default = field.get_default
        values = (
            [row.get(field.attname, default()) for row in rows]
            if (field.attname in given or callable(field.default))
            else [default()]
        )
        if not callable(field.default) and all(v == values[0] for v in values):
            selects.append(f"%s::{kind}")  # the same for every row: one parameter
            params.append(_prep(field, values[0]))
        else:
            selects.append(f"v.{column}")
            arrays.append(([_prep(field, v) for v in values], column, kind))
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(selects)} "
        f"FROM unnest({', '.join(f'%s::{kind}[]' for _, _, kind in arrays)}) "
        f"AS v({', '.join(column for _, column, _ in arrays)}) ON CONFLICT DO NOTHING"
    )
    execute_bound(sql, params + [values for values, _, _ in arrays])


def _prep(field, value):
    """A value as psycopg sends it: JSON dumped (cast to jsonb in the statement), else as is."""
    return json.dumps(value) if isinstance(field, JSONField) else value
