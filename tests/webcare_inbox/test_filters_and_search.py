"""The list views: mine, unassigned, by team, label, channel and status; search by name, phone,
booking, trip, text."""

import pytest

from tests import clock
from tests.webcare_inbox.conftest import receive
from webcare_inbox.assignment import conversation_assign, conversation_team_set
from webcare_inbox.models import Conversation, Team
from webcare_inbox.workflow import conversation_label_add, conversation_snooze


def _names(client, query: str) -> set[str]:
    body = client.get("/inbox/?" + query).content.decode()
    return {n for n in ("Anna", "Bert", "Cora") if f'<span class="conv-name">{n}' in body}


@pytest.mark.django_db(transaction=True)
def test_each_view_shows_its_conversations(agent_client, agent, make_booking):
    from datetime import timedelta

    from django.utils import timezone

    make_booking(
        "ABC123", [("P1", "Anna", "de Vries", "nl", "formal", "+31611111111")], trip=clock.TRIP
    )
    receive("Waar is mijn koffer?", address="+31611111111")
    receive("Refund please", address="+31622222222", profile_name="Bert")
    receive("Hello from Messenger", channel="messenger", address="777", profile_name="Cora")
    anna, bert, cora = Conversation.objects.order_by("pk")
    conversation_assign(conversation=anna, agent=agent)
    refunds = Team.objects.create(name="Refunds")
    refunds.members.add(agent)
    conversation_team_set(conversation=bert, team=refunds)
    conversation_label_add(conversation=bert, name="Refund", actor=agent)
    conversation_snooze(conversation=cora, until=timezone.now() + timedelta(hours=1), actor=agent)

    assert _names(agent_client, "") == {"Anna", "Bert"}
    assert _names(agent_client, "view=mine") == {"Anna"}
    assert _names(agent_client, "view=unassigned") == {"Bert"}
    assert _names(agent_client, f"team={refunds.pk}") == {"Bert"}
    assert _names(agent_client, f"label={bert.labels.get().pk}") == {"Bert"}
    assert _names(agent_client, "status=snoozed") == {"Cora"}
    assert _names(agent_client, "status=any&channel=messenger") == {"Cora"}
    assert _names(agent_client, "status=any&q=de vries") == {"Anna"}
    assert _names(agent_client, "status=any&q=622222") == {"Bert"}
    assert _names(agent_client, "status=any&q=abc123") == {"Anna"}
    assert _names(agent_client, "status=any&q=KL1001") == {"Anna"}
    assert _names(agent_client, f"status=any&q={clock.TRIP}") == {"Anna"}
    assert _names(agent_client, "status=any&q=koffer") == {"Anna"}
    assert _names(agent_client, "status=any&q=nothing-like-this") == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "view=%3Cscript%3E",
        "status=x&team=abc&label=-1&channel=fax",
        "before=garbage",
        "before=2026-13-45T00:00:00_1",
        "q=" + "x" * 5000,
        "q=KL1/2026-99-99",
    ],
)
def test_bad_filters_are_ignored_not_errors(agent_client, query):
    assert agent_client.get("/inbox/?" + query).status_code == 200
