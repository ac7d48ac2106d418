"""Migration operations for what only PostgreSQL has: the search indexes (pg_trgm).

The embedded demo runs on SQLite, whose search reads every row and needs no index; the same
migrations run there and skip these operations.
"""

from django.db.migrations.operations.base import Operation


class PostgreSQLOnly(Operation):
    """Runs the wrapped operation's database change on PostgreSQL only. The models' state is
    left alone: the indexes are the database's business, not the models' (SQLite has no GIN)."""

    reversible = True

    def __init__(self, operation: Operation) -> None:
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{self.operation.describe()} (PostgreSQL only)"
