"""The inbox search's message text (`text__icontains`): a trigram GIN index on UPPER(text), as
core's 0005 has for names and addresses, without GIN's pending list (PostgreSQL only)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

from core.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_search_indexes"),
        ("webcare_inbox", "0003_teams_labels_audit_csat"),
    ]

    operations = [
        PostgreSQLOnly(
            migrations.AddIndex(
                "message",
                GinIndex(
                    OpClass(Upper("text"), name="gin_trgm_ops"),
                    name="message_text_trgm",
                    fastupdate=False,
                ),
            )
        ),
    ]
