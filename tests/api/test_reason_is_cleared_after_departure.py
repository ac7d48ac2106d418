"""A delay's reason is history once the flight leaves: not in the live status nor any wording."""

import pytest

from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body

ANNA = "+31612345678"


def live(api) -> dict:
    return api.get("/bookings/ABC123").json()["segments"][0]["live"]


def post(api, key: str, **body) -> None:
    assert api.post_event(body, key=key, trip=clock.TRIP).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_departure_clears_the_delay_reason(api):
    api.put_booking("ABC123", booking_body())
    post(
        api,
        "d",
        type="delayed",
        estimated_departure=clock.iso(9, 45),
        reason="late arrival of the aircraft",
    )
    assert live(api)["reason"] == "late arrival of the aircraft"

    post(api, "dep", type="departed", actual_departure=clock.iso(9, 50))

    assert live(api)["reason"] == ""
    told = SandboxMessage.objects.filter(to=ANNA).latest("created_at").text
    assert "aircraft" not in told and "Reden" not in told


@pytest.mark.django_db(transaction=True)
def test_a_later_delay_without_reason_does_not_repeat_the_old_one(api):
    api.put_booking("ABC123", booking_body())
    post(api, "d1", type="delayed", estimated_departure=clock.iso(9, 30), reason="fog")
    post(api, "d2", type="delayed", estimated_departure=clock.iso(10, 0))

    assert live(api)["reason"] == ""
    assert (
        SandboxMessage.objects.filter(to=ANNA)
        .latest("created_at")
        .text.endswith("Onze excuses voor het ongemak.")
    )


@pytest.mark.django_db(transaction=True)
def test_a_gate_change_keeps_the_delay_reason(api):
    api.put_booking("ABC123", booking_body())
    post(api, "d", type="delayed", estimated_departure=clock.iso(9, 30), reason="fog")
    post(api, "g", type="gate_changed", gate="E3")

    assert (live(api)["reason"], live(api)["gate"]) == ("fog", "E3")
