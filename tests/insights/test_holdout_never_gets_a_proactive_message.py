"""The hold-out gets no proactive message at all; bookings outside the stage get no opt-in links;
the booking API answer says where each booking stands."""

import pytest

from insights.models import RolloutPlan
from insights.rollout import group_of
from notifications.models import Delivery, ScheduledMessage
from tests import clock
from tests.api.helpers import booking_body
from tests.insights.conftest import plan


def _references(plan_row: RolloutPlan, group: str, n: int) -> list[str]:
    found = []
    i = 0
    while len(found) < n:
        reference = f"HO{i:05d}"
        if group_of(plan_row, reference) == group:
            found.append(reference)
        i += 1
    return found


def _body(phone: str) -> dict:
    body = booking_body()
    body["passengers"][0]["contacts"][0]["address"] = phone
    return body


@pytest.mark.django_db(transaction=True)
def test_held_out_bookings_get_no_confirmation_and_no_trip_event(api):
    kl = plan(holdout_percent=30, stages=[50, 100])
    held = _references(kl, "holdout", 2)
    offered = _references(kl, "rollout", 2)
    phones = {r: f"+3161000{n:04d}" for n, r in enumerate(held + offered)}
    for reference, phone in phones.items():
        assert api.put_booking(reference, _body(phone)).status_code == 201

    response = api.post_event({"type": "delayed", "estimated_departure": clock.iso(10, 30)})
    assert response.status_code == 202, response.content

    def told(kind: str) -> set[str]:
        rows = Delivery.objects.filter(kind=kind)
        return set(rows.values_list("contact_point__address", flat=True))

    assert told("booking_confirmation") == {phones[r] for r in offered}
    assert told("delayed") == {phones[r] for r in offered}
    assert not ScheduledMessage.objects.filter(booking__reference__in=held).exists()
    assert ScheduledMessage.objects.filter(booking__reference__in=offered).exists()

    # Without the plan the same people are told: the hold-out is what kept them out.
    kl.delete()
    response = api.post_event(
        {"type": "delayed", "estimated_departure": clock.iso(10, 45)}, key="evt-2"
    )
    assert response.status_code == 202, response.content
    assert (
        Delivery.objects.filter(
            kind="delayed", contact_point__address__in=[phones[r] for r in held]
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_the_booking_answer_shows_the_rollout_and_links_only_inside_it(api):
    kl = plan(holdout_percent=10, stages=[20, 100])
    outside = _references(kl, "outside", 1)[0]
    inside = _references(kl, "rollout", 1)[0]
    held = _references(kl, "holdout", 1)[0]

    answers = {r: api.put_booking(r, booking_body()).json() for r in (outside, inside, held)}

    assert answers[inside]["rollout"] == {
        "in_rollout": True,
        "holdout": False,
        "plan": "KL rollout",
        "stage_percent": 20.0,
    }
    assert answers[inside]["passengers"][0]["opt_in_links"]["whatsapp"].startswith("https://wa.me/")
    assert answers[outside]["rollout"]["in_rollout"] is False
    assert answers[outside]["passengers"][0]["opt_in_links"] is None
    assert answers[held]["rollout"] == {
        "in_rollout": False,
        "holdout": True,
        "plan": "KL rollout",
        "stage_percent": 20.0,
    }
    assert answers[held]["passengers"][0]["opt_in_links"] is None

    # The next stage takes the booking that was outside in, as GET shows.
    kl.stage_index = 1
    kl.save()
    again = api.get(f"/bookings/{outside}").json()
    assert again["rollout"]["in_rollout"] is True and again["passengers"][0]["opt_in_links"]


@pytest.mark.django_db
def test_a_booking_no_plan_covers_is_offered_as_before(api):
    plan(carrier="HV")
    answer = api.put_booking("NOPLAN1", booking_body()).json()  # a KL flight
    assert answer["rollout"] == {
        "in_rollout": True,
        "holdout": False,
        "plan": None,
        "stage_percent": None,
    }
