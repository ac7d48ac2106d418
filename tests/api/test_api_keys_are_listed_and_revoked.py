"""API keys are listed with their last use and revoked from the command line or the admin; a
revoked key answers 401 at once."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import ApiKey
from core.services import api_key_create
from tests.api.helpers import Api


def command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_list_shows_last_use_and_revoke_answers_401_at_once():
    row, key = api_key_create(name="booking engine")
    api_key_create(name="ops scripts")
    assert "last used never" in command("list_api_keys")

    assert Api(key).get("/bookings/NONE").status_code == 404  # a use
    listing = command("list_api_keys")
    assert f"{row.prefix}  booking engine" in listing and "active" in listing
    assert "last used never" in listing  # the other key
    assert key.split("_", 2)[2] not in listing

    assert "is revoked since" in command("revoke_api_key", key)  # the whole key works too
    assert Api(key).get("/bookings/NONE").status_code == 401
    assert "revoked" in command("list_api_keys").splitlines()[0]
    with pytest.raises(CommandError, match="no API key with prefix"):
        command("revoke_api_key", "deadbeef")


@pytest.mark.django_db
def test_admin_lists_keys_with_last_use_and_revokes_them(client):
    row, key = api_key_create(name="booking engine")
    Api(key).get("/bookings/NONE")
    client.force_login(User.objects.create_superuser("ops", password="x"))

    page = client.get("/admin/core/apikey/").content.decode()
    assert "booking engine" in page and "Revoke the selected API keys" in page
    assert client.get("/admin/core/apikey/add/").status_code == 403

    client.post(
        "/admin/core/apikey/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True
    )
    assert ApiKey.objects.get().revoked_at is not None
    assert Api(key).get("/bookings/NONE").status_code == 401
