import pytest

from sandbox.adapter import FAILING_ADDRESSES
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import booking_body


@pytest.mark.django_db(transaction=True)
def test_event_reports_how_its_messages_stand(api, monkeypatch):
    body = booking_body()
    body["passengers"].append(
        {
            "id": "P2",
            "given_name": "Bram",
            "family_name": "de Vries",
            "contacts": [{"channel": "whatsapp", "address": "+31687654321", "opt_in": True}],
        }
    )
    body["segments"][0]["passengers"] = ["P1", "P2"]
    api.put_booking("ABC123", body)
    # Bram's number leaves WhatsApp after his confirmation; the sandbox fails it like Twilio
    # (63003).
    monkeypatch.setitem(FAILING_ADDRESSES, "+31687654321", FAILING_ADDRESSES["+31612000063"])
    accepted = api.post_event({"type": "departed", "actual_departure": clock.iso(9, 40)}).json()

    response = api.get(f"/events/{accepted['id']}")

    assert response.status_code == 200
    assert response.json() == {
        "id": accepted["id"],
        "type": "departed",
        "trip": clock.TRIP,
        "recipients": 2,
        # The sandbox delivered one; the other number is unreachable on WhatsApp.
        "deliveries": {"pending": 0, "sent": 0, "delivered": 1, "read": 0, "failed": 1},
    }
    assert SandboxMessage.objects.filter(to="+31612345678").count() == 2  # confirmation + departure


@pytest.mark.django_db(transaction=True)
def test_read_receipts_are_counted(api):
    api.put_booking("ABC123")
    accepted = api.post_event({"type": "boarding", "gate": "D7"}).json()
    from notifications.services import delivery_status_record

    message = SandboxMessage.objects.filter(text__contains="D7").get()
    delivery_status_record(
        channel="whatsapp", provider_message_id=message.provider_message_id, status="read"
    )

    counts = api.get(f"/events/{accepted['id']}").json()["deliveries"]

    assert counts == {"pending": 0, "sent": 0, "delivered": 0, "read": 1, "failed": 0}
