"""Every trip message, word for word, as each reader gets it: Dutch and English, "u" and "je",
the traveller's own message and the one their relatives get, with local times.

KL1001 flies tomorrow 09:00 Amsterdam → 09:20 London; KL1002 the day after (tests/clock.py).
"""

import pytest

from core.models import ContactPoint, Customer
from core.services import api_key_create
from sandbox.models import SandboxMessage
from tests import clock
from tests.api.helpers import Api, booking_body
from update_groups.models import UpdateGroup
from update_groups.services import group_join

# Who reads: (given name, family name, language, form of address, phone)
TRAVELLERS = {
    "nl-formal": ("Anna", "de Vries", "nl", "formal", "+31612345678"),
    "nl-informal": ("Bram", "Bakker", "nl", "informal", "+31612345679"),
    "en-formal": ("Claire", "Smith", "en", "formal", "+31612345680"),
    "en-informal": ("Dave", "Jones", "en", "informal", "+31612345681"),
}
RELATIVES = {  # they follow Anna's trips
    "nl-formal": ("Truus", "de Vries", "nl", "formal", "+31620000001"),
    "nl-informal": ("Joost", "de Vries", "nl", "informal", "+31620000002"),
    "en-formal": ("Margaret", "Brown", "en", "formal", "+31620000003"),
    "en-informal": ("Emma", "Brown", "en", "informal", "+31620000004"),
}
MONTHS = {
    "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec".split(),
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
}


def day(language: str, offset: int = 1) -> str:
    local = clock.local(9, 0, offset=offset)
    return f"{local.day} {MONTHS[language][local.month - 1]}"


def received(phone: str) -> list[str]:
    return list(
        SandboxMessage.objects.filter(to=phone)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )


def book(api, reference: str, service: str = "KL1001", offset: int = 1) -> dict:
    body = booking_body()
    body["passengers"] = [
        {
            "id": f"P{i}",
            "given_name": given,
            "family_name": family,
            "language": language,
            "formality": form,
            "contacts": [{"channel": "whatsapp", "address": phone, "opt_in": True}],
        }
        for i, (given, family, language, form, phone) in enumerate(TRAVELLERS.values(), start=1)
    ]
    body["segments"] = [
        {
            "trip": clock.trip(service, offset=offset),
            "origin": "AMS",
            "destination": "LHR",
            "scheduled_departure": clock.iso(9, 0, offset=offset),
            "scheduled_arrival": clock.iso(9, 20, offset=offset, tz=clock.LONDON),
            "passengers": [p["id"] for p in body["passengers"]],
        }
    ]
    response = api.put_booking(reference, body)
    assert response.status_code == 201, response.content
    return response.json()


def relatives_join(follow_code: str) -> None:
    for given, family, language, form, phone in RELATIVES.values():
        customer = Customer.objects.create(
            given_name=given, family_name=family, language=language, formality=form
        )
        cp = ContactPoint.objects.create(customer=customer, channel="whatsapp", address=phone)
        assert (
            group_join(
                contact_point=cp, code=follow_code, source="whatsapp_code", language=language
            ).status
            == "joined"
        )
    UpdateGroup.objects.update(
        notify_gate_changed=True
    )  # the traveller chose to pass gate changes on


def post(api, body: dict, key: str, service: str = "KL1001", offset: int = 1) -> None:
    response = api.post_event(body, key=key, trip=clock.trip(service, offset=offset))
    assert response.status_code == 202, response.content


@pytest.fixture
def api(db) -> Api:
    return Api(api_key_create(name="booking engine")[1])


@pytest.fixture
def invitation_settings(settings):
    settings.WHATSAPP_PUBLIC_NUMBER = "+31850000000"
    settings.MESSENGER_PAGE_NAME = "thuisfront.demo"


