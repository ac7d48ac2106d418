"""Every figure of the dashboard on rows built by hand, where the right answer is known; change
the rows and the figure follows."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Booking, ContactPoint, Customer, Passenger, Segment, Trip
from insights import figures
from insights.models import Survey
from insights.rollout import group_of
from insights.rollups import rollup_refresh
from notifications.models import Delivery
from tests.insights.conftest import plan
from webcare_inbox.models import AuditEntry, Conversation, Label, Message, Team

NOW = None


def _trip(service: str, origin: str, destination: str, departs) -> Trip:
    return Trip.objects.create(
        service=service,
        local_date=departs.date(),
        origin=origin,
        destination=destination,
        scheduled_departure=departs,
        scheduled_arrival=departs + timedelta(hours=1),
    )


def _person(n: int) -> tuple[Customer, ContactPoint]:
    customer = Customer.objects.create(given_name=f"P{n}", language="nl")
    cp = ContactPoint.objects.create(
        customer=customer, channel="whatsapp", address=f"+3164{n:07d}", opted_in=True
    )
    return customer, cp


def _conversation(
    cp,
    trip,
    at,
    *,
    bot=False,
    reason="",
    label=None,
    reply_after=None,
    resolve_after=None,
    team=None,
    csat=None,
    question="Waar is mijn koffer?",
):
    c = Conversation.objects.create(
        customer=cp.customer,
        contact_point=cp,
        channel=cp.channel,
        trip=trip,
        created_at=at,
        last_message_at=at,
        handled_by="bot" if bot else "human",
        handover_reason=reason,
        team=team,
        csat_score=csat,
        csat_asked_at=at if csat else None,
        csat_answered_at=at if csat else None,
    )
    Message.objects.create(conversation=c, direction="in", text=question, created_at=at)
    if label:
        c.labels.add(Label.objects.get_or_create(name=label)[0])
    if reply_after is not None:
        from django.contrib.auth.models import User

        agent, _ = User.objects.get_or_create(username="agent")
        Message.objects.create(
            conversation=c,
            direction="out",
            author=agent,
            text="Hallo",
            created_at=at + timedelta(minutes=reply_after),
        )
    if resolve_after is not None:
        AuditEntry.objects.create(
            conversation=c, action="resolved", at=at + timedelta(minutes=resolve_after)
        )
    return c


def _delivery(cp, trip, at, kind, status, n, error_code=""):
    return Delivery.objects.create(
        dedupe_key=f"{kind}:{cp.pk}:{n}",
        kind=kind,
        customer=cp.customer,
        contact_point=cp,
        channel=cp.channel,
        trip=trip,
        status=status,
        created_at=at,
        error_code=error_code,
    )


@pytest.fixture
def world(db):
    now = timezone.now()
    today = timezone.localdate()
    at = now - timedelta(days=1)
    lhr = _trip("KL1001", "AMS", "LHR", now - timedelta(hours=20))
    cdg = _trip("KL1223", "AMS", "CDG", now - timedelta(hours=20))
    team = Team.objects.create(name="Schiphol")
    people = [_person(n) for n in range(6)]
    cps = [cp for _, cp in people]
    # Four conversations on AMS-LHR, one on AMS-CDG.
    _conversation(
        cps[0], lhr, at, label="delay", reply_after=3, resolve_after=30, team=team, csat=5
    )
    _conversation(
        cps[1], lhr, at, label="delay", reply_after=8, resolve_after=100, team=team, csat=4
    )
    _conversation(
        cps[2],
        lhr,
        at,
        label="baggage",
        reply_after=40,
        team=team,
        csat=2,
        reason="not understood by the automated replies",
    )
    _conversation(cps[3], lhr, at, bot=True)
    _conversation(cps[4], cdg, at, label="refund", reply_after=12)
    # Deliveries: 3 read, 1 delivered, 1 failed (63016) of the delayed message on LHR.
    for n, status in enumerate(["read", "read", "read", "delivered"]):
        _delivery(cps[n], lhr, at - timedelta(hours=1), "delayed", status, n)
    _delivery(cps[5], lhr, at - timedelta(hours=1), "delayed", "failed", 9, error_code="63016")
    # Surveys: two "did this help?" yes, one no; one effort 2; one recommendation 9 and one 6.
    for cp, kind, score in [
        (cps[0], "helpful", 1),
        (cps[1], "helpful", 1),
        (cps[2], "helpful", 0),
        (cps[3], "ces", 2),
        (cps[4], "nps", 9),
        (cps[5], "nps", 6),
    ]:
        Survey.objects.create(
            kind=kind,
            customer=cp.customer,
            contact_point=cp,
            asked_at=at,
            score=score,
            answered_at=at,
            route="AMS-LHR",
        )
    return {"today": today, "cps": cps, "lhr": lhr, "at": at, "team": team}


def _page(world, route=""):
    rollup_refresh(
        first=world["today"] - timedelta(days=3), last=world["today"] + timedelta(days=1)
    )
    f = figures.Filters(first=world["today"] - timedelta(days=3), last=world["today"], route=route)
    page = figures.dashboard(f)
    return page, figures.charts_by_id(page)


def _data(chart, dataset=0):
    return dict(zip(chart["labels"], chart["datasets"][dataset]["data"]))


def test_drivers(world):
    page, charts = _page(world)
    assert _data(charts["contacts_by_route"]) == {"AMS-LHR": 4, "AMS-CDG": 1}
    reasons = {d["label"]: sum(d["data"]) for d in charts["contact_reasons"]["datasets"]}
    assert reasons == {"delay": 2, "baggage": 1, "refund": 1, "(no label)": 1}
    assert _data(charts["new_vs_returning"]) == {"New": 5, "Returning": 0}
    assert _data(charts["after_event"]) == {"(no trip event)": 5}

    _conversation(world["cps"][0], world["lhr"], world["at"] + timedelta(hours=1), label="delay")
    page, charts = _page(world)
    assert _data(charts["new_vs_returning"]) == {"New": 5, "Returning": 1}
    assert _data(charts["contacts_by_route"])["AMS-LHR"] == 5


def test_unanswered_questions_show_only_once_several_asked(world, settings):
    settings.INSIGHTS_MIN_GROUP = 2
    page, charts = _page(world)
    assert charts["unanswered"]["labels"] == []
    _conversation(
        world["cps"][5],
        world["lhr"],
        world["at"],
        question="Waar is mijn koffer 12?",
        reason="not understood by the automated replies",
    )
    page, charts = _page(world)
    assert _data(charts["unanswered"]) == {"waar is mijn koffer": 2}


def test_effectiveness(world):
    page, charts = _page(world)
    tiles = page["tiles"]
    assert tiles["self_service_percent"] == 20.0  # 1 of 5
    assert tiles["helpful_yes_percent"] == 66.7  # 2 of 3
    assert _data(charts["handover_reasons"]) == {
        "(straight to the team)": 3,
        "not understood by the automated replies": 1,
    }
    funnel = charts["funnel"]
    assert funnel["labels"] == ["delayed · whatsapp"]
    stages = {d["label"]: d["data"][0] for d in funnel["datasets"]}
    assert stages == {"queued": 5, "sent": 4, "delivered": 4, "read": 3, "failed": 1}
    assert _data(charts["failures"]) == {"whatsapp · 63016": 1}
    # 5 proactive messages a day before the conversations: none within 24 h after? All four
    # LHR conversations came 1 h after theirs, from the same people about the same trip.
    assert tiles["contacted_after_proactive_percent"] == 80.0
    # Five sent utility messages at 0.0456: the cost.
    assert tiles["message_cost"] == round(5 * 0.0456, 2)


def test_experience(world):
    page, charts = _page(world)
    tiles = page["tiles"]
    assert charts["csat"]["datasets"][0]["data"] == [0, 1, 0, 1, 1]
    assert tiles["csat_mean"] == round(11 / 3, 2)
    assert tiles["csat_satisfied_percent"] == 66.7
    assert tiles["ces_mean"] == 2
    assert tiles["nps"] == 0.0  # one promoter (9), one detractor (6) of two
    assert charts["nps"]["datasets"][0]["data"][9] == 1


def test_operations(world):
    page, charts = _page(world)
    # First replies after 3, 8, 40 and 12 minutes: buckets 5, 10, 45, 15.
    assert page["tiles"]["frt_median_minutes"] == 10
    assert page["tiles"]["frt_p90_minutes"] == 45
    by_team = charts["frt_by_team"]
    assert _data(by_team, 0) == {"(no team)": 15, "Schiphol": 10}
    assert _data(by_team, 1) == {"(no team)": 15, "Schiphol": 45}
    assert _data(charts["resolution_by_team"], 0) == {"Schiphol": 30}
    assert page["tiles"]["open_backlog"] == 5  # every conversation is still open


def test_the_route_filter(world):
    page, charts = _page(world, route="AMS-CDG")
    assert _data(charts["contacts_by_route"]) == {"AMS-CDG": 1}
    assert page["tiles"]["frt_median_minutes"] == 15


@pytest.mark.django_db
def test_headline_with_vs_without_and_its_interval():
    kl = plan(holdout_percent=50, stages=[100])
    now = timezone.now()
    trip = _trip("KL1001", "AMS", "LHR", now - timedelta(hours=5))
    refs = {"rollout": [], "holdout": []}
    i = 0
    while min(len(v) for v in refs.values()) < 20:
        ref = f"H{i:04d}"
        group = group_of(kl, ref)
        if len(refs[group]) < 20:
            refs[group].append(ref)
        i += 1
    n = 0
    contacts = {"rollout": 2, "holdout": 6}
    for group, references in refs.items():
        for k, ref in enumerate(references):
            customer, cp = _person(n)
            n += 1
            booking = Booking.objects.create(reference=ref)
            pax = Passenger.objects.create(
                booking=booking, pax_id="P1", given_name="A", family_name="B", customer=customer
            )
            Segment.objects.create(booking=booking, trip=trip).passengers.add(pax)
            if k < contacts[group]:
                _conversation(cp, trip, now - timedelta(hours=6))
    today = timezone.localdate()
    rollup_refresh(first=today - timedelta(days=2), last=today + timedelta(days=1))
    page = figures.dashboard(figures.Filters(first=today - timedelta(days=2), last=today))
    h = page["headline"]
    assert h["with"]["per_1000"] == 100.0 and h["without"]["per_1000"] == 300.0
    assert h["difference_per_1000"] == -200.0
    half = 1000 * 1.959963984540054 * math.sqrt(2 / 20**2 + 6 / 20**2)
    assert h["difference_interval_95"] == [round(-200 - half, 1), round(-200 + half, 1)]
    # The Poisson score interval of 2 contacts in 20 travellers, per 1,000.
    z = 1.959963984540054
    low = (2 + z * z / 2 - z * math.sqrt(2 + z * z / 4)) / 20 * 1000
    assert h["with"]["interval_95"][0] == round(low, 1)
    assert h["routes"][0]["route"] == "AMS-LHR"


@pytest.mark.django_db
def test_a_traveller_counts_in_the_group_of_the_stage_they_travelled_in():
    from insights.models import RolloutChange

    now = timezone.now()
    kl = plan(holdout_percent=0, stages=[20, 100])
    RolloutChange.objects.create(
        plan=kl, action="started", to_percent=20, at=now - timedelta(days=5)
    )
    trip = _trip("KL1001", "AMS", "LHR", now - timedelta(hours=5))
    refs = [f"S{i:04d}" for i in range(200)]
    for n, ref in enumerate(refs):
        customer, _ = _person(n)
        booking = Booking.objects.create(reference=ref)
        pax = Passenger.objects.create(
            booking=booking, pax_id="P1", given_name="A", family_name="B", customer=customer
        )
        Segment.objects.create(booking=booking, trip=trip).passengers.add(pax)
    offered_then = sum(group_of(kl, r, 20) == "rollout" for r in refs)
    # The plan moved to 100% after the trip: every booking is in the rollout now.
    kl.stage_index = 1
    kl.save()
    RolloutChange.objects.create(
        plan=kl, action="advanced", from_percent=20, to_percent=100, at=now - timedelta(hours=1)
    )
    today = timezone.localdate()
    rollup_refresh(first=today - timedelta(days=2), last=today + timedelta(days=1))
    page = figures.dashboard(figures.Filters(first=today - timedelta(days=2), last=today))
    assert 20 < offered_then < 60
    assert page["headline"]["with"]["travellers"] == offered_then
