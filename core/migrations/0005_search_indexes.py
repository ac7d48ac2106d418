"""Indexes for the inbox search (webcare_inbox/listing.py): names, chat names and addresses match
anywhere in the text (`icontains`, i.e. UPPER(…) LIKE UPPER('%…%')), which trigram GIN indexes on
the same UPPER(…) expression answer; booking references and services match whole (`iexact`).

The GIN indexes are built without GIN's pending list (fastupdate off): with it, each search
reads the list of rows not yet merged into the index, up to 4 MB of them, until a vacuum comes.
A search must take the same few milliseconds all day; an insert may take a little longer."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper

from core.migration_operations import PostgreSQLOnly


def trigram(field: str, name: str) -> GinIndex:
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name, fastupdate=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_check_in_link_and_diversion")]

    operations = [
        PostgreSQLOnly(TrigramExtension()),
        PostgreSQLOnly(
            migrations.AddIndex("customer", trigram("given_name", "customer_given_name_trgm"))
        ),
        PostgreSQLOnly(
            migrations.AddIndex("customer", trigram("family_name", "customer_family_name_trgm"))
        ),
        PostgreSQLOnly(
            migrations.AddIndex(
                "contactpoint", trigram("profile_name", "contact_point_profile_name_trgm")
            )
        ),
        PostgreSQLOnly(
            migrations.AddIndex("contactpoint", trigram("address", "contact_point_address_trgm"))
        ),
        PostgreSQLOnly(
            migrations.AddIndex(
                "booking", models.Index(Upper("reference"), name="booking_reference_upper")
            )
        ),
        PostgreSQLOnly(
            migrations.AddIndex("trip", models.Index(Upper("service"), name="trip_service_upper"))
        ),
    ]
