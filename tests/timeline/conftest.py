"""The trip's own timeline: bookings a few days out, and the beat tick run at a chosen moment.

The tick is what `celery beat` runs every TIMELINE_TICK_SECONDS; here a test moves the clock
(time-machine) and runs it, as the periodic task would at that moment.
"""

import pytest

from core.services import api_key_create
from notifications.services import timeline_due_send
from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.api.helpers import Api

PEOPLE = {
    ("nl", "formal"): ("Anna", "de Vries", "+31612345670"),
    ("nl", "informal"): ("Bram", "Bakker", "+31612345671"),
    ("en", "formal"): ("Claire", "Smith", "+31612345672"),
    ("en", "informal"): ("Dave", "Jones", "+31612345673"),
}


@pytest.fixture
def api(db) -> Api:
    return Api(api_key_create(name="booking engine")[1])


def booking(
    *,
    service: str = "KL1001",
    offset: int = 3,
    hour: int = 9,
    minute: int = 0,
    people=(("nl", "formal"),),
    check_in_url: str | None = None,
    origin: str = "AMS",
    destination: str = "LHR",
) -> dict:
    body = {
        "passengers": [
            {
                "id": f"P{i}",
                "given_name": PEOPLE[v][0],
                "family_name": PEOPLE[v][1],
                "language": v[0],
                "formality": v[1],
                "contacts": [{"channel": "whatsapp", "address": PEOPLE[v][2], "opt_in": True}],
            }
            for i, v in enumerate(people, start=1)
        ],
        "segments": [
            {
                "trip": suite_clock.trip(service, offset=offset),
                "origin": origin,
                "destination": destination,
                "scheduled_departure": suite_clock.iso(hour, minute, offset=offset),
                "scheduled_arrival": suite_clock.iso(
                    hour, minute + 20, offset=offset, tz=suite_clock.LONDON
                ),
                "passengers": [f"P{i}" for i in range(1, len(people) + 1)],
            }
        ],
    }
    if check_in_url:
        body["check_in_url"] = check_in_url
    return body


def tick(clock, moment) -> dict:
    clock.move_to(moment)
    return timeline_due_send()


def texts(phone: str) -> list[str]:
    return list(
        SandboxMessage.objects.filter(to=phone)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )
