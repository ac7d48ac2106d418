"""Demo data for `make demo`: logins, a flight leaving in a few hours, travellers and family,
and an inbox with a team, labels, canned replies and conversations (see _demo_inbox.py).

Running it again changes nothing: the users and people are found, not duplicated, and the demo
trip of today keeps the times it got on the first run.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from contact_reasons import dataset as reason_examples
from contact_reasons import services as reasons
from contact_reasons.models import ReasonModel, ReasonPrediction
from core.models import Booking, ContactPoint, Customer, Passenger, Segment
from core.services import ContactIn, PassengerIn, SegmentIn, booking_upsert
from documents.services import DocumentRequest, document_issue
from sandbox.management.commands._demo_inbox import TEAM, seed_inbox
from sandbox.management.commands._demo_insights import MANAGER, manager_ensure
from update_groups.models import GroupMembership
from update_groups.services import group_join
from webcare_inbox.callbacks import callback_request
from webcare_inbox.models import CallbackRequest, Conversation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SERVICE, ORIGIN, DESTINATION = "KL1001", "AMS", "LHR"
FLIGHT_TIME = timedelta(minutes=80)

AGENT = ("agent", "thuisfront-demo")
ADMIN = ("admin", "thuisfront-admin")

BOOKINGS = {
    "DEMO01": [
        PassengerIn(
            "P1", "Anna", "de Vries", "nl", "formal", [ContactIn("whatsapp", "+31612345678", True)]
        ),
        PassengerIn(
            "P2",
            "Bram",
            "de Vries",
            "en",
            "informal",
            [ContactIn("whatsapp", "+31687654321", True)],
        ),
    ],
    "DEMO02": [
        PassengerIn(
            "P1",
            "Sophie",
            "Jansen",
            "nl",
            "informal",
            [ContactIn("messenger", "demo-psid-sophie", True)],
        ),
    ],
    # Booked without a chat yet: the phone simulator opens her own opt-in link (the booking
    # confirmation page's) on a new Messenger identity or WhatsApp number.
    "DEMO03": [
        PassengerIn("P1", "Noor", "Visser", "nl", "formal", []),
    ],
}
# Relatives who are not travelling: they can join a traveller's update group in the simulator.
RELATIVES = [
    ("Joost", "de Vries", "nl", "informal", "whatsapp", "+31611111111"),
    ("Oma Truus", "", "nl", "formal", "messenger", "demo-psid-truus"),
    ("Emma", "Clarke", "en", "informal", "messenger", "demo-psid-emma"),
]
# Anna's family group: these relatives follow her trip, joined as if they sent her code.
FAMILY_OF_ANNA = ["+31611111111", "demo-psid-truus", "demo-psid-emma"]

URLS = [
    ("Home", "/"),
    ("Webcare inbox", "/inbox/"),
    ("Insights", "/insights/"),
    ("Phone simulator", "/sandbox/phone/"),
    ("Operator panel", "/sandbox/operator/"),
    ("Admin", "/admin/"),
    ("API docs", "/api/v1/docs"),
    ("Health", "/healthz"),
]


def _user(username: str, password: str, *, superuser: bool = False):
    user, _ = get_user_model().objects.get_or_create(username=username)
    changed = False
    if superuser and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        changed = True
    if not user.check_password(password):  # set once; re-hashing would change the row every run
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user


def _departure(now: datetime) -> datetime:
    """Today's demo departure if there is one still to come today, else a new one in ~3 hours."""
    today = now.astimezone(AMSTERDAM).date()
    existing = (
        Segment.objects.filter(
            booking__reference="DEMO01", trip__service=SERVICE, trip__local_date__gte=today
        )
        .select_related("trip")
        .first()
    )
    if existing is not None:
        return existing.trip.scheduled_departure
    soon = (now + timedelta(hours=3)).astimezone(AMSTERDAM)
    return soon.replace(minute=soon.minute - soon.minute % 5, second=0, microsecond=0)


def _segment(departure: datetime, pax: list[str]) -> SegmentIn:
    return SegmentIn(
        service=SERVICE,
        local_date=departure.astimezone(AMSTERDAM).date(),
        origin=ORIGIN,
        destination=DESTINATION,
        scheduled_departure=departure,
        scheduled_arrival=departure + FLIGHT_TIME,
        passengers=pax,
    )


def _relative(
    given: str, family: str, language: str, formality: str, channel: str, address: str
) -> None:
    if ContactPoint.objects.filter(channel=channel, address=address).exists():
        return
    customer = Customer.objects.create(
        given_name=given, family_name=family, language=language, formality=formality
    )
    ContactPoint.objects.create(customer=customer, channel=channel, address=address)


def _family_group() -> None:
    """Anna's relatives join through the same service a sent code or opened link reaches."""
    anna = Passenger.objects.get(booking__reference="DEMO01", pax_id="P1")
    for address in FAMILY_OF_ANNA:
        cp = ContactPoint.objects.select_related("customer").get(address=address)
        if GroupMembership.objects.filter(contact_point=cp, left_at__isnull=True).exists():
            continue  # joined on an earlier run (or left by STOP in the simulator: leave that be)
        source = (
            GroupMembership.Source.WHATSAPP_CODE
            if cp.channel == "whatsapp"
            else GroupMembership.Source.MESSENGER_LINK
        )
        group_join(
            contact_point=cp, code=anna.follow_code, source=source, language=cp.customer.language
        )


# Boarding passes the demo travellers got: (booking, passenger, BCBP name, seat, gate).
BOARDING_PASSES = [
    ("DEMO01", "P1", "DEVRIES/ANNA", "12A", "D7"),
    ("DEMO01", "P2", "DEVRIES/BRAM", "12B", "D7"),
    ("DEMO02", "P1", "JANSEN/SOPHIE", "23F", "D7"),
]


