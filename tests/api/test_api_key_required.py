from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import ApiKey, Booking
from core.services import api_key_create
from tests import clock
from tests.api.helpers import Api, booking_body

pytestmark = pytest.mark.django_db

ROUTES = [
    ("put", "/bookings/ABC123"),
    ("get", "/bookings/ABC123"),
    ("post", f"/trips/{clock.TRIP}/events"),
    ("get", "/events/6f1c2a8e-3c1b-4a57-9a44-1c1f0e7e7b11"),
]


def call(client: Api, method: str, path: str):
    if method == "get":
        return client.get(path)
    body = booking_body() if method == "put" else {"type": "boarding"}
    return getattr(client, method)(path, body, **{"Idempotency-Key": "k"})


def assert_refused(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "errors": [
            {
                "field": "Authorization",
                "message": "send a valid API key as `Authorization: Bearer <key>`",
            }
        ]
    }


@pytest.mark.parametrize("method, path", ROUTES)
def test_request_without_key_is_refused(db, method, path):
    assert_refused(call(Api(None), method, path))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer tf_00000000_wrong",
        "Bearer ",
        "Bearer not-a-key",
        "Bearer tf__x",
        "Bearer tf_zz\x00zz_x",
        "Basic dXNlcjpwYXNz",
        "tf_00000000_wrong",
    ],
)
def test_request_with_a_bad_key_is_refused(api_key, header):
    client = Api(None)
    client.headers = {"Authorization": header}

    assert_refused(client.put_booking())
    assert not Booking.objects.exists()


def test_right_prefix_with_wrong_secret_is_refused(api_key):
    prefix = api_key.split("_")[1]

    assert_refused(Api(f"tf_{prefix}_{'x' * 43}").put_booking())


def test_revoked_key_is_refused(api_key):
    ApiKey.objects.update(revoked_at=timezone.now())

    assert_refused(Api(api_key).put_booking())


def test_valid_key_is_accepted_and_its_use_noted_at_most_once_a_minute(api_key):
    client = Api(api_key)
    assert client.put_booking().status_code == 201
    first_use = ApiKey.objects.get().last_used_at
    assert first_use is not None

    assert client.get("/bookings/ABC123").status_code == 200
    assert ApiKey.objects.get().last_used_at == first_use

    ApiKey.objects.update(last_used_at=first_use - timedelta(minutes=2))
    assert client.get("/bookings/ABC123").status_code == 200
    assert ApiKey.objects.get().last_used_at > first_use


def test_one_key_does_not_open_another_keys_prefix(api_key):
    _, other = api_key_create(name="second system")
    forged = f"tf_{api_key.split('_')[1]}_{other.split('_', 2)[2]}"

    assert_refused(Api(forged).put_booking())
    assert Api(other).put_booking().status_code == 201
