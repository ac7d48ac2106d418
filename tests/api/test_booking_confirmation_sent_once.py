import pytest

from sandbox.models import SandboxMessage
from tests.api.helpers import booking_body


@pytest.mark.django_db(transaction=True)
def test_opted_in_passenger_is_confirmed_on_create_and_not_on_replace(api):
    assert api.put_booking("ABC123").status_code == 201
    assert api.put_booking("ABC123").status_code == 200

    [message] = SandboxMessage.objects.all()
    assert message.to == "+31612345678"
    assert "uw boeking ABC123 is bevestigd" in message.text


@pytest.mark.django_db(transaction=True)
def test_passenger_without_consent_gets_nothing(api):
    body = booking_body()
    body["passengers"][0]["contacts"][0]["opt_in"] = False

    assert api.put_booking("ABC123", body).status_code == 201

    assert not SandboxMessage.objects.exists()
    assert api.get("/bookings/ABC123").json()["passengers"][0]["contacts"][0]["opt_in"] is False
