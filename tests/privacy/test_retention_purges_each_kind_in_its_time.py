"""Retention: each kind of data is purged by the hourly task when its time is up (raw payloads
30 days, deliveries' text 90, message text 12 months, inactive people after two years), while
what counts it stays: deliveries and messages remain as rows, the event's counts unchanged."""

from datetime import timedelta

import pytest

from config.celery import app as celery_app
from core.models import ContactPoint, Customer, InboundMessage
from notifications.models import Delivery, StatusEvent
from notifications.selectors import event_delivery_counts
from notifications.services import delivery_status_record
from tests import clock as suite_clock
from tests.webcare_inbox.conftest import receive
from update_groups.models import GroupMembership, UpdateGroup
from webcare_inbox.models import Message

ANNA = "+31612345678"


def purge() -> dict[str, int]:
    """The beat task, as the scheduler runs it."""
    return celery_app.tasks["privacy.tasks.retention_purge"].delay().get()


@pytest.mark.django_db(transaction=True)
def test_retention_purges_each_kind_in_its_time(make_booking, api, clock, settings):
    assert settings.CELERY_BEAT_SCHEDULE["privacy-retention"]["task"] in celery_app.tasks
    make_booking()
    receive("Mijn koffer is zoek", address=ANNA, raw={"Body": "Mijn koffer is zoek"})
    response = api.post_event({"type": "delayed", "estimated_departure": suite_clock.iso(10, 15)})
    event = response.json()["id"]
    [delivery] = Delivery.objects.filter(event_id=event)
    delivery_status_record(
        channel="whatsapp",
        provider_message_id=delivery.provider_message_id,
        status="read",
        raw={"To": f"whatsapp:{ANNA}"},
    )
    counts = event_delivery_counts(event=delivery.event)

    clock.shift(timedelta(days=29))
    assert purge() == {}

    clock.shift(timedelta(days=2))
    done = purge()
    assert done["raw_payloads: core.InboundMessage"] == 1
    assert InboundMessage.objects.get().raw == {}
    assert InboundMessage.objects.get().text == "Mijn koffer is zoek"
    assert not StatusEvent.objects.exclude(raw={}).exists()

    clock.shift(timedelta(days=60))
    done = purge()
    assert done["delivery_text: notifications.Delivery"] >= 2  # the confirmation, the delay
    assert not Delivery.objects.exclude(text="").exists()
    assert event_delivery_counts(event=delivery.event) == counts

    clock.shift(timedelta(days=275))
    done = purge()
    assert InboundMessage.objects.get().text == "" and Message.objects.exclude(text="").count() == 0
    assert "message_text: webcare_inbox.Message" in done

    clock.shift(timedelta(days=366))
    assert Customer.objects.get().erased_at is None  # her trip and message: less than 2 years ago
    clock.shift(timedelta(days=2))
    done = purge()
    assert done["inactive_people: core.Customer"] == 1
    anna = Customer.objects.get()
    assert anna.erased_at is not None and anna.full_name == ""
    assert not ContactPoint.objects.filter(address=ANNA).exists()


@pytest.mark.django_db
def test_a_kind_set_to_zero_days_is_kept(make_booking, clock, settings):
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "raw_payloads": 0}
    receive("hallo", address=ANNA, raw={"Body": "hallo"})
    InboundMessage.objects.update(processed_at=suite_clock.STARTED)

    clock.shift(timedelta(days=400))
    purge()

    assert InboundMessage.objects.get().raw == {"Body": "hallo"}


@pytest.mark.django_db(transaction=True)
def test_a_relative_who_still_follows_a_traveller_is_not_inactive(make_booking, clock, settings):
    make_booking()
    anna = Customer.objects.get()
    relative = Customer.objects.create(given_name="Oma")
    cp = ContactPoint.objects.create(customer=relative, channel="whatsapp", address="+31687654321")
    group = UpdateGroup.objects.create(owner=anna)
    GroupMembership.objects.create(
        group=group, contact_point=cp, customer=relative, join_source="operator"
    )

    clock.shift(timedelta(days=800))
    purge()

    relative.refresh_from_db()
    anna.refresh_from_db()
    assert relative.erased_at is None  # still follows an open group
    assert anna.erased_at is not None
