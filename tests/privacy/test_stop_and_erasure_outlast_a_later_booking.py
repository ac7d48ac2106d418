"""After a STOP, a provider's opt-out or an erasure, a booking's `opt_in: true` opts the address
in again only with a consent given after it (`opt_in_at`); otherwise the answer says why not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import ContactPoint
from tests import clock
from tests.api.helpers import booking_body, fields
from tests.webcare_inbox.conftest import receive

ANNA = "+31612345678"


def put(api, reference="ABC123", opt_in_at=None):
    body = booking_body()
    if opt_in_at is not None:
        body["passengers"][0]["contacts"][0]["opt_in_at"] = opt_in_at.isoformat()
    response = api.put_booking(reference, body)
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_stop_outlasts_a_booking_unless_its_consent_is_later(api):
    put(api)
    receive("STOP", address=ANNA)
    stopped_at = ContactPoint.objects.get(address=ANNA).opted_out_at

    for opt_in_at in (None, stopped_at - timedelta(days=3)):
        answer = put(api, "NEW001", opt_in_at=opt_in_at)
        [contact] = answer["passengers"][0]["contacts"]
        assert contact["opt_in"] is False
        assert contact["opted_out_at"].startswith(stopped_at.isoformat()[:16])
        [warning] = answer["warnings"]
        assert warning["field"] == "passengers[0].contacts[0].opt_in"
        assert "opted out at" in warning["message"] and "(chat STOP)" in warning["message"]
        assert "opt_in_at" in warning["message"]

    given = timezone.now()  # the person ticked the box again, after their STOP
    answer = put(api, "NEW002", opt_in_at=given)

    assert answer["passengers"][0]["contacts"][0]["opt_in"] is True
    assert answer["warnings"] == []
    record = ContactPoint.objects.get(address=ANNA).consent_records.last()
    assert (record.action, record.at) == ("opt_in", given)
    assert record.source == f"booking NEW002, consent given {given.isoformat()}"


@pytest.mark.django_db(transaction=True)
def test_an_erased_address_is_not_messaged_again_by_a_new_booking(api):
    put(api)
    assert api.post("/people/erase", {"phone": ANNA}).status_code == 200
    erased_at = timezone.now()

    answer = put(api, "AGAIN1")

    [contact] = answer["passengers"][0]["contacts"]
    assert contact["opt_in"] is False and contact["opted_out_at"] is not None
    assert "suppression list" in answer["warnings"][0]["message"]
    # The person booked again and gave their consent after the erasure: that counts.
    answer = put(api, "AGAIN2", opt_in_at=timezone.now())
    assert answer["passengers"][0]["contacts"][0]["opt_in"] is True
    assert ContactPoint.objects.get(address=ANNA).opted_in_at > erased_at


@pytest.mark.django_db(transaction=True)
def test_a_person_writing_in_from_an_erased_address_starts_opted_out(api):
    put(api)
    api.post("/people/erase", {"phone": ANNA})

    receive("Hallo, ik ben het weer", address=ANNA)

    cp = ContactPoint.objects.get(address=ANNA)
    assert not cp.opted_in and cp.opted_out_at is not None
    receive("START", address=ANNA)
    assert ContactPoint.objects.get(address=ANNA).opted_in


@pytest.mark.django_db
def test_opt_in_at_must_be_a_past_consent_with_opt_in(api):
    body = booking_body()
    body["passengers"][0]["contacts"][0]["opt_in_at"] = (
        timezone.now() + timedelta(days=1)
    ).isoformat()
    assert fields(api.put_booking("FUT001", body)) == {"passengers[0].contacts[0].opt_in_at"}
    body["passengers"][0]["contacts"][0].update(opt_in=False, opt_in_at=timezone.now().isoformat())
    assert fields(api.put_booking("FUT001", body)) == {"passengers[0].contacts[0].opt_in_at"}
    body["passengers"][0]["contacts"][0].update(opt_in=True, opt_in_at=clock.naive(10, offset=-2))
    assert fields(api.put_booking("FUT001", body)) == {"passengers[0].contacts[0].opt_in_at"}
