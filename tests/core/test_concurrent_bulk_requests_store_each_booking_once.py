"""Two bulk requests with the same new bookings at the same moment (real PostgreSQL: row locks
and unique keys decide, not timing): each booking is created once and replaced once, each
address is one person with one consent record, and each passenger is confirmed once."""

import pytest

from core import services as core_services
from core.models import Booking, ConsentRecord, ContactPoint, Customer
from core.services import api_key_create
from sandbox.models import SandboxMessage
from tests.api.helpers import Api, bulk_document
from tests.core.test_booking_and_first_message_make_one_person import Held, wait_for_a_lock_wait

pytestmark = pytest.mark.django_db(transaction=True)
N = 20


def documents() -> list[dict]:
    return [bulk_document(f"RACE{i}", f"+3161234{i:04d}") for i in range(N)]


def test_the_second_request_waits_and_replaces_what_the_first_created(monkeypatch):
    key = api_key_create(name="booking engine")[1]
    answers: dict[str, dict] = {}
    first = Held(lambda: answers.update(first=Api(key).bulk(documents()).json()))
    trip_upsert = core_services._trip_upsert
    held = []

    def held_trip_upsert(data):  # the first request, after its bookings and addresses
        if not held:
            held.append(True)
            first.hold()
        return trip_upsert(data)

    monkeypatch.setattr(core_services, "_trip_upsert", held_trip_upsert)
    second = Held(lambda: answers.update(second=Api(key).bulk(documents()).json()))

    first.thread.start()
    assert first.inside.wait(20)
    second.thread.start()
    wait_for_a_lock_wait()  # the second's insert of the same bookings waits for the first
    first.release.set()
    first.join()
    second.join()

    assert [r["status"] for r in answers["first"]["results"]] == [201] * N
    assert [r["status"] for r in answers["second"]["results"]] == [200] * N
    assert Booking.objects.count() == N
    assert Customer.objects.count() == ContactPoint.objects.count() == N
    assert ConsentRecord.objects.count() == N
    assert sorted(SandboxMessage.objects.values_list("to", flat=True)) == sorted(
        f"+3161234{i:04d}" for i in range(N)
    )
    for result in answers["second"]["results"]:
        first_answer = answers["first"]["results"][result["index"]]["booking"]
        assert [p["follow_code"] for p in result["booking"]["passengers"]] == [
            p["follow_code"] for p in first_answer["passengers"]
        ]
