"""A person's STOP wins over the travel company's `opt_in: true`, until the person opts in again."""

import pytest

from core.models import ContactPoint
from core.services import api_key_create
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import Api, booking_body
from tests.webcare_inbox.conftest import receive

ANNA = "+31612345678"


@pytest.fixture
def api(db) -> Api:
    _, key = api_key_create(name="booking engine")
    return Api(key)


def contacts(response) -> list[dict]:
    """Each address with its consent; when it withdrew (opted_out_at) is checked on its own."""
    assert response.status_code in (200, 201), response.content
    return [
        {k: c[k] for k in ("channel", "address", "opt_in")}
        for c in response.json()["passengers"][0]["contacts"]
    ]


def delay(api: Api, key: str) -> int:
    body = {"type": "delayed", "estimated_departure": clock.iso(10, 15)}
    response = api.post_event(body, key=key)
    assert response.status_code == 202, response.content
    return response.json()["recipients"]


@pytest.mark.django_db(transaction=True)
def test_neither_the_same_nor_a_new_booking_opts_a_stopped_address_back_in(api):
    api.put_booking("ABC123")
    receive("STOP")
    SandboxMessage.objects.all().delete()

    replaced = api.put_booking("ABC123")  # the booking sent again, opt_in still true
    new = api.put_booking("XYZ789")  # a new booking of the same traveller

    assert contacts(replaced) == [{"channel": "whatsapp", "address": ANNA, "opt_in": False}]
    assert contacts(new) == [{"channel": "whatsapp", "address": ANNA, "opt_in": False}]
    # The answer says why the opt-in did not count, and when the address opted out.
    assert new.json()["passengers"][0]["contacts"][0]["opted_out_at"] is not None
    [warning] = new.json()["warnings"]
    assert warning["field"] == "passengers[0].contacts[0].opt_in"
    cp = ContactPoint.objects.get(address=ANNA)
    assert list(cp.consent_records.values_list("action", "source")) == [
        ("opt_in", "booking ABC123"),
        ("opt_out", "chat STOP"),
    ]
    assert delay(api, "delay-1") == 0
    assert not SandboxMessage.objects.exists()  # no booking confirmation for XYZ789 either


@pytest.mark.django_db(transaction=True)
def test_stop_before_any_booking_also_wins(api):
    receive("Hallo")  # someone writes in before the travel company sends the booking
    receive("stop")

    answer = contacts(api.put_booking("ABC123"))
    assert answer == [{"channel": "whatsapp", "address": ANNA, "opt_in": False}]
    assert delay(api, "delay-1") == 0


@pytest.mark.django_db(transaction=True)
def test_after_start_the_next_booking_adds_no_consent_of_its_own(api):
    api.put_booking("ABC123")
    receive("STOP")
    receive("START")

    answer = contacts(api.put_booking("XYZ789"))
    assert answer == [{"channel": "whatsapp", "address": ANNA, "opt_in": True}]
    cp = ContactPoint.objects.get(address=ANNA)
    assert [a for (a,) in cp.consent_records.values_list("action")] == [
        "opt_in",
        "opt_out",
        "opt_in",
    ]
    assert delay(api, "delay-1") == 1


@pytest.mark.django_db(transaction=True)
def test_a_booking_without_a_stop_still_opts_in(api):
    answer = contacts(api.put_booking("ABC123", booking_body()))
    assert answer == [{"channel": "whatsapp", "address": ANNA, "opt_in": True}]
    assert delay(api, "delay-1") == 1
