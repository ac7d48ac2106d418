"""A storm of inbound messages arriving at once, Twilio's retries among them: each is answered
only once it is stored, each message is stored once and processed once, and the requests
waiting together share their INSERTs (group commit)."""

import asyncio
import uuid
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient

from channels_whatsapp import views
from core.models import InboundMessage
from tests.channels_whatsapp.conftest import INBOUND_PATH, apost_twilio, load

pytestmark = pytest.mark.django_db(transaction=True)
N = 30


async def _inbound(client: AsyncClient, sid: str, i: int):
    form = {
        **load("inbound_text"),
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "From": f"whatsapp:+316{30000000 + i}",
        "WaId": f"316{30000000 + i}",
        "Body": f"Vraag {i}",
    }
    response = await apost_twilio(client, INBOUND_PATH, form)
    # Answered only once stored: the row is there when Twilio hears 200.
    stored = await database_sync_to_async(
        InboundMessage.objects.filter(provider_message_id=sid).exists
    )()
    return response.status_code, stored


async def test_a_storm_with_retries_is_stored_once_each_in_few_inserts(twilio):
    sids = ["SM" + uuid.uuid4().hex for _ in range(N)]
    # Each message once, and the first ten again at the same moment (Twilio's retries).
    posts = [(sid, i) for i, sid in enumerate(sids)] + [(sids[i], i) for i in range(10)]
    client = AsyncClient()
    handed = []
    real_store = views.INBOUND_ROWS.store_many

    def store_many(rows):
        handed.append(len(rows))
        return real_store(rows)

    with (
        mock.patch.object(views.INBOUND_ROWS, "store_many", store_many),
        mock.patch.object(views.INBOUND_HANDOFF, "add", wraps=views.INBOUND_HANDOFF.add) as add,
    ):
        answers = await asyncio.gather(*(_inbound(client, sid, i) for sid, i in posts))

    assert answers == [(200, True)] * len(posts)
    rows = await database_sync_to_async(
        lambda: list(InboundMessage.objects.values_list("provider_message_id", "text"))
    )()
    assert sorted(rows) == sorted((sid, f"Vraag {i}") for i, sid in enumerate(sids))
    # Each message handed to the worker once, a retry not at all.
    assert sorted(str(call.args[0]) for call in add.call_args_list) == sorted(
        await database_sync_to_async(
            lambda: [str(pk) for pk in InboundMessage.objects.values_list("pk", flat=True)]
        )()
    )
    assert sum(handed) == len(posts) and len(handed) < len(posts) / 2, handed
