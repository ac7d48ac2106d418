import pytest

from core.services import api_key_create
from tests.api.helpers import Api


@pytest.fixture
def api_key(db) -> str:
    _, key = api_key_create(name="booking engine")
    return key


@pytest.fixture
def api(api_key) -> Api:
    return Api(api_key)
