"""The demo's history for the manager's dashboard: four weeks of trips on four routes, with
bookings in a staged rollout (and its hold-out), the messages they got, the conversations they
started, the team's answers, and the survey answers people gave.

Made once, with a fixed random seed, by `manage.py demo_history` (`make demo` runs it after
demo_seed; again, it finds the rollout plan and only refreshes the rollup). The travellers are
anonymous demo people ("Reiziger 12", marked erased so the phone simulator leaves them out).
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.models import Booking, ContactPoint, Customer, Passenger, Segment, Trip
from insights.models import RolloutChange, RolloutPlan, Survey
from insights.rollout import group_of
from insights.rollups import rollup_refresh
from notifications.models import Delivery, TripEvent
from webcare_inbox.models import AgentProfile, AuditEntry, Conversation, Label, Message, Team

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MANAGER = ("manager", "thuisfront-manager")
PLAN = "KLM Europe"
ROUTES = [
    ("KL1007", "AMS", "LHR"),
    ("KL1223", "AMS", "CDG"),
    ("KL1675", "AMS", "BCN"),
    ("HV5131", "AMS", "FCO"),
]
DAYS = 28
PER_TRIP = 40
# The KLM plan's stage on a day, by days ago: 5% four weeks ago, 20% from day 21, 50% from day 10.
STAGES = [(21, 0), (10, 1), (0, 2)]
STATUS_WEIGHTS = [
    ("read", 62),
    ("delivered", 25),
    ("sent", 5),
    ("failed", 4),
    ("undelivered", 2),
    ("queued", 2),
]
ERRORS = ["63016", "63024", "63003", "131047"]
QUESTIONS = [
    ("baggage", "Hoeveel kilo handbagage mag ik meenemen?"),
    ("baggage", "My suitcase did not arrive, what now?"),
    ("delay", "Haal ik mijn overstap nog met deze vertraging?"),
    ("delay", "Is there compensation for the delay?"),
    ("rebooking", "Kan ik omboeken naar een latere vlucht?"),
    ("special assistance", "Ik heb een rolstoel nodig op Schiphol, kan dat?"),
]
# Asked often, and beyond the automation: the dashboard's "top questions".
UNANSWERED = [
    "Mag mijn hond mee in de cabine?",
    "Can I change my seat online?",
    "Waar kan ik parkeren bij Schiphol?",
    "Kan ik mijn naam op het ticket laten aanpassen?",
]
CSAT = [(1, 2), (2, 3), (3, 6), (4, 27), (5, 62)]


def _pick(rng: random.Random, weights):
    return rng.choices([v for v, _ in weights], [w for _, w in weights])[0]


def _stage_on(days_ago: int) -> int:
    return next(index for since, index in STAGES if days_ago > since)


def manager_ensure():
    """The demo's manager: the dashboard's login (the `managers` group)."""
    managers, _ = Group.objects.get_or_create(name="managers")
    manager, _ = get_user_model().objects.get_or_create(username=MANAGER[0])
    if not manager.check_password(MANAGER[1]):
        manager.set_password(MANAGER[1])
        manager.save()
    manager.groups.add(managers)
    return manager


def seed_insights(*, agent, admin) -> None:
    """Four weeks of history (once), then the rollup over it."""
    manager_ensure()
    AgentProfile.objects.update_or_create(user=agent, defaults={"available": True})
    if not RolloutPlan.objects.filter(name=PLAN).exists():
        with transaction.atomic():
            _history(agent=agent, admin=admin)
    today = timezone.localdate()
    rollup_refresh(first=today - timedelta(days=DAYS + 1), last=today + timedelta(days=1))


def _plans(admin, now: datetime) -> dict[str, RolloutPlan]:
    klm = RolloutPlan.objects.create(
        name=PLAN,
        carrier="KL",
        stages=[5, 20, 50, 100],
        stage_index=2,
        holdout_percent=10,
        stage_started_at=now - timedelta(days=10),
        guards_held_since=now - timedelta(days=10),
    )
    for days, action, before, after, actor, reason in [
        (DAYS, "started", None, 5, admin, "plan created"),
        (21, "advanced", 5, 20, None, "guard rails held for 72 h"),
        (14, "paused", 20, 20, None, "guard rail broken: first response p90 41 min (at most 30)"),
        (13, "resumed", 20, 20, admin, "two more agents on the evening shift"),
        (10, "advanced", 20, 50, None, "guard rails held for 72 h"),
    ]:
        RolloutChange.objects.create(
            plan=klm,
            action=action,
            from_percent=before,
            to_percent=after,
            actor=actor,
            reason=reason,
            at=now - timedelta(days=days),
        )
    transavia = RolloutPlan.objects.create(
        name="Transavia Rome",
        carrier="HV",
        origin="AMS",
        destination="FCO",
        stages=[10, 50, 100],
        stage_index=0,
        holdout_percent=10,
        status=RolloutPlan.Status.PAUSED,
        paused_at=now - timedelta(hours=5),
        paused_reason="guard rail broken: CSAT 94.1% satisfied (at least 97%, 34 answers)",
        stage_started_at=now - timedelta(days=DAYS),
    )
    RolloutChange.objects.create(
        plan=transavia,
        action="started",
        to_percent=10,
        actor=admin,
        reason="plan created",
        at=now - timedelta(days=DAYS),
    )
    RolloutChange.objects.create(
        plan=transavia,
        action="paused",
        from_percent=10,
        to_percent=10,
        reason=transavia.paused_reason,
        at=now - timedelta(hours=5),
    )
    return {"KL": klm, "HV": transavia}


def _history(*, agent, admin) -> None:
    rng = random.Random(11)
    now = timezone.now()
    plans = _plans(admin, now)
    team = Team.objects.get_or_create(name="Webcare")[0]
    labels = {name: Label.objects.get_or_create(name=name)[0] for name, _ in QUESTIONS}
    n = 0
    travelled: list = []  # people of earlier demo trips, some of whom travel again
    for days_ago in range(DAYS, 0, -1):
        day = (now - timedelta(days=days_ago)).astimezone(AMSTERDAM).date()
        for position, (service, origin, destination) in enumerate(ROUTES):
            departs = datetime.combine(day, datetime.min.time(), AMSTERDAM) + timedelta(
                hours=8 + 3 * position
            )
            trip, _ = Trip.objects.get_or_create(
                service=service,
                local_date=day,
                defaults={
                    "origin": origin,
                    "destination": destination,
                    "scheduled_departure": departs,
                    "scheduled_arrival": departs + timedelta(hours=2),
                    "status": Trip.Status.ARRIVED,
                },
            )
            delayed = rng.random() < 0.25
            if delayed:
                TripEvent.objects.create(
                    trip=trip,
                    type="delayed",
                    idempotency_key=f"demo-delay-{trip.pk}",
                    request_hash="demo",
                    created_at=departs - timedelta(hours=2),
                    payload={"estimated_departure": (departs + timedelta(minutes=70)).isoformat()},
                )
            plan = plans[service[:2]]
            stage = _stage_on(days_ago) if service[:2] == "KL" else 0
            n = _trip_people(
                rng, trip, plan, stage, delayed, departs, n, agent, team, labels, travelled
            )


def _trip_people(rng, trip, plan, stage, delayed, departs, n, agent, team, labels, travelled):
    staged = RolloutPlan(
        salt=plan.salt,
        stages=plan.stages,
        stage_index=stage,
        holdout_percent=plan.holdout_percent,
    )
    earlier = travelled[:]  # people of earlier trips only
    for _ in range(PER_TRIP):
        n += 1
        reference = f"HIST{n:05d}"
        group = group_of(staged, reference)
        offered = group == "rollout"
        if earlier and rng.random() < 0.2:
            customer, cp = rng.choice(earlier)  # travels with us again
        else:
            customer = Customer.objects.create(
                erased_at=timezone.now(),  # anonymous history: not a chat in the phone simulator
                given_name="Reiziger",
                family_name=str(n),
                language=rng.choice(["nl", "nl", "en"]),
                formality=rng.choice(["formal", "informal"]),
            )
            channel = "whatsapp" if rng.random() < 0.7 else "messenger"
            cp = ContactPoint.objects.create(
                customer=customer,
                channel=channel,
                address=f"+3169{n:07d}" if channel == "whatsapp" else f"demo-psid-{n}",
                opted_in=offered,
            )
            travelled.append((customer, cp))
        booking = Booking.objects.create(reference=reference)
        passenger = Passenger.objects.create(
            booking=booking,
            pax_id="P1",
            given_name="Reiziger",
            family_name=customer.family_name,
            customer=customer,
        )
        Segment.objects.create(booking=booking, trip=trip).passengers.add(passenger)
        told = _messages(rng, cp, trip, booking, departs, delayed) if offered else []
        chance = (0.07 if offered else 0.13) + (0.10 if delayed else 0)
        if rng.random() < chance:
            after = told[-1] if told and rng.random() < 0.7 else departs - timedelta(hours=20)
            at = after + timedelta(minutes=rng.randint(5, 600))
            _conversation(rng, cp, trip, at, agent, team, labels, delayed)
    return n


def _messages(rng, cp, trip, booking, departs, delayed) -> list[datetime]:
    kinds = [
        ("check_in_open", departs - timedelta(hours=30)),
        ("departure_reminder", departs - timedelta(hours=3)),
    ]
    if delayed:
        kinds.append(("delayed", departs - timedelta(hours=2)))
    sent = []
    for kind, at in kinds:
        status = _pick(rng, STATUS_WEIGHTS)
        Delivery.objects.create(
            dedupe_key=f"demo:{kind}:{booking.reference}",
            kind=kind,
            customer_id=cp.customer_id,
            contact_point=cp,
            channel=cp.channel,
            trip=trip,
            booking=booking,
            status=status,
            created_at=at,
            error_code=rng.choice(ERRORS) if status in ("failed", "undelivered") else "",
        )
        sent.append(at)
    return sent


def _conversation(rng, cp, trip, at, agent, team, labels, delayed) -> None:
    bot = rng.random() < 0.35
    unanswered = not bot and rng.random() < 0.3
    if unanswered:
        label, text = None, rng.choice(UNANSWERED)
    else:
        label, text = rng.choice(
            [q for q in QUESTIONS if q[0] == "delay"]
            if delayed and rng.random() < 0.6
            else QUESTIONS
        )
    conversation = Conversation.objects.create(
        customer_id=cp.customer_id,
        contact_point=cp,
        channel=cp.channel,
        trip=trip,
        created_at=at,
        last_message_at=at,
        status=Conversation.Status.RESOLVED,
        handled_by=Conversation.HandledBy.BOT if bot else Conversation.HandledBy.HUMAN,
        handover_reason=(
            "not understood by the automated replies"
            if unanswered
            else ""
            if bot
            else rng.choice(["", "", "asked for a person"])
        ),
        team=None if bot else team,
    )
    if label:
        conversation.labels.add(labels[label])
    Message.objects.create(conversation=conversation, direction="in", text=text, created_at=at)
    if bot:
        answer = Delivery.objects.create(
            dedupe_key=f"demo:answer:{conversation.pk}",
            kind="automated_reply",
            customer_id=cp.customer_id,
            contact_point=cp,
            channel=cp.channel,
            trip=trip,
            status="read",
            created_at=at,
            context={"answer_kind": "group_trip_answer"},
        )
        Message.objects.create(
            conversation=conversation,
            direction="out",
            automated=True,
            text="Automatisch antwoord",
            delivery=answer,
            created_at=at,
        )
        if rng.random() < 0.8:
            answered = rng.random() < 0.6
            Survey.objects.create(
                kind=Survey.Kind.HELPFUL,
                customer_id=cp.customer_id,
                contact_point=cp,
                conversation=conversation,
                route=f"{trip.origin}-{trip.destination}",
                asked_at=at,
                score=(1 if rng.random() < 0.78 else 0) if answered else None,
                answered_at=at + timedelta(minutes=1) if answered else None,
            )
        return
    hour = at.astimezone(AMSTERDAM).hour
    busy = 2.5 if 17 <= hour <= 21 else 1.0
    first = at + timedelta(minutes=rng.lognormvariate(1.7, 0.8) * busy)
    Message.objects.create(
        conversation=conversation,
        direction="out",
        author=agent,
        text="Dank voor uw bericht, ik zoek het voor u uit.",
        created_at=first,
    )
    resolved = first + timedelta(minutes=rng.lognormvariate(3.6, 0.7))
    AuditEntry.objects.create(
        conversation=conversation, actor=agent, action="resolved", at=resolved
    )
    route = f"{trip.origin}-{trip.destination}"
    if unanswered:
        answered = rng.random() < 0.5
        Survey.objects.create(
            kind=Survey.Kind.CES,
            customer_id=cp.customer_id,
            contact_point=cp,
            conversation=conversation,
            route=route,
            asked_at=resolved,
            score=rng.choice([1, 2, 2, 3, 3, 4, 5]) if answered else None,
            answered_at=resolved + timedelta(minutes=3) if answered else None,
        )
    elif rng.random() < 0.25:
        answered = rng.random() < 0.45
        Survey.objects.create(
            kind=Survey.Kind.NPS,
            customer_id=cp.customer_id,
            contact_point=cp,
            conversation=conversation,
            route=route,
            asked_at=resolved,
            score=rng.choice([10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3]) if answered else None,
            answered_at=resolved + timedelta(minutes=3) if answered else None,
        )
    else:
        answered = rng.random() < 0.6
        Conversation.objects.filter(pk=conversation.pk).update(
            csat_asked_at=resolved,
            csat_score=_pick(rng, CSAT) if answered else None,
            csat_answered_at=resolved + timedelta(minutes=2) if answered else None,
        )
