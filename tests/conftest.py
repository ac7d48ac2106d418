"""Shared fixtures. Tests run on real PostgreSQL and Redis (see Makefile `test`).

Celery tasks run eagerly in-process unless a test is marked `e2e` (those start real worker
processes). Providers are faked only at their HTTP edge, or by the sandbox adapter, whose
SandboxMessage rows are the outbox.
"""

from datetime import date, timedelta

import pytest
import time_machine
from celery.result import allow_join_result

from config.celery import app as celery_app
from core.messaging import reset_adapters
from core.services import ContactIn, PassengerIn, SegmentIn, booking_upsert
from tests import clock as test_clock


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    if request.node.get_closest_marker("e2e"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # A test that ran a worker in this process (embedded mode) leaves Celery's "inside a worker"
    # flag behind; an eager task's result is local, so reading it never blocks.
    with allow_join_result():
        yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _template_catalogue(request):
    """Transactional tests flush every table, including the catalogue the migration loaded."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from notifications.catalogue import load_defaults
    from notifications.models import MessageTemplate

    load_defaults(MessageTemplate)
    yield


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """Quiet hours would make a test's messages depend on the hour it runs at; the tests about
    them (tests/timeline/) set QUIET_HOURS themselves and move the clock into the night."""
    settings.QUIET_HOURS = None


@pytest.fixture(autouse=True)
def _webcare_always_open(settings):
    """The team's opening hours would make what a person is told (a colleague answers now, or
    tomorrow from 08:00) depend on the hour the test runs at; the tests about them set
    WEBCARE_OPENING_HOURS themselves."""
    settings.WEBCARE_OPENING_HOURS = "24/7"


@pytest.fixture(autouse=True)
def _fresh_adapters():
    reset_adapters()
    yield
    reset_adapters()


@pytest.fixture
def clock():
    """The suite's clock, to let time pass in this process: clock.shift(timedelta(hours=25))."""
    with time_machine.travel(test_clock.STARTED, tick=True) as traveller:
        yield traveller


@pytest.fixture
def make_booking(db):
    """make_booking("ABC123", [("P1", "Anna", "de Vries", "nl", "formal", "+31612345678")])

    The trip is the suite's KL1001 tomorrow (tests/clock.py), 09:00 Amsterdam → 09:20 London.
    """

    def make(
        reference="ABC123",
        passengers=None,
        trip=None,
        channel="whatsapp",
        opt_in=True,
        departure=None,
    ):
        passengers = passengers or [("P1", "Anna", "de Vries", "nl", "formal", "+31612345678")]
        service, local_date = (trip or test_clock.TRIP).split("/")
        departure = departure or test_clock.local(
            9, 0, offset=(date.fromisoformat(local_date) - test_clock.day(0)).days
        )
        pax = [
            PassengerIn(
                pax_id=p[0],
                given_name=p[1],
                family_name=p[2],
                language=p[3],
                formality=p[4],
                contacts=[ContactIn(channel=channel, address=p[5], opt_in=opt_in)] if p[5] else [],
            )
            for p in passengers
        ]
        seg = SegmentIn(
            service=service,
            local_date=date.fromisoformat(local_date),
            origin="AMS",
            destination="LHR",
            scheduled_departure=departure,
            scheduled_arrival=departure + timedelta(hours=1, minutes=20),
            passengers=[p[0] for p in passengers],
        )
        booking, _ = booking_upsert(reference=reference, passengers=pax, segments=[seg])
        return booking

    return make
