"""The phone simulator shows each sandbox traveller's booking confirmation page links (their own
opt-in) apart from the relatives' invitation, and opens them as the traveller: from a new
Messenger identity or a WhatsApp number. Noor Visser (DEMO03) booked without a chat yet."""

import re
from zoneinfo import ZoneInfo

import pytest

from core.models import ConsentRecord, ContactPoint, Passenger, Trip
from sandbox.models import SandboxMessage

MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@pytest.fixture
def noor(seeded) -> Passenger:
    return Passenger.objects.select_related("customer").get(booking__reference="DEMO03")


def section(page: str, title: str) -> str:
    """The helpers' part under one heading, up to the next heading."""
    start = page.index(f">{title}</h3>")
    end = page.find("<h3", start)
    return page[start:end]


def own_opt_in_url(passenger: Passenger, channel: str) -> str:
    return f"/sandbox/phone/own-opt-in/{passenger.pk}/{channel}/"


def confirmation(noor: Passenger) -> str:
    trip = Trip.objects.get(service="KL1001")
    departure = trip.scheduled_departure.astimezone(ZoneInfo("Europe/Amsterdam"))
    day = f"{departure.day} {MONTHS_NL[departure.month - 1]}"
    return (
        "Beste Noor Visser, u bent aangemeld. Vanaf nu krijgt u hier de berichten over uw reis: "
        f"KL1001 van Amsterdam naar Londen op {day}, vertrek {departure:%H:%M}. Wilt u dat "
        "familie ook hoort wanneer u vertrekt en landt? Stuur hun uw code "
        f"{noor.follow_code}. Stuur STOP als u deze berichten niet meer wilt ontvangen."
    )


def received(address: str) -> list[str]:
    rows = SandboxMessage.objects.filter(to=address).order_by("created_at", "id")
    return list(rows.values_list("text", flat=True))


@pytest.mark.django_db
def test_the_page_shows_each_travellers_own_links_apart_from_the_relatives_invitation(
    agent_client, person, noor
):
    sophie = person("demo-psid-sophie")
    travellers = Passenger.objects.filter(booking__reference__in=["DEMO01", "DEMO02", "DEMO03"])

    page = agent_client.get(f"/sandbox/phone/{sophie.pk}/").content.decode()

    own = section(page, "Own opt-in · booking confirmation page")
    relatives = section(page, "Relatives' invitation · follow code")
    assert "Opening one links that chat to the traveller" in own
    assert "joins the traveller's update group. It is not the traveller's own opt-in." in relatives
    assert f"wa.me/31850000000?text={noor.opt_in_code}" in own
    assert f"m.me/thuisfront.demo?ref={noor.opt_in_code}" in own
    flat = own.replace("\n", " ")
    assert re.search(r"Noor Visser</span>.*?DEMO03.*?not opted in yet", flat)
    assert re.search(r"Sophie Jansen</span>.*?DEMO02.*?opted in on Messenger", flat)
    for passenger in travellers:
        # Each kind of code only where it belongs: an own link is never offered as an invitation.
        assert passenger.opt_in_code in own and passenger.opt_in_code not in relatives
        assert passenger.follow_code in relatives and passenger.follow_code not in own
    assert "Open as a new Messenger user" in own and "Send from this WhatsApp number" in own


@pytest.mark.django_db(transaction=True)
def test_opening_the_messenger_link_as_a_new_person_makes_that_chat_noors(agent_client, noor):
    response = agent_client.post(own_opt_in_url(noor, "messenger"))

    chat = ContactPoint.objects.get(customer=noor.customer, channel="messenger")
    assert response.status_code == 302 and response.url == f"/sandbox/phone/{chat.pk}/"
    assert chat.address.startswith("sandbox-psid-") and chat.opted_in
    consent = ConsentRecord.objects.get(contact_point=chat)
    assert consent.action == "opt_in"
    assert consent.source == "own opt-in code of passenger DEMO03/P1, opened the m.me link"
    assert received(chat.address) == [confirmation(noor)]
    phone = agent_client.get(response.url).content.decode()
    assert f"ref <code>{noor.opt_in_code}</code>" in phone and "u bent aangemeld" in phone
    assert "not opted in yet" not in section(phone, "Own opt-in · booking confirmation page")

    # From now on Noor's trip messages reach that chat: a gate change from the operator panel.
    trip = Trip.objects.get(service="KL1001")
    operator = agent_client.get(f"/sandbox/operator/?trip={trip.pk}").content.decode()
    key = re.search(r'name="gate_changed-idempotency_key" value="([0-9a-f]+)"', operator).group(1)
    agent_client.post(
        f"/sandbox/operator/trips/{trip.pk}/events/gate_changed/",
        {"gate_changed-idempotency_key": key, "gate_changed-gate": "D7"},
    )

    gate_change = received(chat.address)[1:]
    assert len(gate_change) == 1 and gate_change[0].startswith("Beste Noor Visser, ")
    assert "KL1001" in gate_change[0] and "D7" in gate_change[0]
    assert gate_change[0] in agent_client.get(f"/sandbox/phone/{chat.pk}/chat/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_sending_the_code_from_a_new_whatsapp_number_makes_that_number_noors(
    agent_client, noor, typed
):
    response = agent_client.post(own_opt_in_url(noor, "whatsapp"), {"number": "+31 6 1299 0001"})

    chat = ContactPoint.objects.get(channel="whatsapp", address="+31612990001")
    assert response.status_code == 302 and response.url == f"/sandbox/phone/{chat.pk}/"
    assert chat.customer_id == noor.customer_id and chat.opted_in
    sent = typed().get()
    assert (sent.from_address, sent.text) == ("+31612990001", noor.opt_in_code)
    assert sent.raw["ProfileName"] == "Noor Visser"
    assert ConsentRecord.objects.get(contact_point=chat).source == (
        "own opt-in code of passenger DEMO03/P1, sent the code on WhatsApp"
    )
    assert received("+31612990001") == [confirmation(noor)]


