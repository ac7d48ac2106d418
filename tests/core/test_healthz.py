"""/healthz: the public reads only up or down; staff and a monitor with HEALTHZ_TOKEN read which
check failed and the mode."""

import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db
def test_the_public_reads_only_up_or_down(client, settings):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


@pytest.mark.django_db
def test_staff_read_database_and_redis(client):
    client.force_login(User.objects.create_user("ops", is_staff=True))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}
    assert response.json()["mode"] == "services"


@pytest.mark.django_db
def test_a_monitor_with_the_token_reads_what_failed(client, settings):
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    wrong = client.get("/healthz", headers={"Authorization": "Bearer guess"})
    assert wrong.json() == {"status": "unavailable"}
    response = client.get("/healthz", headers={"Authorization": "Bearer monitor-token-0123456789"})
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"
