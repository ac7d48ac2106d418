"""Thuisfront itself says when check-in opens, at a time taken from the trip's schedule (KLM 30
hours before departure, other carriers 24), once per person and trip, with the booking's
check-in link; an airline's own check_in_open counts and nothing is doubled."""

from datetime import timedelta

import pytest

from notifications.models import Delivery, ScheduledMessage
from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.timeline.conftest import PEOPLE, booking, tick

ANNA = PEOPLE[("nl", "formal")][2]


def checked_in(phone: str) -> list[str]:
    ids = Delivery.objects.filter(kind="check_in_open").values("provider_message_id")
    sent = SandboxMessage.objects.filter(to=phone, provider_message_id__in=ids)
    return list(sent.order_by("created_at").values_list("text", flat=True))


@pytest.mark.django_db(transaction=True)
def test_klm_check_in_notice_goes_30_hours_before_departure(api, clock):
    url = "https://www.klm.com/check-in?ref=ABC123"
    assert api.put_booking("ABC123", booking(check_in_url=url)).status_code == 201
    departure = suite_clock.local(9, 0, offset=3)
    assert tick(clock, departure - timedelta(hours=30, minutes=1)) == {"sent": 0, "dropped": 0}
    assert checked_in(ANNA) == []
    tick(clock, departure - timedelta(hours=29, minutes=59))
    assert checked_in(ANNA) == [
        f"Beste Anna de Vries, u kunt nu inchecken voor vlucht KL1001 naar Londen op "
        f"{suite_clock.spoken_day('nl', 3)}. Dat kan hier: {url}"
    ]
    tick(clock, departure - timedelta(hours=29))  # the next tick sends nothing again
    assert len(checked_in(ANNA)) == 1


@pytest.mark.django_db(transaction=True)
def test_other_carriers_open_24_hours_before(api, clock):
    api.put_booking("HV5123", booking(service="HV5123"))
    departure = suite_clock.local(9, 0, offset=3)
    tick(clock, departure - timedelta(hours=25))
    assert checked_in(ANNA) == []
    tick(clock, departure - timedelta(hours=23, minutes=59))
    [notice] = checked_in(ANNA)
    assert notice.endswith("Dat kan in de app of op de website.")


@pytest.mark.django_db(transaction=True)
def test_once_per_person_and_trip_however_many_bookings(api, clock):
    api.put_booking("ABC123", booking())
    api.put_booking("XYZ789", booking())  # the same person on the same trip again
    api.put_booking("ABC123", booking())  # and a replaced booking
    tick(clock, suite_clock.local(9, 0, offset=3) - timedelta(hours=29))
    assert len(checked_in(ANNA)) == 1
    assert ScheduledMessage.objects.filter(kind="check_in_open").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_airlines_check_in_open_first_counts(api, clock):
    api.put_booking("ABC123", booking())
    departure = suite_clock.local(9, 0, offset=3)
    clock.move_to(departure - timedelta(hours=31))
    response = api.post_event(
        {"type": "check_in_open", "check_in_url": "https://klm.example/ci"},
        key="ci-1",
        trip=suite_clock.trip(offset=3),
    )
    assert response.status_code == 202 and response.json()["recipients"] == 1
    tick(clock, departure - timedelta(hours=29))
    assert checked_in(ANNA) == [
        f"Beste Anna de Vries, u kunt nu inchecken voor vlucht KL1001 naar Londen op "
        f"{suite_clock.spoken_day('nl', 3)}. Dat kan hier: https://klm.example/ci"
    ]
    assert ScheduledMessage.objects.get(kind="check_in_open").status == "dropped"


@pytest.mark.django_db(transaction=True)
def test_after_our_notice_the_airlines_event_reaches_nobody_again(api, clock):
    api.put_booking("ABC123", booking(people=[("nl", "formal"), ("en", "formal")]))
    departure = suite_clock.local(9, 0, offset=3)
    tick(clock, departure - timedelta(hours=29))
    response = api.post_event(
        {"type": "check_in_open"}, key="ci-late", trip=suite_clock.trip(offset=3)
    )
    assert response.json()["recipients"] == 0
    assert len(checked_in(ANNA)) == 1
    assert len(checked_in(PEOPLE[("en", "formal")][2])) == 1


@pytest.mark.django_db(transaction=True)
def test_no_notice_once_check_in_has_closed_or_the_trip_is_cancelled(api, clock):
    api.put_booking("ABC123", booking())
    api.post_event({"type": "cancelled"}, key="c-1", trip=suite_clock.trip(offset=3))
    tick(clock, suite_clock.local(9, 0, offset=3) - timedelta(hours=29))
    assert checked_in(ANNA) == []
    assert set(ScheduledMessage.objects.values_list("status", flat=True)) == {"dropped"}
