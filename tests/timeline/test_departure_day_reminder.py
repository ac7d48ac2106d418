"""A reminder on the day of departure (TIMELINE_REMINDER_HOURS before), with terminal and gate
when known and the boarding pass when there is one, in the traveller's words; a delay moves it,
a departure or cancellation drops it."""

from datetime import timedelta

import pytest

from notifications.models import Delivery, ScheduledMessage
from sandbox.models import SandboxMessage
from tests import clock as suite_clock
from tests.documents.conftest import bcbp, document_body, post_document
from tests.timeline.conftest import PEOPLE, booking, tick

VARIANTS = list(PEOPLE)
WITH_GATE = {
    (
        "nl",
        "formal",
    ): (
        "Beste Anna de Vries, vandaag om 09:00 vertrekt uw vlucht KL1001 naar Londen. U "
        "vertrekt vanaf terminal 2, gate D7. Goede reis!"
    ),
    (
        "nl",
        "informal",
    ): (
        "Hoi Bram, vandaag om 09:00 vertrekt je vlucht KL1001 naar Londen. Je vertrekt vanaf "
        "terminal 2, gate D7. Goede reis!"
    ),
    (
        "en",
        "formal",
    ): (
        "Dear Claire Smith, your flight KL1001 to London leaves today at 09:00. You depart "
        "from terminal 2, gate D7. Have a good trip!"
    ),
    (
        "en",
        "informal",
    ): (
        "Hi Dave, your flight KL1001 to London leaves today at 09:00. You depart from terminal "
        "2, gate D7. Have a good trip!"
    ),
}
NO_GATE = {
    ("nl", "formal"): "De gate ziet u op de schermen op het vliegveld.",
    ("nl", "informal"): "De gate zie je op de schermen op het vliegveld.",
    ("en", "formal"): "Check the screens at the airport for your gate.",
    ("en", "informal"): "Check the screens at the airport for your gate.",
}
WITH_PASS = {
    ("nl", "formal"): "Uw instapkaart zit bij dit bericht.",
    ("nl", "informal"): "Je instapkaart zit bij dit bericht.",
    ("en", "formal"): "Your boarding pass is attached.",
    ("en", "informal"): "Your boarding pass is attached.",
}


def reminders(phone: str) -> list[str]:
    ids = Delivery.objects.filter(kind__startswith="departure_reminder").values(
        "provider_message_id"
    )
    sent = SandboxMessage.objects.filter(to=phone, provider_message_id__in=ids)
    return list(sent.order_by("created_at").values_list("text", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", VARIANTS)
def test_reminder_three_hours_before_with_terminal_and_gate(api, clock, variant):
    api.put_booking("ABC123", booking(people=[variant], offset=1))
    api.post_event(
        {"type": "gate_changed", "gate": "D7", "terminal": "2"}, key="g1", trip=suite_clock.trip()
    )
    departure = suite_clock.local(9, 0)
    tick(clock, departure - timedelta(hours=3, minutes=1))
    phone = PEOPLE[variant][2]
    assert reminders(phone) == []
    tick(clock, departure - timedelta(hours=2, minutes=59))
    assert reminders(phone) == [WITH_GATE[variant]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", VARIANTS)
def test_reminder_without_a_gate_points_to_the_screens(api, clock, variant):
    api.put_booking("ABC123", booking(people=[variant], offset=1))
    tick(clock, suite_clock.local(6, 1))
    [reminder] = reminders(PEOPLE[variant][2])
    assert reminder.endswith(
        NO_GATE[variant] + (" Goede reis!" if variant[0] == "nl" else " Have a good trip!")
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("variant", VARIANTS)
def test_reminder_carries_the_boarding_pass(api, clock, variant):
    api.put_booking("ABC123", booking(people=[variant], offset=1))
    surname = {
        "Anna": "DEVRIES/ANNA",
        "Bram": "BAKKER/BRAM",
        "Claire": "SMITH/CLAIRE",
        "Dave": "JONES/DAVE",
    }
    name = surname[PEOPLE[variant][0]]
    accepted = post_document(api, document_body(barcode=bcbp(name=name)))
    assert accepted.status_code == 202, accepted.content
    tick(clock, suite_clock.local(6, 1))
    phone = PEOPLE[variant][2]
    [reminder] = reminders(phone)
    assert WITH_PASS[variant] in reminder
    message = SandboxMessage.objects.filter(to=phone, text=reminder).get()
    assert message.media_content_type == "application/pdf" and message.media_pages == 1
    delivery = Delivery.objects.get(kind="departure_reminder_document")
    detail = api.get(f"/documents/{accepted.json()['id']}").json()
    assert [d["kind"] for d in detail["deliveries"]] == [
        "boarding_pass",
        "departure_reminder_document",
    ]
    assert detail["deliveries"][1]["id"] == str(delivery.pk)


@pytest.mark.django_db(transaction=True)
def test_a_delay_moves_the_reminder_and_a_cancellation_drops_it(api, clock):
    api.put_booking("ABC123", booking(offset=1))
    trip = suite_clock.trip()
    api.post_event(
        {"type": "delayed", "estimated_departure": suite_clock.iso(11, 0)}, key="d1", trip=trip
    )
    tick(clock, suite_clock.local(6, 30))
    assert reminders(PEOPLE[("nl", "formal")][2]) == []
    row = ScheduledMessage.objects.get(kind="departure_reminder")
    assert row.due_at == suite_clock.local(8, 0) and row.note == "moved by delayed"
    assert api.post_event({"type": "cancelled"}, key="x", trip=trip).status_code == 202
    tick(clock, suite_clock.local(8, 1))
    assert reminders(PEOPLE[("nl", "formal")][2]) == []
    assert ScheduledMessage.objects.get(kind="departure_reminder").status == "dropped"


@pytest.mark.django_db(transaction=True)
def test_a_train_reminder_names_the_platform(api, clock):
    body = booking(service="EST9114", offset=1, hour=8, minute=16, origin="ZYA", destination="QQS")
    api.put_booking("ABC123", body)
    api.post_event(
        {"type": "gate_changed", "gate": "15b"}, key="p", trip=suite_clock.trip("EST9114")
    )
    tick(clock, suite_clock.local(5, 17))
    assert reminders(PEOPLE[("nl", "formal")][2]) == [
        "Beste Anna de Vries, vandaag om 08:16 vertrekt uw trein EST9114 naar Londen. "
        "De trein vertrekt van spoor 15b. Goede reis!"
    ]
    assert not ScheduledMessage.objects.filter(kind="check_in_open").exists()  # no check-in
