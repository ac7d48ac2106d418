"""An agent sees, beside the thread, the update group a person owns
(with who follows) or follows."""

import pytest

from core.models import ContactPoint
from tests.groups.conftest import ANNA
from tests.webcare_inbox.conftest import agent, agent_client  # noqa: F401
from webcare_inbox.models import Conversation

JOOST = "+31611111111"


def panel(agent_client, address: str) -> str:
    contact_point = ContactPoint.objects.get(address=address)
    conversation, _ = Conversation.objects.get_or_create(
        customer=contact_point.customer, contact_point=contact_point, channel=contact_point.channel
    )
    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()
    card = page.split('<aside class="pane pane-context"', 1)[1].split("</aside>", 1)[0]
    return " ".join(card.split("Update groups", 1)[1].split("</section>", 1)[0].split())


@pytest.mark.django_db(transaction=True)
def test_panel_shows_the_owners_followers_and_whom_a_relative_follows(phones, anna, agent_client):
    phones.whatsapp(JOOST, f"Hoi, ik wil Anna volgen: {anna['code']}", profile="Joost")

    assert "Owns: update group of Anna de Vries" in panel(agent_client, ANNA)
    assert "Joost" in panel(agent_client, ANNA)
    assert "Follows: update group of Anna de Vries" in panel(agent_client, JOOST)


@pytest.mark.django_db(transaction=True)
def test_panel_says_none_for_someone_in_no_group(phones, anna, agent_client):
    assert "None." in panel(agent_client, ANNA)
