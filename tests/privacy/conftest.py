"""One person in every table: a traveller who books, writes, is written to, follows and is
followed, as the edges bring it in (the REST API, signed Twilio and Meta webhooks, the inbox)."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.utils import timezone
from twilio.request_validator import RequestValidator

from contact_reasons import learning
from contact_reasons import services as reasons
from contact_reasons.models import ReasonModel
from core.models import ContactPoint, Customer, Passenger
from insights.models import RolloutChange, RolloutPlan, Survey
from insights.rollups import rollup_refresh
from notifications.services import status_report_store
from tests.documents.conftest import bcbp
from tests.groups.conftest import (  # noqa: F401  fixtures
    AUTH_TOKEN,
    PUBLIC_BASE_URL,
    Phones,
    api,
    booking,
    phones,
    trip_time,
    webhooks,
)
from webcare_inbox import callbacks
from webcare_inbox import services as inbox
from webcare_inbox.models import Conversation

# Names nobody else in the suite has, so any trace of them is a trace of her.
GIVEN, FAMILY = "Wilhelmina", "Quaadvliet"
FULL = f"{GIVEN} {FAMILY}"
PROFILE = "Willy Quaadvliet"
PHONE = "+31612345099"
PSID = "psid-quaadvliet-7731"
WROTE = "kofferbandXQ"  # a word only she wrote
RELATIVE = "+31612345088"
OTHER = "+31612345077"


def needles() -> list[str]:
    return [GIVEN, FAMILY, FULL, PROFILE, PHONE, PHONE.lstrip("+"), PSID, WROTE]


def twilio_status(client, *, sid: str, to: str, status: str = "delivered") -> None:
    form = {
        "MessageSid": sid,
        "MessageStatus": status,
        "To": f"whatsapp:{to}",
        "From": "whatsapp:+31850000000",
        "AccountSid": "AC" + "0" * 32,
    }
    path = "/webhooks/whatsapp/twilio/status/"
    signed = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, form)
    response = client.post(
        path,
        data=form,
        HTTP_X_TWILIO_SIGNATURE=signed,
    )
    assert response.status_code in (200, 204), response.content


@pytest.fixture
def everywhere(api, phones: Phones, client, django_user_model):  # noqa: F811
    """Fill every table that can hold something about her; returns what a test needs."""
    # Her own booking (she is its only passenger), and one she shares with someone else.
    body = booking([("P1", GIVEN, FAMILY, "nl", "whatsapp", PHONE)])
    body["passengers"][0]["contacts"].append(
        {"channel": "messenger", "address": PSID, "opt_in": True}
    )
    assert api.put_booking("WQ0001", body).status_code == 201
    shared = booking(
        [
            ("P1", GIVEN, FAMILY, "nl", "whatsapp", PHONE),
            ("P2", "Bram", "Anders", "nl", "whatsapp", OTHER),
        ]
    )
    assert api.put_booking("SHARED1", shared).status_code == 201
    trip = body["segments"][0]["trip"]
    # Her boarding pass, made and sent.
    service_day = date.fromisoformat(trip.split("/")[1]).timetuple().tm_yday
    boarding_pass = {
        "passenger": "P1",
        "trip": trip,
        "kind": "boarding_pass",
        "seat": "12A",
        "barcode": bcbp(name=f"{FAMILY}/{GIVEN}".upper()[:20], pnr="WQ0001", day=service_day),
    }
    response = api.post("/bookings/WQ0001/documents", boarding_pass)
    assert response.status_code == 202, response.content
    code = Passenger.objects.get(booking__reference="WQ0001").follow_code

    # A relative follows her trips, and asks about her by her first name.
    phones.whatsapp(RELATIVE, f"Ik wil {GIVEN} volgen: {code}", profile="Gerda Tante")
    # She writes in, on both channels, and sends a wrong code once.
    phones.whatsapp(PHONE, f"Mijn koffer is zoek, {WROTE}", profile=PROFILE)
    phones.messenger(PSID, f"Hallo, hier {FULL}")
    phones.whatsapp(PHONE, "TFZZZZZZZZZZ", profile=PROFILE)
    # Someone else writes in, and an agent's note there names her.
    phones.whatsapp(OTHER, "Waar is mijn stoel?", profile="Bram Anders")

    agent = django_user_model.objects.create_user("erin", password="x")
    mine = Conversation.objects.filter(customer__given_name=GIVEN).order_by("pk")
    whatsapp = mine.filter(channel="whatsapp").first()
    inbox.conversation_reply(
        conversation=whatsapp, agent=agent, text=f"Dag mevrouw {FAMILY}, we zoeken het uit."
    )
    inbox.conversation_note_add(
        conversation=whatsapp, agent=agent, text=f"{GIVEN} belt morgen terug"
    )
    theirs = Conversation.objects.get(contact_point__address=OTHER)
    inbox.conversation_note_add(conversation=theirs, agent=agent, text=f"Reist samen met {FULL}")
    inbox.conversation_assign(conversation=whatsapp, agent=agent, actor=agent)
    # A contact-reason model guesses what her conversation is about; the agent corrects it.
    pipeline = learning.fit(
        ["waar is mijn koffer", "koffer kwijt", "vlucht vertraagd", "vertraging vlucht"],
        ["baggage", "baggage", "delay", "delay"],
    )
    ReasonModel.objects.create(version=1, examples=4, seconds=0, blob=learning.dumps(pipeline))
    assert reasons.conversation_predict(conversation_id=whatsapp.pk) is not None
    reasons.conversation_reason_set(conversation=whatsapp, reason="refund", agent=agent)
    # The agent offers her a call-back (on her number), which waits for her answer.
    callbacks.callback_request(conversation=whatsapp, actor=agent)

    # A trip event reaches her and her relative; Twilio reports on her message.
    later, _ = trip_time(trip, 45)
    response = api.post_event({"type": "delayed", "estimated_departure": later}, trip=trip)
    assert response.status_code == 202, response.content
    event_id = response.json()["id"]
    her_whatsapp = ContactPoint.objects.get(address=PHONE)
    for delivery in her_whatsapp.deliveries.exclude(provider_message_id=""):
        twilio_status(client, sid=delivery.provider_message_id, to=PHONE)
        # And one more that waits for a worker, as when none runs.
        status_report_store(
            channel="whatsapp",
            provider_message_id=delivery.provider_message_id,
            status="read",
            delivery_id=delivery.pk,
            address=PHONE,
            raw={"MessageSid": delivery.provider_message_id, "To": f"whatsapp:{PHONE}"},
        )
    phones.whatsapp(RELATIVE, f"Is {GIVEN} al geland?", profile="Gerda Tante")

    # The conversation is resolved and she answers the satisfaction question.
    inbox.conversation_resolve(conversation=whatsapp, agent=agent)
    phones.whatsapp(PHONE, "4", profile=PROFILE)
    # She opts out on Messenger; an operator looked her up in the admin.
    phones.messenger(PSID, "STOP")
    admin = User.objects.create_superuser("ops", password="x")
    LogEntry.objects.log_actions(
        user_id=admin.pk,
        queryset=Customer.objects.filter(given_name=GIVEN),
        action_flag=CHANGE,
        change_message=f"Changed name of {FULL}",
    )
    # Insights: she answered a survey question, a rollout plan covers her trip (its change made
    # by the operator), and the rollup ran over it all.
    Survey.objects.create(
        kind="nps",
        customer=her_whatsapp.customer,
        contact_point=her_whatsapp,
        conversation=whatsapp,
        route="AMS-LHR",
        score=8,
        answered_at=timezone.now(),
    )
    rollout_plan = RolloutPlan.objects.create(
        name="KL everywhere", carrier="KL", holdout_percent=0, stages=[100]
    )
    RolloutChange.objects.create(plan=rollout_plan, action="started", actor=admin, to_percent=100)
    rollup_refresh()
    return {"trip": trip, "event": event_id, "customer": Customer.objects.get(given_name=GIVEN)}
