"""Someone writes to the page, and a booking names their PSID: whichever is processed first, and
even when both run at the same time, it is one person with the booking's consent (real
PostgreSQL: the unique address and row locks decide, not timing)."""

import threading
import time

import pytest
from django.db import connection

from core import services as core_services
from core.models import ContactPoint, Customer, InboundMessage, Passenger
from core.services import api_key_create
from tests import clock
from tests.api.helpers import Api
from webcare_inbox import services as inbox
from webcare_inbox.models import Conversation

PSID = "7130088127765009"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api() -> Api:
    _, key = api_key_create(name="booking engine")
    return Api(key)


def body() -> dict:
    return {
        "passengers": [
            {
                "id": "P1",
                "given_name": "Sophie",
                "family_name": "Jansen",
                "language": "nl",
                "formality": "informal",
                "contacts": [{"channel": "messenger", "address": PSID, "opt_in": True}],
            },
        ],
        "segments": [
            clock.flight_segment(["P1"]),
        ],
    }


def stored_message() -> InboundMessage:
    """A message to the page as the webhook stored it: not processed yet."""
    return InboundMessage.objects.create(
        channel="messenger",
        provider_message_id="m_first",
        from_address=PSID,
        text="Hoi, ik heb een vraag over mijn reis",
    )


def assert_one_person_with_consent(api: Api) -> None:
    sophie = Passenger.objects.get(booking__reference="RACE01").customer
    assert Customer.objects.get() == sophie
    assert api.get("/bookings/RACE01").json()["passengers"][0]["contacts"] == [
        {"channel": "messenger", "address": PSID, "opt_in": True, "opted_out_at": None}
    ]
    assert Conversation.objects.get().customer == sophie
    event = api.post_event({"type": "gate_changed", "gate": "D7"}, trip=clock.TRIP)
    assert event.json()["recipients"] == 1


def test_message_processed_before_the_booking(api):
    inbox.inbound_process(inbound=stored_message())

    assert api.put_booking("RACE01", body()).status_code == 201

    assert_one_person_with_consent(api)


def test_booking_before_the_message_is_processed(api):
    inbound = stored_message()
    assert api.put_booking("RACE01", body()).status_code == 201

    inbox.inbound_process(inbound=inbound)

    assert_one_person_with_consent(api)


class Held:
    """Runs `work` in a thread whose transaction stops at `hold()` until released."""

    def __init__(self, work) -> None:
        self.inside, self.release, self.error = threading.Event(), threading.Event(), None
        self.thread = threading.Thread(target=self._run, args=(work,))

    def hold(self) -> None:
        self.inside.set()
        assert self.release.wait(30)

    def _run(self, work) -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 — reported by join()
            self.error = exc
        finally:
            connection.close()

    def join(self) -> None:
        self.thread.join(30)
        assert not self.thread.is_alive()
        if self.error:
            raise self.error


def wait_for_a_lock_wait() -> None:
    """Until another session of this database waits on a lock held by the held transaction."""
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second transaction never waited for the first")


def test_booking_arriving_while_the_message_is_being_processed(api, monkeypatch):
    inbound = stored_message()
    first = Held(lambda: inbox.inbound_process(inbound=inbound))
    # Stop inside the message's transaction, after it created the person and the address.
    monkeypatch.setattr(
        inbox, "INBOUND_HANDLERS", [lambda *_: first.hold() or False, *inbox.INBOUND_HANDLERS]
    )
    answers = []
    second = Held(lambda: answers.append(api.put_booking("RACE01", body())))

    first.thread.start()
    assert first.inside.wait(20)
    second.thread.start()
    wait_for_a_lock_wait()  # the booking's insert of the same address waits for the message
    first.release.set()
    first.join()
    second.join()

    assert answers[0].status_code == 201
    assert answers[0].json()["passengers"][0]["contacts"] == [
        {"channel": "messenger", "address": PSID, "opt_in": True, "opted_out_at": None}
    ]
    assert_one_person_with_consent(api)


def test_message_processed_while_the_booking_is_being_stored(api, monkeypatch):
    inbound = stored_message()
    first = Held(lambda: api.put_booking("RACE01", body()))
    trip_upsert = core_services._trip_upsert

    def held_trip_upsert(data):  # after the passengers and their addresses, before commit
        first.hold()
        return trip_upsert(data)

    monkeypatch.setattr(core_services, "_trip_upsert", held_trip_upsert)
    second = Held(lambda: inbox.inbound_process(inbound=inbound))

    first.thread.start()
    assert first.inside.wait(20)
    second.thread.start()
    wait_for_a_lock_wait()  # the message's insert of the same address waits for the booking
    first.release.set()
    first.join()
    second.join()

    assert ContactPoint.objects.get(address=PSID).customer == Passenger.objects.get().customer
    assert_one_person_with_consent(api)
