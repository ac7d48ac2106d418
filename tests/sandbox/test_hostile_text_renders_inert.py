import re

import pytest

from core.models import ContactPoint, Customer, Trip
from tests import clock

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db(transaction=True)
def test_a_hostile_message_and_name_show_as_text(agent_client, person):
    anna = person("+31612345678")
    mallory = Customer.objects.create(given_name=HOSTILE)
    ContactPoint.objects.create(customer=mallory, channel="whatsapp", address="+31622222222")

    agent_client.post(f"/sandbox/phone/{anna.pk}/send/", {"text": HOSTILE})
    page = agent_client.get(f"/sandbox/phone/{anna.pk}/").content.decode()

    assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in page
    )


@pytest.mark.django_db(transaction=True)
def test_a_hostile_delay_reason_shows_as_text_on_the_phone_and_panel(agent_client, person):
    trip = Trip.objects.get()
    page = agent_client.get("/sandbox/operator/").content.decode()
    key = re.search(r'name="delayed-idempotency_key" value="([0-9a-f]+)"', page).group(1)

    panel = agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/delayed/",
        {
            "delayed-idempotency_key": key,
            "delayed-estimated_departure": clock.naive(20, 0),
            "delayed-reason": HOSTILE,
        },
        follow=True,
    ).content.decode()
    phone = agent_client.get(f"/sandbox/phone/{person('+31612345678').pk}/").content.decode()

    for shown in (panel, phone):
        assert "<script>alert" not in shown and "<img src=x" not in shown
    assert "&lt;script&gt;" in phone