@pytest.mark.django_db(transaction=True)
def test_booking_confirmation(api, invitation_settings):
    answer = book(api, "ABC123")
    codes = [p["follow_code"] for p in answer["passengers"]]
    links = [
        f"WhatsApp https://wa.me/31850000000?text={c} of Messenger https://m.me/thuisfront.demo?ref={c}"
        for c in codes[:2]
    ] + [
        f"WhatsApp https://wa.me/31850000000?text={c} or Messenger https://m.me/thuisfront.demo?ref={c}"
        for c in codes[2:]
    ]

    assert received("+31612345678") == [
        "Beste Anna de Vries, uw boeking ABC123 is bevestigd: KL1001 van Amsterdam naar Londen "
        f"op {day('nl')}, vertrek 09:00. We houden u hier op de hoogte van uw reis. Wilt u dat "
        f"familie ook hoort wanneer u vertrekt en landt? Stuur hun uw code {codes[0]} of een "
        f"van deze links: {links[0]}. Stuur STOP als u deze berichten niet meer wilt ontvangen."
    ]
    assert received("+31612345679") == [
        "Hoi Bram, je boeking ABC123 is bevestigd: KL1001 van Amsterdam naar Londen op "
        f"{day('nl')}, vertrek 09:00. We houden je hier op de hoogte van je reis. "
        f"Wil je dat familie ook hoort wanneer je vertrekt en landt? Stuur ze je code {codes[1]} "
        f"of een van deze links: {links[1]}. Stuur STOP als je deze berichten niet meer wilt."
    ]
    assert received("+31612345680") == [
        "Dear Claire Smith, your booking ABC123 is confirmed: KL1001 from Amsterdam to London "
        f"on {day('en')}, departing 09:00. We will keep you posted about your trip here. "
        f"Would you like family to hear when you depart and land? Send them your code {codes[2]} "
        f"or one of these links: {links[2]}. Reply STOP if you no longer want these messages."
    ]
    assert received("+31612345681") == [
        "Hi Dave, your booking ABC123 is confirmed: KL1001 from Amsterdam to London on "
        f"{day('en')}, departing 09:00. We'll keep you posted about your trip here. "
        f"Want family to hear when you take off and land? Send them your code {codes[3]} or "
        f"one of these links: {links[3]}. Reply STOP if you don't want these messages any more."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_trip_from_check_in_to_landing(api):
    answer = book(api, "ABC123")
    relatives_join(answer["passengers"][0]["follow_code"])
    SandboxMessage.objects.all().delete()  # confirmations

    post(api, {"type": "check_in_open"}, "c")
    post(api, {"type": "gate_changed", "gate": "D7", "terminal": "2"}, "g")
    post(
        api,
        {
            "type": "delayed",
            "estimated_departure": clock.iso(10, 15),
            "reason": "late arrival of the aircraft",
        },
        "d",
    )
    post(api, {"type": "boarding"}, "b")
    post(api, {"type": "departed", "actual_departure": clock.iso(10, 20)}, "dep")
    post(
        api,
        {
            "type": "arrived",
            "actual_arrival": clock.iso(10, 38, tz=clock.LONDON),
            "baggage_belt": "5",
        },
        "a",
    )
    post(api, {"type": "arrived", "actual_arrival": clock.iso(10, 38, tz=clock.LONDON)}, "a2")

    nl, en = day("nl"), day("en")
    assert received("+31612345678") == [
        f"Beste Anna de Vries, u kunt nu inchecken voor vlucht KL1001 naar Londen op {nl}. "
        "Dat kan in de app of op de website.",
        "Beste Anna de Vries, let op: uw vlucht KL1001 naar Londen vertrekt vanaf een andere gate. "
        "Uw nieuwe gate is D7 (terminal 2).",
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd. "
        "Nieuwe vertrektijd: 10:15 (was 09:00). Verwachte aankomst: "
        "10:35 lokale tijd. Reden: late arrival of the aircraft.",
        "Beste Anna de Vries, het boarden voor uw vlucht KL1001 naar Londen is begonnen. Gate: D7.",
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is om 10:20 vertrokken. "
        "Verwachte aankomst: 10:40 lokale tijd. Goede vlucht!",
        "Beste Anna de Vries, uw vlucht KL1001 is om 10:38 "
        "lokale tijd in Londen geland. Uw bagage komt op band 5.",
        "Beste Anna de Vries, uw vlucht KL1001 is om 10:38 "
        "lokale tijd in Londen geland. Welkom in Londen!",
    ]
    assert received("+31612345679") == [
        f"Hoi Bram, je kunt nu inchecken voor vlucht KL1001 naar Londen op {nl}. "
        "Dat kan in de app of op de website.",
        "Hoi Bram, let op: je vlucht KL1001 naar Londen vertrekt vanaf een andere gate. "
        "Je nieuwe gate is D7 (terminal 2).",
        "Hoi Bram, je vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: 10:15 (was "
        "09:00). Verwachte aankomst: 10:35 lokale tijd. Reden: late arrival of the aircraft.",
        "Hoi Bram, het boarden voor je vlucht KL1001 naar Londen is begonnen. Gate: D7.",
        "Hoi Bram, je vlucht KL1001 naar Londen is om 10:20 vertrokken. "
        "Verwachte aankomst: 10:40 lokale tijd. Goede vlucht!",
        "Hoi Bram, je vlucht KL1001 is om 10:38 lokale "
        "tijd in Londen geland. Je bagage komt op band 5.",
        "Hoi Bram, je vlucht KL1001 is om 10:38 lokale tijd in Londen geland. Welkom in Londen!",
    ]
    assert received("+31612345680") == [
        f"Dear Claire Smith, check-in is now open for flight KL1001 to London on {en}. "
        "You can do so in the app or on the website.",
        "Dear Claire Smith, your flight KL1001 to London now departs from gate D7 (terminal 2).",
        "Dear Claire Smith, your flight KL1001 to London is delayed. New departure time: 10:15 "
        "(was 09:00). Expected arrival: 10:35 local time. Reason: late arrival of the aircraft.",
        "Dear Claire Smith, boarding for flight KL1001 to London has started. Gate: D7.",
        "Dear Claire Smith, your flight KL1001 to London departed at 10:20. "
        "Expected arrival: 10:40 local time. Have a good flight!",
        "Dear Claire Smith, your flight KL1001 landed in London at 10:38 local time. "
        "Your baggage arrives on belt 5.",
        "Dear Claire Smith, your flight KL1001 landed in "
        "London at 10:38 local time. Welcome to London!",
    ]
    assert received("+31612345681") == [
        f"Hi Dave, check-in is open for your flight KL1001 to London on {en}. "
        "You can do so in the app or on the website.",
        "Hi Dave, your flight KL1001 to London now leaves from gate D7 (terminal 2).",
        "Hi Dave, your flight KL1001 to London is delayed. New departure time: 10:15 (was 09:00). "
        "Expected arrival: 10:35 local time. Reason: late arrival of the aircraft.",
        "Hi Dave, boarding for your flight KL1001 to London has started. Gate: D7.",
        "Hi Dave, your flight KL1001 to London took off at 10:20. "
        "Expected arrival: 10:40 local time. Have a good flight!",
        "Hi Dave, your flight KL1001 landed in London at 10:38 local time. "
        "Your baggage arrives on belt 5.",
        "Hi Dave, your flight KL1001 landed in London at 10:38 local time. Welcome to London!",
    ]
    dutch = [
        "De vlucht van Anna naar Londen (KL1001) vertrekt vanaf een andere gate: D7 (terminal 2).",
        "De vlucht van Anna naar Londen (KL1001) is vertraagd. "
        "Nieuwe vertrektijd: 10:15 (was 09:00). Verwachte aankomst: 10:35 lokale tijd.",
        "De vlucht van Anna naar Londen (KL1001) is om 10:20 vertrokken. "
        "Verwachte aankomst: 10:40 lokale tijd.",
        "De vlucht van Anna naar Londen (KL1001) is om 10:38 lokale tijd geland.",
        "De vlucht van Anna naar Londen (KL1001) is om 10:38 lokale tijd geland.",
    ]
    english = [
        "Anna's flight KL1001 to London now departs from gate D7 (terminal 2).",
        "Anna's flight KL1001 to London is delayed. New departure time: 10:15 (was 09:00). "
        "Expected arrival: 10:35 local time.",
        "Anna's flight KL1001 to London departed at 10:20. Expected arrival: 10:40 local time.",
        "Anna's flight KL1001 to London landed at 10:38 local time.",
        "Anna's flight KL1001 to London landed at 10:38 local time.",
    ]
    # Relatives are not addressed by name, so "u" and "je" read the same.
    assert received("+31620000001") == dutch and received("+31620000002") == dutch
    assert received("+31620000003") == english and received("+31620000004") == english


@pytest.mark.django_db(transaction=True)
def test_a_trip_without_gate_or_reason_that_is_cancelled(api):
    answer = book(api, "XYZ789", "KL1002", offset=2)
    relatives_join(answer["passengers"][0]["follow_code"])
    SandboxMessage.objects.all().delete()
    on_trip = {"service": "KL1002", "offset": 2}

    post(
        api,
        {"type": "check_in_open", "check_in_url": "https://example.com/check-in"},
        "c",
        **on_trip,
    )
    post(api, {"type": "boarding"}, "b", **on_trip)
    post(
        api, {"type": "delayed", "estimated_departure": clock.iso(9, 30, offset=2)}, "d", **on_trip
    )
    post(api, {"type": "cancelled"}, "x", **on_trip)
    post(api, {"type": "cancelled", "rebooking_url": "https://example.com/rebook"}, "x2", **on_trip)

    nl, en = day("nl", 2), day("en", 2)
    assert received("+31612345678") == [
        f"Beste Anna de Vries, u kunt nu inchecken voor vlucht KL1002 naar Londen op {nl}. "
        "Dat kan hier: https://example.com/check-in",
        "Beste Anna de Vries, het boarden voor uw vlucht KL1002 naar Londen is begonnen. "
        "Kijk op de schermen voor uw gate.",
        "Beste Anna de Vries, uw vlucht KL1002 naar Londen is vertraagd. Nieuwe vertrektijd: "
        "09:30 (was 09:00). Verwachte aankomst: 09:50 lokale tijd. Onze excuses voor het ongemak.",
        "Beste Anna de Vries, het spijt ons, maar uw vlucht KL1002 naar Londen op "
        f"{nl} is geannuleerd. Stuur ons hier een bericht, dan helpen we u verder.",
        "Beste Anna de Vries, het spijt ons, maar uw vlucht KL1002 naar Londen "
        f"op {nl} is geannuleerd. Omboeken kan hier: https://example.com/rebook",
    ]
    assert received("+31612345679") == [
        f"Hoi Bram, je kunt nu inchecken voor vlucht KL1002 naar Londen op {nl}. "
        "Dat kan hier: https://example.com/check-in",
        "Hoi Bram, het boarden voor je vlucht KL1002 naar Londen is begonnen. "
        "Kijk op de schermen voor je gate.",
        "Hoi Bram, je vlucht KL1002 naar Londen is vertraagd. Nieuwe vertrektijd: "
        "09:30 (was 09:00). Verwachte aankomst: 09:50 lokale tijd. Onze excuses voor het ongemak.",
        f"Hoi Bram, het spijt ons, maar je vlucht KL1002 naar Londen op {nl} is geannuleerd. "
        "Stuur ons hier een bericht, dan helpen we je verder.",
        f"Hoi Bram, het spijt ons, maar je vlucht KL1002 naar Londen op {nl} is geannuleerd. "
        "Omboeken kan hier: https://example.com/rebook",
    ]
    assert received("+31612345680") == [
        f"Dear Claire Smith, check-in is now open for flight KL1002 to London on {en}. "
        "Check in here: https://example.com/check-in",
        "Dear Claire Smith, boarding for flight KL1002 to London has started. "
        "Please check the screens for your gate.",
        "Dear Claire Smith, your flight KL1002 to London is delayed. New departure time: 09:30 "
        "(was 09:00). Expected arrival: 09:50 local time. We apologise for the inconvenience.",
        "Dear Claire Smith, we are sorry: your flight KL1002 to London on "
        f"{en} has been cancelled. Send us a message here and we will help you.",
        f"Dear Claire Smith, we are sorry: your flight KL1002 to London on {en} "
        "has been cancelled. You can rebook here: https://example.com/rebook",
    ]
    assert received("+31612345681") == [
        f"Hi Dave, check-in is open for your flight KL1002 to London on {en}. "
        "Check in here: https://example.com/check-in",
        "Hi Dave, boarding for your flight KL1002 to London has started. "
        "Please check the screens for your gate.",
        "Hi Dave, your flight KL1002 to London is delayed. New departure time: 09:30 (was 09:00). "
        "Expected arrival: 09:50 local time. We apologise for the inconvenience.",
        f"Hi Dave, we're sorry: your flight KL1002 to London on {en} has been cancelled. "
        "Send us a message here and we'll help you out.",
        f"Hi Dave, we're sorry: your flight KL1002 to London on {en} has been cancelled. "
        "You can rebook here: https://example.com/rebook",
    ]
    dutch = [
        "De vlucht van Anna naar Londen (KL1002) is vertraagd. "
        "Nieuwe vertrektijd: 09:30 (was 09:00). Verwachte aankomst: 09:50 lokale tijd.",
        f"De vlucht van Anna naar Londen op {nl} (KL1002) is geannuleerd.",
        f"De vlucht van Anna naar Londen op {nl} (KL1002) is geannuleerd.",
    ]
    english = [
        "Anna's flight KL1002 to London is delayed. New departure time: 09:30 (was 09:00). "
        "Expected arrival: 09:50 local time.",
        f"Anna's flight KL1002 to London on {en} has been cancelled.",
        f"Anna's flight KL1002 to London on {en} has been cancelled.",
    ]
    assert received("+31620000001") == dutch and received("+31620000002") == dutch
    assert received("+31620000003") == english and received("+31620000004") == english
