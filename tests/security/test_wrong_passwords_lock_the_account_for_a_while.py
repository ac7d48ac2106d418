"""Repeated wrong passwords lock the account for a while, on the agents' login page and the
admin's: 100 guesses in a row cannot go on at full speed, not even with the right one among them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

PASSWORD = "the-right-password-1"
PAGES = {"login": "/accounts/login/", "admin": "/admin/login/"}


def sign_in(client, page: str, password: str):
    return client.post(PAGES[page], {"username": "agnes", "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["login", "admin"])
def test_wrong_passwords_lock_the_account_for_a_while(client, clock, settings, page):
    User.objects.create_user("agnes", password=PASSWORD, is_staff=True)

    answers = [sign_in(client, page, f"guess-{i}").status_code for i in range(100)]

    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, "wrong password"
    assert set(answers[limit:]) == {429}
    locked = sign_in(client, page, PASSWORD)
    assert locked.status_code == 429 and b"Too many wrong passwords" in locked.content
    assert "_auth_user_id" not in client.session

    clock.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    assert sign_in(client, page, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


@pytest.mark.django_db
def test_another_account_is_not_locked_by_someone_elses_typos(client):
    User.objects.create_user("agnes", password=PASSWORD)
    User.objects.create_user("bert", password=PASSWORD)
    for i in range(10):
        sign_in(client, "login", f"guess-{i}")

    response = client.post(PAGES["login"], {"username": "bert", "password": PASSWORD})

    assert response.status_code == 302
