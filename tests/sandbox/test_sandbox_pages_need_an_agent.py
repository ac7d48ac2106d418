"""Every sandbox page needs a signed-in agent or staff user: visitors sign in, posts are refused."""

import pytest
from django.contrib.auth import get_user_model

from core.models import Trip
from notifications.models import TripEvent


def pages(anna, trip) -> list[str]:
    return [
        "/sandbox/phone/",
        f"/sandbox/phone/{anna.pk}/",
        f"/sandbox/phone/{anna.pk}/chat/?seen=1",
        "/sandbox/operator/",
        f"/sandbox/operator/trips/{trip.pk}/activity/",
    ]


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in_and_sees_nobody(client, seeded, person):
    anna, trip = person("+31612345678"), Trip.objects.get()

    for path in pages(anna, trip):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=/sandbox/"), path
        assert "+31612345678" not in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_cannot_type_as_a_person_or_fire_events(client, seeded, person, typed):
    anna, sophie, trip = person("+31612345678"), person("demo-psid-sophie"), Trip.objects.get()

    sent = client.post(f"/sandbox/phone/{anna.pk}/send/", {"text": "STOP"})
    link = client.post(f"/sandbox/phone/{sophie.pk}/link/", {"ref": "TFANYTHING"})
    event = client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/boarding/", {"boarding-idempotency_key": "k"}
    )

    assert (sent.status_code, link.status_code, event.status_code) == (403, 403, 403)
    assert not typed().exists()
    assert not TripEvent.objects.exists()
    anna.refresh_from_db()
    assert anna.opted_in


@pytest.mark.django_db
def test_a_signed_in_user_who_is_no_agent_is_refused(client, seeded, person, typed):
    get_user_model().objects.create_user("someone", password="not-an-agent-pw")
    client.login(username="someone", password="not-an-agent-pw")
    anna, trip = person("+31612345678"), Trip.objects.get()

    for path in pages(anna, trip):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/sandbox/phone/{anna.pk}/send/", {"text": "STOP"}).status_code == 403
    assert not typed().exists()


@pytest.mark.django_db
def test_an_agent_may_use_the_phone(agent_client, person):
    anna = person("+31612345678")

    page = agent_client.get(f"/sandbox/phone/{anna.pk}/")

    assert page.status_code == 200 and "+31612345678" in page.content.decode()
