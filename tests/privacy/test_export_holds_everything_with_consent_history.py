"""A person's export (AVG art. 15/20): one JSON document with everything held about them, the
consent history with its sources and times first, and a record of the export without the data."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from privacy.models import PrivacyRecord
from tests.privacy.conftest import FULL, GIVEN, PHONE, PSID, RELATIVE, WROTE


@pytest.mark.django_db(transaction=True)
def test_export_holds_everything_with_consent_history(everywhere, api):
    response = api.post("/people/export", {"messenger_id": PSID})

    assert response.status_code == 200, response.content
    document = response.json()
    assert document["format"] == "thuisfront-personal-data/1"
    history = [(c["channel"], c["action"], c["source"]) for c in document["consent_history"]]
    assert ("whatsapp", "opt_in", "booking WQ0001") in history
    assert ("messenger", "opt_in", "booking WQ0001") in history
    assert ("messenger", "opt_out", "chat STOP") in history
    assert all(c["at"] for c in document["consent_history"])
    assert [c["at"] for c in document["consent_history"]] == sorted(
        c["at"] for c in document["consent_history"]
    )
    data = document["data"]
    assert {p["booking"] for p in data["core.Passenger"]} == {"WQ0001", "SHARED1"}
    assert [c["given_name"] for c in data["core.Customer"]] == [GIVEN]
    assert {c["address"] for c in data["core.ContactPoint"]} == {PHONE, PSID}
    assert any(WROTE in m["text"] for m in data["core.InboundMessage"])
    assert any(WROTE in m["text"] for m in data["webcare_inbox.Message"])
    assert data["notifications.Delivery"] and all(d["kind"] for d in data["notifications.Delivery"])
    assert data["update_groups.UpdateGroup"][0]["followers"] == 1
    # Her relative's number is the relative's, not hers.
    assert RELATIVE not in response.content.decode()
    record = PrivacyRecord.objects.get(action="export")
    assert (record.via, record.customer_id) == ("api", everywhere["customer"].pk)
    stored = json.dumps([record.actor, record.subject_hashes, record.rows])
    assert PSID not in stored and FULL not in stored and PHONE not in stored


@pytest.mark.django_db(transaction=True)
def test_commands_export_and_erase_the_same_person(everywhere):
    out = StringIO()
    call_command("export_person", "--booking", "SHARED1/P1", stdout=out)
    assert json.loads(out.getvalue())["data"]["core.Customer"][0]["given_name"] == GIVEN

    out = StringIO()
    call_command("erase_person", "--phone", "+31 6 1234 5099", stdout=out)
    assert "Erased (erasure" in out.getvalue() and "core.Customer: 1" in out.getvalue()
    out = StringIO()
    call_command("erase_person", "--messenger-id", PSID, stdout=out)
    assert out.getvalue().startswith("Already erased at ")
    assert [r.via for r in PrivacyRecord.objects.order_by("at")] == ["command", "command"]


@pytest.mark.django_db
def test_nobody_is_a_404_naming_no_field_and_two_ways_is_a_400(api):
    nobody = api.post("/people/erase", {"phone": "+31612349999"})
    assert nobody.status_code == 404
    two = api.post("/people/export", {"phone": "+31612349999", "messenger_id": "x"})
    assert two.status_code == 400
    assert "exactly one way" in two.json()["errors"][0]["message"]
    national = api.post("/people/erase", {"phone": "0612345678"})
    assert national.status_code == 400 and national.json()["errors"][0]["field"] == "phone"
    assert (
        api.post("/people/erase", {"booking": {"reference": "X"}}).json()["errors"][0]["field"]
        == "booking.passenger"
    )
