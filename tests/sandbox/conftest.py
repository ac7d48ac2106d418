import pytest
from django.core.management import call_command

from core.models import ContactPoint, InboundMessage


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


@pytest.fixture
def typed():
    """typed() → the inbound messages typed in the test (the demo's own conversations left out)."""
    return lambda: InboundMessage.objects.exclude(provider_message_id__startswith="demo-in-")
