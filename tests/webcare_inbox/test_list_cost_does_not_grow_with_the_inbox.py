"""A list of many conversations costs the same queries as a list of a hundred
(keyset pages, no COUNT)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Channel, ContactPoint, Customer
from webcare_inbox.models import Conversation, Label

LARGE = 20_000  # bench/inbox_list.py times 100,000


def _conversations(n: int, start: int = 0) -> None:
    customers = Customer.objects.bulk_create(
        [Customer(given_name=f"P{i}", family_name="Test") for i in range(n)], batch_size=5000
    )
    points = ContactPoint.objects.bulk_create(
        [
            ContactPoint(customer=c, channel=Channel.WHATSAPP, address=f"+3160{start + i:07d}")
            for i, c in enumerate(customers)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    Conversation.objects.bulk_create(
        [
            Conversation(
                customer=c,
                contact_point=p,
                channel="whatsapp",
                last_message_at=now - timedelta(seconds=i),
                last_message_preview=f"question {i}",
            )
            for i, (c, p) in enumerate(zip(customers, points))
        ],
        batch_size=5000,
    )
    label, _ = Label.objects.get_or_create(name="delay")
    label.conversations.add(*Conversation.objects.order_by("-last_message_at")[:30])


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    return len(queries), body


URLS = [
    "/inbox/",
    "/inbox/?view=unassigned",
    "/inbox/?status=any&label={label}",
    "/inbox/?q=question",
    "/inbox/?view=mine&status=any",
]


@pytest.mark.django_db
def test_a_hundred_and_many_cost_the_same(agent_client):
    _conversations(100)
    label = Label.objects.get().pk
    agent_client.get("/inbox/")  # the agent's first visit creates their preferences
    small = {url: _queries(agent_client, url.format(label=label)) for url in URLS}
    assert "question 0<" in small["/inbox/"][1]

    _conversations(LARGE - 100, start=100)  # the newest are the new ones now
    assert Conversation.objects.count() == LARGE
    for url in URLS:
        large, body = _queries(agent_client, url.format(label=label))
        assert large == small[url][0], (
            f"{url}: {small[url][0]} queries for 100 conversations, {large} for {LARGE}"
        )


@pytest.mark.django_db
def test_the_next_page_continues_where_the_first_ended(agent_client):
    _conversations(60)
    first = agent_client.get("/inbox/").content.decode()
    assert "question 24" in first and "question 25" not in first
    older = first.split('id="older"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = agent_client.get("/inbox/" + older).content.decode()
    assert "question 25" in second and "question 49" in second and "question 24<" not in second
