from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.models import Booking, ContactPoint, Customer, InboundMessage, Passenger, Trip
from notifications.models import Delivery
from sandbox.models import SandboxMessage
from webcare_inbox.models import AuditEntry, CannedReply, Conversation, Label, Message, Team


def seed() -> str:
    out = StringIO()
    call_command("demo_seed", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    models = (
        Booking,
        Passenger,
        Trip,
        Customer,
        ContactPoint,
        Delivery,
        SandboxMessage,
        get_user_model(),
        InboundMessage,
        Conversation,
        Message,
        AuditEntry,
        Label,
        CannedReply,
        Team,
    )
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models} | {
        "trip": list(Trip.objects.values_list("service", "scheduled_departure")),
        "opted_in": sorted(
            ContactPoint.objects.filter(opted_in=True).values_list("address", flat=True)
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_second_run_changes_nothing_and_prints_the_same(client):
    first_output = seed()
    first = snapshot()

    second_output = seed()

    assert second_output == first_output
    assert snapshot() == first
    assert first["opted_in"] == [
        "+31611111111",
        "+31612345678",
        "+31687654321",
        "demo-psid-emma",
        "demo-psid-sophie",
        "demo-psid-truus",
    ]
    assert not ContactPoint.objects.filter(
        opted_in=False
    ).exists()  # relatives opted in by joining Anna's group
    # One booking confirmation per opted-in traveller, one confirmation per relative who joined
    # Anna's group and one "… follows your trip now" to Anna per relative, and Bram (who wrote a
    # few minutes ago, inside the window) is told a colleague will answer and, having asked to be
    # called back tomorrow at 10, when we will call; and Anna, Bram and Sophie get their boarding
    # pass: not one per run.
    assert sorted(SandboxMessage.objects.values_list("to", flat=True)) == sorted(
        [
            "+31612345678",
            "+31687654321",
            "demo-psid-sophie",
            "+31611111111",
            "demo-psid-truus",
            "demo-psid-emma",
            "+31612345678",
            "+31612345678",
            "+31612345678",
            "+31687654321",
            "+31687654321",  # the call-back's time
            "+31612345678",  # the boarding passes
            "+31687654321",
            "demo-psid-sophie",
        ]
    )
    assert SandboxMessage.objects.exclude(media_file=None).count() == 2  # Sophie's is a link
    for line in (
        "agent / thuisfront-demo",
        "admin / thuisfront-admin",
        "/sandbox/phone/",
        "/sandbox/operator/",
        "/inbox/",
        "/admin/",
        "/api/v1/docs",
        "/healthz",
        "create_api_key NAME",
        "Contact reasons: model v1 (248 labels)",
        "/inbox/callbacks/",
    ):
        assert line in first_output


@pytest.mark.django_db
def test_agent_and_admin_can_sign_in(client):
    seed()

    assert client.login(username="agent", password="thuisfront-demo")
    agent = get_user_model().objects.get(username="agent")
    assert list(agent.groups.values_list("name", flat=True)) == ["agents"]
    assert not agent.is_staff
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("thuisfront-admin")


@pytest.mark.django_db
def test_demo_flight_leaves_in_a_few_hours():
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    seed()

    trip = Trip.objects.get(service="KL1001")
    now = timezone.now()
    assert now + timedelta(hours=2) < trip.scheduled_departure <= now + timedelta(hours=3)
    assert (
        trip.local_date == trip.scheduled_departure.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    )
    assert (trip.origin, trip.destination) == ("AMS", "LHR")
    references = set(Booking.objects.values_list("reference", flat=True))
    assert references == {"DEMO01", "DEMO02", "DEMO03"}
