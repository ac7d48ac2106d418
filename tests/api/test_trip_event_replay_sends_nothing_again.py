import pytest

from notifications.models import TripEvent
from sandbox.models import SandboxMessage
from tests import clock


@pytest.mark.django_db(transaction=True)
def test_same_key_and_body_gets_the_same_answer_and_sends_nothing_again(api):
    api.put_booking("ABC123")
    SandboxMessage.objects.all().delete()
    body = {"type": "delayed", "estimated_departure": clock.iso(10, 15)}
    first = api.post_event(body, key="delay-1")
    assert first.status_code == 202 and SandboxMessage.objects.count() == 1

    again = api.post_event(body, key="delay-1")

    assert again.status_code == 202
    assert again.json() == first.json()
    assert SandboxMessage.objects.count() == 1
    assert TripEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_replay_with_the_same_fields_in_another_order_and_spacing_is_the_same_request(api):
    api.put_booking("ABC123")
    first = api.post_event({"type": "gate_changed", "gate": "D7", "terminal": "2"}, key="gate-1")

    again = api.post(
        f"/trips/{clock.TRIP}/events",
        raw=b'{ "terminal": "2",\n  "gate": "D7", "type": "gate_changed" }',
        **{"Idempotency-Key": "gate-1"},
    )

    assert again.status_code == 202 and again.json() == first.json()


@pytest.mark.django_db(transaction=True)
def test_a_new_key_is_a_new_event(api):
    api.put_booking("ABC123")
    SandboxMessage.objects.all().delete()
    body = {"type": "boarding", "gate": "D7"}

    first = api.post_event(body, key="b-1")
    second = api.post_event(body, key="b-2")

    assert first.json()["id"] != second.json()["id"]
    assert SandboxMessage.objects.count() == 2
