"""Snoozed conversations come back by themselves: the beat task opens them when their time has
come."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.webcare_inbox.conftest import receive
from webcare_inbox import tasks
from webcare_inbox.models import Conversation
from webcare_inbox.workflow import ActionRefused, conversation_snooze


def test_the_wake_task_is_on_the_beat_schedule():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "webcare_inbox.tasks.conversations_wake"
    )
    assert entry["schedule"] <= 60


@pytest.mark.django_db(transaction=True)
def test_a_snoozed_conversation_opens_again_when_its_time_comes(agent):
    receive("Can you look into it tomorrow?")
    conversation = Conversation.objects.get()
    conversation_snooze(
        conversation=conversation, until=timezone.now() + timedelta(minutes=5), actor=agent
    )

    assert tasks.conversations_wake.delay().get() == 0
    assert Conversation.objects.get().status == "snoozed"

    Conversation.objects.update(snoozed_until=timezone.now() - timedelta(seconds=1))
    assert tasks.conversations_wake.delay().get() == 1
    woke = Conversation.objects.get()
    assert woke.status == "open" and woke.snoozed_until is None
    assert list(woke.audit_entries.values_list("action", flat=True)) == ["snoozed", "woke"]


@pytest.mark.django_db(transaction=True)
def test_a_message_from_the_person_ends_the_snooze(agent):
    receive("Can you look into it tomorrow?")
    conversation_snooze(
        conversation=Conversation.objects.get(),
        until=timezone.now() + timedelta(days=1),
        actor=agent,
    )
    receive("Actually, now please")
    conversation = Conversation.objects.get()
    assert conversation.status == "open" and conversation.snoozed_until is None


@pytest.mark.django_db(transaction=True)
def test_snoozing_into_the_past_is_refused(agent_client):
    receive("Hello")
    conversation = Conversation.objects.get()
    with pytest.raises(ActionRefused):
        conversation_snooze(
            conversation=conversation, until=timezone.now() - timedelta(minutes=1), actor=None
        )
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/status/",
        {"action": "snooze", "preset": "custom", "until": ""},
        follow=True,
    )
    assert response.redirect_chain == [(f"/inbox/c/{conversation.pk}/", 302)]
    assert "Say until when." in response.content.decode()
    response = agent_client.post(
        f"/inbox/c/{conversation.pk}/status/", {"action": "snooze", "preset": "4h"}
    )
    assert response.status_code == 302 and Conversation.objects.get().status == "snoozed"