def _contact_reasons_and_callbacks() -> None:
    """A model trained on the shipped examples, its suggestion on each conversation, and Bram's
    request to be called back tomorrow morning, in the call-backs queue."""
    if not ReasonModel.objects.exists():
        examples = [(r["text"], r["reason"]) for r in reason_examples.rows("train")]
        reasons.model_train(extra=examples)
    for conversation in Conversation.objects.filter(reason_predictions__isnull=True):
        reasons.conversation_predict(conversation_id=conversation.pk)
    bram = Conversation.objects.filter(contact_point__address="+31687654321").first()
    if bram and not CallbackRequest.objects.filter(conversation=bram).exists():
        callback_request(conversation=bram, actor=None, text="call me tomorrow at 10am")


def _boarding_passes(departure: datetime) -> None:
    """Each demo traveller's boarding pass, as the airline's systems would post it (once)."""
    local = departure.astimezone(AMSTERDAM)
    julian = local.timetuple().tm_yday
    for reference, pax, name, seat, gate in BOARDING_PASSES:
        booking = Booking.objects.get(reference=reference)
        row, letter = seat[:-1], seat[-1]
        data = (
            f"M1{name:<20}E{reference:<7}{ORIGIN}{DESTINATION}KL 1001 "
            f"{julian:03d}Y{int(row):03d}{letter}0001 100"
        )
        document_issue(
            booking=booking,
            request=DocumentRequest(
                passenger=pax,
                trip=f"{SERVICE}/{local.date().isoformat()}",
                kind="boarding_pass",
                barcode=data,
                seat=seat,
                gate=gate,
                boarding_time=departure - timedelta(minutes=30),
            ),
        )


class Command(BaseCommand):
    help = (
        "Load the demo: agent and admin logins, "
        "flight KL1001 leaving today, travellers and relatives."
    )

    def handle(self, *args, **options) -> None:
        from celery import current_app as app

        # No worker runs alongside this command, and the embedded broker lives in memory: run
        # the booking confirmations here, or they would be lost when the command exits.
        was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        quiet = [logging.getLogger(name) for name in ("celery", "kombu")]
        levels = [logger.level for logger in quiet]
        for logger in quiet:  # the summary printed below is what the reader needs
            logger.setLevel(logging.ERROR)
        try:
            departure = self._seed()
        finally:
            app.conf.task_always_eager = was_eager
            for logger, level in zip(quiet, levels):
                logger.setLevel(level)
        self._report(departure)

    def _seed(self) -> datetime:
        agents, _ = Group.objects.get_or_create(name="agents")
        agent = _user(*AGENT)
        agent.groups.add(agents)
        admin = _user(*ADMIN, superuser=True)
        departure = _departure(timezone.now())
        for reference, passengers in BOOKINGS.items():
            if Segment.objects.filter(
                booking__reference=reference, trip__scheduled_departure=departure
            ).exists():
                # Already seeded for this trip: leave the booking (and its timestamps) alone.
                continue
            booking_upsert(
                reference=reference,
                passengers=passengers,
                segments=[_segment(departure, [p.pax_id for p in passengers])],
            )
        with transaction.atomic():
            for relative in RELATIVES:
                _relative(*relative)
        _family_group()
        seed_inbox(agent=agent, admin=admin)
        _contact_reasons_and_callbacks()
        # After the inbox: Bram's chat is open (a file with its caption), Anna's and Sophie's
        # are not (WhatsApp's media template; on Messenger a utility template with the link).
        _boarding_passes(departure)
        manager_ensure()  # the dashboard's history: `manage.py demo_history` (make demo runs it)
        return departure

    def _report(self, departure: datetime) -> None:
        local = departure.astimezone(AMSTERDAM)
        out = self.stdout.write
        out(self.style.SUCCESS("Thuisfront demo data is ready."))
        out("")
        out(
            f"  Flight {SERVICE} {ORIGIN} → {DESTINATION}, "
            f"departs {local:%Y-%m-%d %H:%M} (Amsterdam time)"
        )
        out("  Bookings DEMO01 (Anna and Bram de Vries, WhatsApp), DEMO02 (Sophie Jansen,")
        out("  Messenger) and DEMO03 (Noor Visser, not opted in yet: in the phone simulator,")
        out("  open the own opt-in link of her booking confirmation page)")
        out("  Boarding passes (PDF) for Anna, Bram and Sophie, in their chats")
        out(
            "  Anna's family group: Joost de Vries (WhatsApp), "
            "Oma Truus and Emma Clarke (Messenger) follow her trip"
        )
        out(
            f"  Inbox: team {TEAM}; Bram (WhatsApp, "
            "just now, assigned to agent), Sophie (Messenger,"
        )
        out("  30 hours ago, with a note) and Anna (WhatsApp, two days ago: templates only)")
        model = ReasonModel.objects.order_by("-version").first()
        out(
            f"  Contact reasons: model v{model.version} ({model.examples} labels), "
            f"{ReasonPrediction.objects.count()} suggestions; Bram asked to be called back"
        )
        out(f"  Call-backs queue: {settings.PUBLIC_BASE_URL}/inbox/callbacks/")
        out("")
        out(f"  Agent login: {AGENT[0]} / {AGENT[1]}")
        out(f"  Admin login: {ADMIN[0]} / {ADMIN[1]}")
        out(f"  Manager login: {MANAGER[0]} / {MANAGER[1]} (the dashboard at /insights/)")
        out("")
        for label, path in URLS:
            out(f"  {label + ':':17} {settings.PUBLIC_BASE_URL}{path}")
        out("")
        out("  API key for the REST API: python manage.py create_api_key NAME")
