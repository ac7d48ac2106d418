"""Erase one person who is in every table, then read every text and JSON column of every table
in the database: none of her numbers, ids, names or words is left, and the counts still add up."""

import pytest
from django.apps import apps
from django.db import connection

from core.data_protection import declarations
from core.models import Booking, Customer
from tests.privacy.conftest import FULL, PHONE, PSID, needles

TEXT_TYPES = ("character varying", "text", "json", "jsonb", "character")


def traces() -> list[str]:
    """Every (table.column: needle) where one of her strings stands, in the whole database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            for needle in needles():
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {needle}")
    return found


def rows_of_every_declared_table() -> dict[str, int]:
    return {
        d.model._meta.label: d.model._base_manager.count()
        for d in declarations()
        if d.holds_personal_data
    }


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_trace_in_any_table(everywhere, api):
    empty = [label for label, n in rows_of_every_declared_table().items() if n == 0]
    assert not empty, f"the fill puts nothing in {empty}: extend tests/privacy/conftest.py"
    assert traces(), "the scan finds her before the erasure"
    counts = api.get(f"/events/{everywhere['event']}").json()

    response = api.post("/people/erase", {"booking": {"reference": "WQ0001", "passenger": "P1"}})

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["already_erased"] is False
    assert answer["suppressed_addresses"] == 2
    assert answer["rows"]["core.Customer"] == 1
    assert traces() == [], "\n".join(traces())
    # What counts her still counts: the event's deliveries, her conversations as anonymous rows.
    assert api.get(f"/events/{everywhere['event']}").json() == counts
    erased = Customer.objects.get(pk=everywhere["customer"].pk)
    assert (str(erased), erased.full_name) == (f"erased person {erased.pk}", "")
    assert erased.conversations.count() == 2
    # Her own booking is gone; the shared one keeps its other passenger.
    assert api.get("/bookings/WQ0001").status_code == 404
    shared = api.get("/bookings/SHARED1").json()
    assert [p["given_name"] for p in shared["passengers"]] == ["Bram"]
    assert not Booking.objects.filter(reference="WQ0001").exists()


@pytest.mark.django_db(transaction=True)
def test_erasing_again_by_any_of_her_addresses_answers_already_erased(everywhere, api):
    first = api.post("/people/erase", {"phone": PHONE}).json()

    for body in (
        {"phone": PHONE},
        {"messenger_id": PSID},
        {"phone": PHONE.replace("+31", "0031")},
    ):
        again = api.post("/people/erase", body)
        assert again.status_code == 200, again.content
        assert again.json()["already_erased"] is True
        assert again.json()["erasure_id"] == first["erasure_id"]
    assert api.post("/people/export", {"phone": PHONE}).status_code == 404
    assert FULL not in str(api.post("/people/erase", {"phone": PHONE}).json())


def test_no_text_column_escapes_the_scan():
    """The scan reads every column PostgreSQL has of a text or JSON type, for every model."""
    db_types = {
        f.db_type(connection).split("(")[0]
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if f.get_internal_type() in {"CharField", "TextField", "JSONField", "SlugField", "URLField"}
    }
    assert db_types <= {"varchar", "text", "jsonb"}
