"""A booking the database cannot store (here a trigger refuses it) is answered 500 on its own:
the other bookings of the request are stored, and nothing of the refused one is kept."""

import pytest
from django.db import connection

from core.models import Booking, Customer
from tests.api.helpers import bulk_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_reference():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION refuse_broken() RETURNS trigger AS $$
            BEGIN
                IF NEW.reference = 'BROKEN' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_broken BEFORE INSERT ON core_booking
                FOR EACH ROW EXECUTE FUNCTION refuse_broken();
            """
        )
    return "BROKEN"


def test_the_others_are_stored_and_the_broken_one_answered_500(api, broken_reference, caplog):
    documents = [
        bulk_document("FINE1", "+31611111111"),
        bulk_document(broken_reference, "+31611111112", given_name="Geheim"),
        bulk_document("FINE2", "+31611111113"),
    ]

    answer = api.bulk(documents).json()

    assert [r["status"] for r in answer["results"]] == [201, 500, 201]
    assert (answer["created"], answer["failed"]) == (2, 1)
    assert answer["results"][1]["errors"] == [
        {"field": None, "message": "the booking could not be stored; nothing of it was kept"}
    ]
    assert set(Booking.objects.values_list("reference", flat=True)) == {"FINE1", "FINE2"}
    assert not Customer.objects.filter(given_name="Geheim").exists()
    # Logged without what the booking holds.
    assert "bulk booking 1 not stored" in caplog.text
    assert "Geheim" not in caplog.text and "+31611111112" not in caplog.text
