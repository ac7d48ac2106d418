"""Helpers for the insights tests: plans, managers, and rows built where the answer is known."""

import pytest
from django.contrib.auth.models import Group, User

from insights.models import RolloutPlan


def plan(**fields) -> RolloutPlan:
    defaults = {"name": "KL rollout", "carrier": "KL", "stages": [5, 20, 50, 100]}
    return RolloutPlan.objects.create(**{**defaults, **fields})


@pytest.fixture
def manager(db):
    user = User.objects.create_user("margot", email="margot@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name="managers")[0])
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def api(db):
    from core.services import api_key_create
    from tests.api.helpers import Api

    _, key = api_key_create(name="booking engine")
    return Api(key)
