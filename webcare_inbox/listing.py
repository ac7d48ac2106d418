"""Which conversations an agent may see, and the list views over them.

Pages are keyset pages (newest first, "older than this row"), fetched one row past the page to
know whether there is a next one: no COUNT, no OFFSET, so page 1 of 100,000 conversations costs
the same few queries as page 1 of 100.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from core.models import Channel, Passenger
from webcare_inbox.models import Conversation, Label, Message, Team

PER_PAGE = 25
VIEWS = ("all", "mine", "unassigned", "mentions")
STATUSES = ("open", "pending", "snoozed", "resolved", "any")
SEARCH_MIN = 2


def teams_of(user) -> QuerySet:
    return Team.objects.filter(members=user)


def conversations_visible_to(user) -> QuerySet:
    """Admins see everything; agents see their teams' conversations, the ones without a team,
    and their own."""
    conversations = Conversation.objects.all()
    if user.is_superuser:
        return conversations
    return conversations.filter(
        Q(team__isnull=True) | Q(team_id__in=teams_of(user).values("id")) | Q(assignee=user)
    )


def conversation_visible(*, user, conversation_id: int) -> bool:
    return conversations_visible_to(user).filter(pk=conversation_id).exists()


@dataclass
class ListFilter:
    view: str = "all"
    status: str = "open"
    team: int | None = None
    label: int | None = None
    channel: str = ""
    q: str = ""
    before: tuple[datetime, int] | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "ListFilter":
        f = cls()
        f.view = params.get("view", "all") if params.get("view", "all") in VIEWS else "all"
        f.status = (
            params.get("status", "open") if params.get("status", "open") in STATUSES else "open"
        )
        f.team = _int(params.get("team"))
        f.label = _int(params.get("label"))
        f.channel = params.get("channel", "") if params.get("channel", "") in Channel.values else ""
        f.q = " ".join(str(params.get("q", "")).split())[:100]
        f.before = _cursor(params.get("before", ""))
        return f

    def query(self, **changes) -> str:
        """The query string of this filter with some parts changed
        (links in the sidebar and pager)."""
        from urllib.parse import urlencode

        values = {
            "view": self.view,
            "status": self.status,
            "team": self.team,
            "label": self.label,
            "channel": self.channel,
            "q": self.q,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _cursor(value: str) -> tuple[datetime, int] | None:
    moment, _, pk = str(value).rpartition("_")
    try:
        when = parse_datetime(moment.replace(" ", "+")) if moment else None
    except ValueError:
        when = None
    return (when, int(pk)) if when and pk.isdigit() else None


def _date(value: str):
    try:
        return parse_date(value)
    except ValueError:  # well-formed but impossible, like 2026-13-40: matches nothing
        return None


def cursor_of(conversation: Conversation) -> str:
    return f"{conversation.last_message_at.isoformat()}_{conversation.pk}"


def _search_terms(q: str) -> list[Q]:
    """Name, phone or Messenger id, booking reference, trip (KL1001 or KL1001/2026-11-22), message
    text: each a condition a conversation matches on its own."""
    service, _, date = q.partition("/")
    bookings = Passenger.objects.filter(
        customer_id=OuterRef("customer_id"), booking__reference__iexact=q
    )
    trips = Passenger.objects.filter(
        customer_id=OuterRef("customer_id"), segments__trip__service__iexact=service
    )
    if date:
        trips = trips.filter(segments__trip__local_date=_date(date))
    texts = Message.objects.filter(conversation_id=OuterRef("pk"), text__icontains=q)
    terms = [
        Q(customer__given_name__icontains=q),
        Q(customer__family_name__icontains=q),
        Q(contact_point__profile_name__icontains=q),
        Q(contact_point__address__icontains=q.replace(" ", "")),
        Q(Exists(bookings)),
        Q(Exists(texts)),
    ]
    if service.replace(" ", "").isalnum() and any(c.isdigit() for c in service):
        terms.append(Q(Exists(trips)))
    if " " in q:
        first, _, last = q.partition(" ")
        terms.append(
            Q(customer__given_name__icontains=first, customer__family_name__icontains=last)
        )
    return terms


def _search(conversations: QuerySet, q: str, first: int) -> QuerySet:
    """The conversations that match, for a page of the `first` newest of them.

    On PostgreSQL each condition alone is answered from its index (trigram indexes for the
    texts: core and webcare_inbox migrations), where their OR, spread over five tables, would
    read every conversation. The newest `first` matches of all are among the newest `first` of
    each condition: one query collects those, and the page is taken from them.
    """
    terms = _search_terms(q)
    if connection.vendor != "postgresql":  # the embedded demo's SQLite: a few rows, no indexes
        return conversations.filter(reduce(or_, terms))
    newest = [
        conversations.filter(term)
        .order_by("-last_message_at", "-pk")
        .values_list("pk", flat=True)[:first]
        for term in terms
    ]
    return conversations.filter(pk__in=list(newest[0].union(*newest[1:])))


def conversation_list(*, user, f: ListFilter) -> QuerySet:
    conversations = conversations_visible_to(user)
    if f.view == "mine":
        conversations = conversations.filter(assignee=user)
    elif f.view == "unassigned":
        conversations = conversations.filter(assignee__isnull=True)
    elif f.view == "mentions":
        conversations = conversations.filter(
            Exists(Message.objects.filter(conversation_id=OuterRef("pk"), mentions=user))
        )
    if f.status != "any":
        conversations = conversations.filter(status=f.status)
    if f.team:
        conversations = conversations.filter(team_id=f.team)
    if f.label:
        conversations = conversations.filter(labels__id=f.label)
    if f.channel:
        conversations = conversations.filter(channel=f.channel)
    return conversations


@dataclass
class ListPage:
    conversations: list[Conversation]
    next_cursor: str | None


def conversation_page(*, user, f: ListFilter, per_page: int = PER_PAGE) -> ListPage:
    """One page: one query for the rows (with person, channel, agent, team) and one for their
    labels (and a search one more)."""
    conversations = conversation_list(user=user, f=f)
    if f.before:
        moment, pk = f.before
        conversations = conversations.filter(
            Q(last_message_at__lt=moment) | Q(last_message_at=moment, pk__lt=pk)
        )
    if len(f.q) >= SEARCH_MIN:
        conversations = _search(conversations, f.q, first=per_page + 1)
    rows = list(
        conversations.select_related("customer", "contact_point", "assignee", "team")
        .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
        .order_by("-last_message_at", "-pk")[: per_page + 1]
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    return ListPage(rows, cursor_of(rows[-1]) if more and rows else None)
