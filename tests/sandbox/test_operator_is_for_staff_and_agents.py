import pytest
from django.contrib.auth import get_user_model

from core.models import Trip
from notifications.models import TripEvent


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in_and_their_posts_refused(client, seeded):
    trip = Trip.objects.get()

    page = client.get("/sandbox/operator/")
    post = client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/boarding/", {"boarding-idempotency_key": "k"}
    )

    assert (
        page.status_code == 302 and page["Location"] == "/accounts/login/?next=/sandbox/operator/"
    )
    assert post.status_code == 403
    assert not TripEvent.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_traveller_account_is_refused(client, seeded):
    get_user_model().objects.create_user("someone", password="not-an-agent")
    client.login(username="someone", password="not-an-agent")

    assert client.get("/sandbox/operator/").status_code == 403


@pytest.mark.django_db
def test_staff_may_use_it(client, seeded):
    client.login(username="admin", password="thuisfront-admin")

    assert client.get("/sandbox/operator/").status_code == 200
