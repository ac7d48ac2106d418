from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import InboundMessage
from tests.webcare_inbox.conftest import inbound_messages, receive
from webcare_inbox import tasks


@pytest.mark.django_db(transaction=True)
def test_processing_the_same_inbound_twice_adds_one_message():
    inbound = receive("Hello")

    assert tasks.inbound_process(str(inbound.pk)) is False
    assert tasks.inbound_process(str(inbound.pk)) is False

    assert inbound_messages().count() == 1
    inbound.refresh_from_db()
    assert inbound.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_provider_message_delivered_twice_is_stored_and_shown_once():
    receive("Hello", provider_message_id="SMsame")
    receive("Hello", provider_message_id="SMsame")

    assert InboundMessage.objects.count() == 1
    assert inbound_messages().count() == 1


@pytest.mark.django_db(transaction=True)
def test_sweep_picks_up_an_inbound_whose_task_was_lost():
    # Stored without the signal, as when the worker died before the task ran.
    lost = InboundMessage.objects.create(
        channel="whatsapp",
        provider_message_id="SMlost",
        from_address="+31612345678",
        text="Anyone?",
        received_at=timezone.now() - timedelta(minutes=2),
    )
    fresh = InboundMessage.objects.create(
        channel="whatsapp",
        provider_message_id="SMfresh",
        from_address="+31612345678",
        text="Just now",
    )

    assert tasks.inbound_sweep() == 1

    assert list(inbound_messages().values_list("text", flat=True)) == ["Anyone?"]
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.processed_at is not None and fresh.processed_at is None