@pytest.mark.django_db
def test_the_page_offers_a_number_nobody_has_yet(agent_client, person, noor):
    page = agent_client.get(f"/sandbox/phone/{person('demo-psid-sophie').pk}/").content.decode()

    numbers = set(re.findall(r'name="number" value="(\+\d+)"', page))
    assert len(numbers) == 1
    assert not ContactPoint.objects.filter(address__in=numbers).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("0612990001", "has no country code"),
        ("+3161299", "is not a valid phone number"),
        (
            "+31611111111",
            "+31611111111 is Joost de Vries's number already; "
            "use a new number or one of Noor's own",
        ),
        ("", "This field is required"),
    ],
)
def test_a_number_that_will_not_do_is_refused_naming_the_field(
    agent_client, noor, typed, number, says
):
    response = agent_client.post(own_opt_in_url(noor, "whatsapp"), {"number": number})

    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("number: ") and says in text
    assert not typed().exists()
    assert not ContactPoint.objects.filter(customer=noor.customer).exists()


@pytest.mark.django_db
def test_an_unknown_channel_or_passenger_is_refused(agent_client, noor, typed):
    assert agent_client.post(own_opt_in_url(noor, "sms")).status_code == 400
    nobody = f"/sandbox/phone/own-opt-in/{noor.pk + 1000}/messenger/"
    assert agent_client.post(nobody).status_code == 404
    assert not typed().exists()


@pytest.mark.django_db
def test_only_a_signed_in_agent_may_open_a_travellers_link(client, noor, typed):
    assert client.post(own_opt_in_url(noor, "messenger")).status_code == 403
    assert not typed().exists()


@pytest.fixture
def real_whatsapp(settings, seeded):
    settings.MESSAGING_ADAPTERS = {
        **settings.MESSAGING_ADAPTERS,
        "whatsapp": "channels_whatsapp.adapter.TwilioAdapter",
    }


@pytest.mark.django_db
def test_next_to_real_whatsapp_only_sandbox_travellers_and_links_are_offered(
    agent_client, real_whatsapp, person, noor, typed
):
    """Anna and Bram are on real WhatsApp now; Noor, without an address yet, may be a real
    traveller about to opt in there. Only Sophie's Messenger link is left to open."""
    anna = person("+31612345678").customer.passengers.get()
    sophie = person("demo-psid-sophie").customer.passengers.get()

    page = agent_client.get(f"/sandbox/phone/{person('demo-psid-sophie').pk}/").content.decode()

    own = section(page, "Own opt-in · booking confirmation page")
    assert f"m.me/thuisfront.demo?ref={sophie.opt_in_code}" in own
    assert "wa.me/" not in own and 'name="number"' not in own
    for hidden in (anna, noor):
        assert hidden.opt_in_code not in page and hidden.follow_code not in page
    assert agent_client.post(own_opt_in_url(anna, "messenger")).status_code == 404
    assert agent_client.post(own_opt_in_url(noor, "messenger")).status_code == 404
    refused = agent_client.post(own_opt_in_url(sophie, "whatsapp"), {"number": "+31612990002"})
    assert refused.status_code == 400 and refused.content.startswith(b"channel:")
    assert not typed().exists()
    assert not ContactPoint.objects.filter(address="+31612990002").exists()


@pytest.mark.django_db
def test_before_anyone_has_a_chat_the_links_are_on_the_empty_simulator(client, make_booking):
    """A booking from the API whose traveller has no address yet: nobody to show a phone of,
    but the booking confirmation page's links are there to open."""
    from django.contrib.auth.models import Group, User

    booking = make_booking("WEB001", [("P1", "Lotte", "Bakker", "nl", "informal", "")])
    agent = User.objects.create_user("agent2", password="pw-agent2-long")
    agent.groups.add(Group.objects.create(name="agents"))
    client.force_login(agent)

    page = client.get("/sandbox/phone/").content.decode()

    assert "Nobody yet." in page
    own = section(page, "Own opt-in · booking confirmation page")
    code = booking.passengers.get().opt_in_code
    assert f"m.me/thuisfront.demo?ref={code}" in own and "Lotte Bakker" in own
    assert own_opt_in_url(booking.passengers.get(), "messenger") in own
