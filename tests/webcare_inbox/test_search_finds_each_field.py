"""Inbox search finds a conversation by each field it covers — given and family name, the two
together, the chat name, part of a phone number or a Messenger id, booking reference, trip (with
or without its date), message text — in any case, Dutch diacritics included; it pages like the
list; and on PostgreSQL (indexes, one condition at a time) it finds exactly what the plain
condition over all fields finds."""

import re
from datetime import timedelta
from functools import reduce
from operator import or_

import pytest
from django.utils import timezone

from core.models import ContactPoint, Customer
from tests import clock
from webcare_inbox import listing
from webcare_inbox.models import Conversation, Message

pytestmark = pytest.mark.django_db

PEOPLE = [
    # given, family, channel, address, chat name, message
    ("Anna", "de Vries", "whatsapp", "+31612345678", "Anna dV", "Waar is mijn koffer?"),
    ("Bram", "Öztürk", "whatsapp", "+31622222222", "", "Één vraag over mijn stoel"),
    ("Cora", "Jansen", "messenger", "7130088127765009", "Cora J.", "Can I bring my bike?"),
    ("Daan", "Ğüneş", "whatsapp", "+32470123456", "", "Mijn vlucht is vertraagd, wat nu?"),
    ("Eva", "Bakker", "whatsapp", "+31633333333", "Evaatje", "Bedankt voor de hulp"),
]


def conversation(given, family, channel, address, chat_name, text, age=0) -> Conversation:
    person = Customer.objects.create(given_name=given, family_name=family)
    point = ContactPoint.objects.create(
        customer=person, channel=channel, address=address, profile_name=chat_name
    )
    row = Conversation.objects.create(
        customer=person,
        contact_point=point,
        channel=channel,
        last_message_at=timezone.now() - timedelta(minutes=age),
    )
    Message.objects.create(conversation=row, direction="in", text=text)
    return row


@pytest.fixture
def people(make_booking):
    rows = [conversation(*p, age=i) for i, p in enumerate(PEOPLE)]
    anna, bram = (
        Conversation.objects.get(customer__given_name=n).customer for n in ("Anna", "Bram")
    )
    booking = make_booking("ABC123", [("P1", "Anna", "de Vries", "nl", "formal", "+31612345678")])
    assert booking.passengers.get().customer == anna
    make_booking(
        "XYZ789",
        [("P1", "Bram", "Öztürk", "nl", "informal", "+31622222222")],
        trip=clock.trip("HV5511", offset=3),
    )
    assert Customer.objects.get(given_name="Bram") == bram
    return rows


def names(client, q: str) -> list[str]:
    body = client.get("/inbox/", {"status": "any", "q": q}).content.decode()
    return re.findall(r'<span class="conv-name">(\w+)', body)


SEARCHES = {
    "given name, part of it": ("ann", ["Anna"]),
    "family name": ("jansen", ["Cora"]),
    "given and family name": ("Anna de Vries", ["Anna"]),
    "family name with diacritics, lower case": ("öztürk", ["Bram"]),
    "family name with diacritics, upper case": ("ÖZTÜRK", ["Bram"]),
    "other diacritics": ("ĞÜNEŞ", ["Daan"]),
    "chat name": ("evaatje", ["Eva"]),
    "part of a phone number": ("2345678", ["Anna"]),
    "phone number with spaces": ("6 2222 2222", ["Bram"]),
    "a Belgian number": ("+3247012", ["Daan"]),
    "Messenger id": ("7130088127765009", ["Cora"]),
    "booking reference, any case": ("abc123", ["Anna"]),
    "trip": ("KL1001", ["Anna"]),
    "trip and date": (clock.TRIP, ["Anna"]),
    "another trip and date": (clock.trip("HV5511", offset=3), ["Bram"]),
    "trip on another day": (clock.trip("KL1001", offset=5), []),
    "message text": ("koffer", ["Anna"]),
    "message text with diacritics, upper case": ("ÉÉN VRAAG", ["Bram"]),
    "a word in several messages": ("mijn", ["Anna", "Bram", "Daan"]),
    "nothing": ("nothing-like-this", []),
}


@pytest.mark.parametrize("q, expected", SEARCHES.values(), ids=SEARCHES.keys())
def test_search_finds_each_field(agent_client, people, q, expected):
    assert names(agent_client, q) == expected


def plain(q: str) -> list[int]:
    """The conversations the plain condition over every field finds, newest first."""
    rows = Conversation.objects.filter(reduce(or_, listing._search_terms(q)))
    return list(rows.order_by("-last_message_at", "-pk").values_list("pk", flat=True))


@pytest.mark.parametrize("q", [q for q, _ in SEARCHES.values()] + ["an", "a b", "KL"])
def test_the_indexed_search_finds_what_the_plain_condition_finds(agent, people, q):
    f = listing.ListFilter(status="any", q=q)

    page = listing.conversation_page(user=agent, f=f)

    assert [c.pk for c in page.conversations] == plain(q)


def test_search_results_page_like_the_list(agent, people):
    for i in range(30):
        conversation(f"Zoë{i}", "Zwart", "whatsapp", f"+3164444{i:04d}", "", "Hallo", age=100 + i)
    f = listing.ListFilter(status="any", q="zwart")

    first = listing.conversation_page(user=agent, f=f, per_page=25)
    f.before = listing._cursor(first.next_cursor)
    second = listing.conversation_page(user=agent, f=f, per_page=25)

    assert [c.customer.given_name for c in first.conversations] == [f"Zoë{i}" for i in range(25)]
    assert [c.customer.given_name for c in second.conversations] == [
        f"Zoë{i}" for i in range(25, 30)
    ]
    assert second.next_cursor is None
