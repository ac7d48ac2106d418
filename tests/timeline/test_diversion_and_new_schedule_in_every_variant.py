"""The trip's newer events, word for word: a diversion (relatives are told where to go) and a new
schedule announced days ahead, for travellers and their update groups, Dutch and English, "u"
and "je", in local times; and what they do to the trip and its timeline."""

from datetime import timedelta

import pytest

from notifications.models import ScheduledMessage
from sandbox.models import SandboxMessage
from tests import clock
from tests.notifications.test_trip_messages_in_every_variant import (  # noqa: F401
    api,
    book,
    invitation_settings,
    post,
    received,
    relatives_join,
)

TRAVELLER_PHONES = ["+31612345678", "+31612345679", "+31612345680", "+31612345681"]
RELATIVE_PHONES = ["+31620000001", "+31620000002", "+31620000003", "+31620000004"]


@pytest.mark.django_db(transaction=True)
def test_a_diversion(api):
    answer = book(api, "ABC123")
    relatives_join(answer["passengers"][0]["follow_code"])
    post(api, {"type": "departed", "actual_departure": clock.iso(9, 5)}, "dep")
    SandboxMessage.objects.all().delete()
    post(
        api,
        {
            "type": "diverted",
            "destination": "BRU",
            "estimated_arrival": clock.iso(10, 0),
            "reason": "fog at Heathrow",
        },
        "div",
    )
    assert [received(p) for p in TRAVELLER_PHONES] == [
        [
            (
                "Beste Anna de Vries, uw vlucht KL1001 naar Londen wijkt uit naar Brussel. "
                "Verwachte aankomst daar: 10:00 lokale tijd. Reden: fog at Heathrow."
            )
        ],
        [
            (
                "Hoi Bram, je vlucht KL1001 naar Londen wijkt uit naar Brussel. Verwachte "
                "aankomst daar: 10:00 lokale tijd. Reden: fog at Heathrow."
            )
        ],
        [
            (
                "Dear Claire Smith, your flight KL1001 to London is being diverted to "
                "Brussels. Expected arrival there: 10:00 local time. Reason: fog at Heathrow."
            )
        ],
        [
            (
                "Hi Dave, your flight KL1001 to London is being diverted to Brussels. Expected "
                "arrival there: 10:00 local time. Reason: fog at Heathrow."
            )
        ],
    ]
    assert [received(p) for p in RELATIVE_PHONES] == [
        [
            (
                "De vlucht van Anna naar Londen (KL1001) wijkt uit naar Brussel en landt daar "
                "naar verwachting om 10:00 lokale tijd. Haalt u Anna op? Ga dan naar Brussels "
                "Airport."
            )
        ],
        [
            (
                "De vlucht van Anna naar Londen (KL1001) wijkt uit naar Brussel en landt daar "
                "naar verwachting om 10:00 lokale tijd. Haal je Anna op? Ga dan naar Brussels "
                "Airport."
            )
        ],
        [
            (
                "Anna's flight KL1001 to London is being diverted to Brussels and is expected "
                "to land there at 10:00 local time. If you are picking Anna up, please go to "
                "Brussels Airport instead."
            )
        ],
        [
            (
                "Anna's flight KL1001 to London is being diverted to Brussels and should land "
                "there at 10:00 local time. Picking Anna up? Head to Brussels Airport instead."
            )
        ],
    ]
    booking = api.get("/bookings/ABC123").json()
    assert booking["segments"][0]["live"]["status"] == "diverted"
    assert booking["segments"][0]["live"]["diverted_to"] == "BRU"
    SandboxMessage.objects.all().delete()
    post(api, {"type": "arrived", "actual_arrival": clock.iso(10, 5)}, "arr")
    assert received(TRAVELLER_PHONES[0]) == [
        (
            "Beste Anna de Vries, uw vlucht KL1001 is om 10:05 lokale tijd in Brussel geland. "
            "Welkom in Brussel!"
        )
    ]


@pytest.mark.django_db(transaction=True)
def test_a_new_schedule_announced_days_ahead(api):
    answer = book(api, "ABC123", offset=5)
    relatives_join(answer["passengers"][0]["follow_code"])
    SandboxMessage.objects.all().delete()
    post(
        api,
        {"type": "schedule_changed", "scheduled_departure": clock.iso(11, 40, offset=5)},
        "sc",
        offset=5,
    )
    nl, en = clock.spoken_day("nl", 5), clock.spoken_day("en", 5)
    assert [received(p) for p in TRAVELLER_PHONES] == [
        [
            (
                f"Beste Anna de Vries, de tijden van uw vlucht KL1001 naar Londen op {nl} zijn "
                f"gewijzigd. U vertrekt nu om 11:40 (was 09:00) en komt om 12:00 lokale tijd "
                f"aan. Onze excuses voor het ongemak."
            )
        ],
        [
            (
                f"Hoi Bram, de tijden van je vlucht KL1001 naar Londen op {nl} zijn gewijzigd. "
                f"Je vertrekt nu om 11:40 (was 09:00) en komt om 12:00 lokale tijd aan. Onze "
                f"excuses voor het ongemak."
            )
        ],
        [
            (
                f"Dear Claire Smith, the times of your flight KL1001 to London on {en} have "
                f"changed. You now depart at 11:40 (was 09:00) and arrive at 12:00 local time. "
                f"We apologise for the inconvenience."
            )
        ],
        [
            (
                f"Hi Dave, the times of your flight KL1001 to London on {en} have changed. You "
                f"now leave at 11:40 (was 09:00) and arrive at 12:00 local time. We apologise "
                f"for the inconvenience."
            )
        ],
    ]
    assert [received(p) for p in RELATIVE_PHONES] == [
        [
            (
                f"De vlucht van Anna naar Londen op {nl} (KL1001) heeft nieuwe tijden: vertrek "
                f"11:40 (was 09:00), aankomst 12:00 lokale tijd."
            )
        ],
        [
            (
                f"De vlucht van Anna naar Londen op {nl} (KL1001) heeft nieuwe tijden: vertrek "
                f"11:40 (was 09:00), aankomst 12:00 lokale tijd."
            )
        ],
        [
            (
                f"Anna's flight KL1001 to London on {en} has new times: departure 11:40 (was "
                f"09:00), arrival 12:00 local time."
            )
        ],
        [
            (
                f"Anna's flight KL1001 to London on {en} has new times: departure 11:40 (was "
                f"09:00), arrival 12:00 local time."
            )
        ],
    ]
    segment = api.get("/bookings/ABC123").json()["segments"][0]
    assert segment["scheduled_departure"] == clock.iso(11, 40, offset=5)
    # The timeline moved with it: check-in 30 h and the reminder 3 h before the new time.
    departure = clock.local(11, 40, offset=5)
    due = dict(
        ScheduledMessage.objects.filter(customer__isnull=False, status="waiting")
        .values_list("kind", "due_at")
        .distinct()
    )
    assert due == {
        "check_in_open": departure - timedelta(hours=30),
        "departure_reminder": departure - timedelta(hours=3),
    }


@pytest.mark.django_db(transaction=True)
def test_a_new_schedule_on_another_day_is_refused(api):
    book(api, "ABC123", offset=5)
    response = api.post_event(
        {"type": "schedule_changed", "scheduled_departure": clock.iso(0, 30, offset=6)},
        key="sc",
        trip=clock.trip(offset=5),
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "scheduled_departure"
    assert "a trip on another day is another trip" in error["message"]
