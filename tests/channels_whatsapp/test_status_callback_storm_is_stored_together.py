"""A storm of status callbacks arriving at once: each is answered 204 only when it is stored,
every one is applied, and the requests waiting together share their INSERTs (group commit)
instead of costing one statement and commit each."""

import asyncio
import uuid
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient

from core.models import ContactPoint
from notifications.models import Delivery, DeliveryStatus, MessageKind, StatusReport
from notifications.services import delivery_accepted, message_create, status, status_reports_apply
from tests.channels_whatsapp.conftest import STATUS_PATH, apost_twilio, load

pytestmark = pytest.mark.django_db(transaction=True)
N = 40


def _deliveries(n: int) -> list[tuple[Delivery, str]]:
    cp = ContactPoint.objects.get(address="+31612345678")
    made = []
    for i in range(n):
        delivery = message_create(
            contact_point=cp, kind=MessageKind.AGENT_REPLY, text=f"Antwoord {i}"
        )
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, status_rank=1)
        sid = "SM" + uuid.uuid4().hex
        delivery_accepted(delivery=delivery, provider_message_id=sid, status="queued")
        made.append((delivery, sid))
    return made


async def _callback(client: AsyncClient, delivery: Delivery, sid: str):
    form = {**load("status_delivered"), "MessageSid": sid, "SmsSid": sid}
    path = f"{STATUS_PATH}?d={delivery.pk}"
    response = await apost_twilio(client, path, form)
    # Answered only once stored: when Twilio hears 204 the report waits, or was applied.
    stored = await database_sync_to_async(
        lambda: (
            StatusReport.objects.filter(provider_message_id=sid).exists()
            or Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERED).exists()
        )
    )()
    return response.status_code, stored


async def test_a_storm_of_callbacks_is_stored_in_few_inserts(make_booking, twilio):
    await database_sync_to_async(make_booking)()
    made = await database_sync_to_async(_deliveries)(N)
    client = AsyncClient()

    handed = []
    real_store = status._REPORTS.store_many

    def store_many(rows):
        handed.append(len(rows))
        return real_store(rows)

    with mock.patch.object(status._REPORTS, "store_many", store_many):
        answers = await asyncio.gather(*(_callback(client, d, sid) for d, sid in made))

    assert answers == [(204, True)] * N
    assert sum(handed) == N and len(handed) < N / 2, handed  # one INSERT for many requests

    await database_sync_to_async(status_reports_apply)()  # what no run applied yet
    statuses = await database_sync_to_async(
        lambda: set(
            Delivery.objects.filter(pk__in=[d.pk for d, _ in made]).values_list("status", flat=True)
        )
    )()
    assert statuses == {DeliveryStatus.DELIVERED}
