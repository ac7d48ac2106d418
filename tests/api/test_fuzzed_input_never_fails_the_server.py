"""Junk in any field gets a 2xx or a 4xx that names the problem, never a server error.

The test client re-raises any exception a view lets escape, so a 5xx cannot go unnoticed.
"""

import random

import pytest

from tests import clock
from tests.api.helpers import booking_body

pytestmark = pytest.mark.django_db

JUNK = [
    None,
    "",
    " ",
    "x" * 5000,
    "\x00",
    "\u202e",
    "😀" * 30,
    "0612345678",
    "+31 6 1234 5678",
    "+３１６１２３４５６７８",
    clock.naive(9, 0),
    clock.iso(9, 0),
    f"{clock.day().year}-02-30T09:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    clock.TRIP,
    "P1",
    "whatsapp",
    "messenger",
    "delayed",
    "https://e.x/",
    0,
    -1,
    10**100,
    1.5,
    float("1e308"),
    True,
    False,
    [],
    [None],
    {},
    {"id": "P1"},
]
EVENTS = [
    {"type": "check_in_open", "check_in_url": "https://example.com/ci"},
    {"type": "gate_changed", "gate": "D7", "terminal": "2"},
    {"type": "boarding", "gate": "D7"},
    {
        "type": "delayed",
        "estimated_departure": clock.iso(10, 15),
        "estimated_arrival": clock.iso(10, 35, tz=clock.LONDON),
        "reason": "fog",
    },
    {
        "type": "departed",
        "actual_departure": clock.iso(10, 20),
        "estimated_arrival": clock.iso(10, 40, tz=clock.LONDON),
    },
    {"type": "arrived", "actual_arrival": clock.iso(10, 41, tz=clock.LONDON), "baggage_belt": "5"},
    {"type": "cancelled", "reason": "strike", "rebooking_url": "https://example.com/rebook"},
]


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))


def mutate(doc, rng: random.Random):
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in paths(doc) if p])
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.15 and isinstance(parent, dict):
            parent.pop(path[-1])
        elif action < 0.25 and isinstance(parent, dict):
            parent[rng.choice(["extra", "type", "id", "passengers"])] = rng.choice(JUNK)
        else:
            parent[path[-1]] = rng.choice(JUNK)
    return doc


def assert_answered(response):
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["errors"]


def test_fuzzed_bookings(api):
    rng = random.Random(20261122)
    for i in range(250):
        assert_answered(api.put_booking(f"FUZZ{i % 7}", mutate(booking_body(), rng)))


def test_fuzzed_trip_events(api):
    assert api.put_booking("ABC123").status_code == 201
    rng = random.Random(1122)
    for i in range(250):
        body = mutate(dict(rng.choice(EVENTS)), rng)
        assert_answered(api.post_event(body, key=f"fuzz-{i % 5}"))


def test_fuzzed_bulk_bookings(api):
    rng = random.Random(20261123)
    for _ in range(25):
        documents = [
            mutate({"reference": f"FUZZ{rng.randint(0, 9)}", **booking_body()}, rng)
            for _ in range(10)
        ]
        response = api.bulk(documents)
        assert_answered(response)
        if response.status_code == 200:
            results = response.json()["results"]
            assert [r["index"] for r in results] == list(range(10))
            assert all(r["status"] in (200, 201) or r["errors"] for r in results)
            assert all(r["status"] != 500 for r in results)
