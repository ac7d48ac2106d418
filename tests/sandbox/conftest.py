import pytest
from django.core.management import call_command

from core.models import ContactPoint


@pytest.fixture
def seeded(db):
    """The demo data of `make demo`; in transactional tests the confirmations go out too."""
    call_command("demo_seed", stdout=open("/dev/null", "w"))


@pytest.fixture
def person():
    def find(address: str) -> ContactPoint:
        return ContactPoint.objects.select_related("customer").get(address=address)

    return find


@pytest.fixture
def agent_client(client, seeded):
    assert client.login(username="agent", password="thuisfront-demo")
    return client
