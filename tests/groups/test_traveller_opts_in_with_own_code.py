"""A passenger's own opt-in link or code (the booking confirmation page) links that chat to them:
the same person as in the booking, consent recorded with its source, a confirmation in their
words, and their own trip messages there from then on. The relatives' invitation stays apart."""

import pytest

from core.models import ConsentRecord, ContactPoint, Customer, Passenger
from tests import clock
from tests.groups.conftest import forget_sent, received
from update_groups.models import GroupMembership
from webcare_inbox.models import Conversation

PSID = "7130088127765001"
ANNA = "+31612345678"
ANNA_NEW_PHONE = "+31699887766"
MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _day(months: list[str]) -> str:
    day = clock.day(1)
    return f"{day.day} {months[day.month - 1]}"


CONFIRMATIONS = {
    ("nl", "formal"): (
        "Beste Anna de Vries, u bent aangemeld. Vanaf nu krijgt u hier de berichten "
        "over uw reis: KL1001 van Amsterdam naar Londen op {nl_day}, vertrek 09:00. "
        "Wilt u dat familie ook hoort wanneer u vertrekt en landt? "
        "Stuur hun uw code {code}. Stuur STOP als u deze berichten niet meer wilt ontvangen."
    ),
    ("nl", "informal"): (
        "Hoi Anna, je bent aangemeld. Vanaf nu krijg je hier de berichten over "
        "je reis: KL1001 van Amsterdam naar Londen op {nl_day}, vertrek 09:00. "
        "Wil je dat familie ook hoort wanneer je vertrekt en landt? "
        "Stuur ze je code {code}. Stuur STOP als je deze berichten niet meer wilt."
    ),
    ("en", "formal"): (
        "Dear Anna de Vries, you are signed up. From now on you will get the messages "
        "about your trip here: KL1001 from Amsterdam to London on {en_day}, departing 09:00. "
        "Would you like family to hear when you depart and land? "
        "Send them your code {code}. Reply STOP if you no longer want these messages."
    ),
    ("en", "informal"): (
        "Hi Anna, you're signed up. From now on you'll get your trip messages here: "
        "KL1001 from Amsterdam to London on {en_day}, departing 09:00. "
        "Want family to hear when you take off and land? Send them your code {code}. "
        "Reply STOP if you don't want these messages any more."
    ),
}
DELAYS = {
    ("nl", "formal"): (
        "Beste Anna de Vries, uw vlucht KL1001 naar Londen is vertraagd. "
        "Nieuwe vertrektijd: 10:15 (was 09:00)"
    ),
    (
        "nl",
        "informal",
    ): "Hoi Anna, je vlucht KL1001 naar Londen is vertraagd. Nieuwe vertrektijd: 10:15 (was 09:00)",
    ("en", "formal"): (
        "Dear Anna de Vries, your flight KL1001 to London is delayed. "
        "New departure time: 10:15 (was 09:00)"
    ),
    (
        "en",
        "informal",
    ): "Hi Anna, your flight KL1001 to London is delayed. New departure time: 10:15 (was 09:00)",
}


def booking(language="nl", formality="formal", contacts=()) -> dict:
    """Anna on the suite's KL1001 tomorrow; `contacts` as the booking engine sends them."""
    return {
        "passengers": [
            {
                "id": "P1",
                "given_name": "Anna",
                "family_name": "de Vries",
                "language": language,
                "formality": formality,
                "contacts": list(contacts),
            },
        ],
        "segments": [
            clock.flight_segment(["P1"]),
        ],
    }


def _delay(api, key="evt-delay"):
    return api.post_event(
        {"type": "delayed", "estimated_departure": clock.iso(10, 15)}, key=key, trip=clock.TRIP
    )


@pytest.mark.parametrize("language, formality", sorted(CONFIRMATIONS))
@pytest.mark.django_db(transaction=True)
def test_own_messenger_link_makes_the_chat_the_passengers(phones, api, language, formality):
    # The NS International case: booked without any chat address, opts in on the confirmation page.
    passenger = api.put_booking("OWN001", booking(language, formality)).json()["passengers"][0]
    forget_sent()

    phones.open_link(PSID, passenger["opt_in_code"])

    expected = CONFIRMATIONS[(language, formality)].format(
        code=passenger["follow_code"], nl_day=_day(MONTHS_NL), en_day=_day(MONTHS_EN)
    )
    assert received(PSID) == [expected]
    anna = Passenger.objects.get(booking__reference="OWN001").customer
    assert ContactPoint.objects.get(address=PSID).customer == anna
    assert Customer.objects.count() == 1  # not a new person
    [consent] = ConsentRecord.objects.filter(contact_point__address=PSID)
    assert consent.action == "opt_in"
    assert consent.source == "own opt-in code of passenger OWN001/P1, opened the m.me link"
    assert not GroupMembership.objects.exists()  # not a follower of her own trip
    answer = api.get("/bookings/OWN001").json()["passengers"][0]
    assert answer["contacts"] == [
        {"channel": "messenger", "address": PSID, "opt_in": True, "opted_out_at": None}
    ]
    forget_sent()

    assert _delay(api).json()["recipients"] == 1
    [delay] = received(PSID)
    assert delay.startswith(DELAYS[(language, formality)])


@pytest.mark.django_db(transaction=True)
def test_own_link_opening_a_new_thread_confirms_once_and_opens_no_conversation(phones, api):
    passenger = api.put_booking("OWN002", booking()).json()["passengers"][0]
    forget_sent()

    phones.open_link(PSID, passenger["opt_in_code"], new_thread=True)

    [confirmation] = received(PSID)
    assert confirmation.startswith("Beste Anna de Vries, u bent aangemeld.")
    assert ContactPoint.objects.get(address=PSID).opted_in
    assert not Conversation.objects.exists()  # the Get Started tap is part of the opt-in


@pytest.mark.django_db(transaction=True)
def test_own_code_sent_on_whatsapp_from_another_number_moves_her_messages_there(phones, api):
    contact = {"channel": "whatsapp", "address": ANNA, "opt_in": True}
    passenger = api.put_booking("OWN003", booking("en", "informal", [contact])).json()[
        "passengers"
    ][0]
    forget_sent()

    phones.whatsapp(ANNA_NEW_PHONE, f"this is my new number {passenger['opt_in_code'].lower()}")

    [confirmation] = received(ANNA_NEW_PHONE)
    assert confirmation.startswith(
        "Hi Anna, you're signed up. From now on you'll get your trip messages here:"
    )
    anna = Passenger.objects.get(booking__reference="OWN003").customer
    assert set(anna.contact_points.values_list("address", "opted_in")) == {
        (ANNA, True),
        (ANNA_NEW_PHONE, True),
    }
    assert Customer.objects.count() == 1
    forget_sent()

    assert _delay(api).json()["recipients"] == 1
    assert received(ANNA) == []
    [delay] = received(ANNA_NEW_PHONE)
    assert delay.startswith(DELAYS[("en", "informal")])


@pytest.mark.django_db(transaction=True)
def test_someone_who_wrote_before_becomes_the_passenger_with_their_conversation(phones, api):
    phones.messenger(PSID, "Hallo, krijg ik hier mijn reisberichten?")
    [conversation] = Conversation.objects.all()
    passenger = api.put_booking("OWN004", booking()).json()["passengers"][0]
    forget_sent()

    phones.open_link(PSID, passenger["opt_in_code"])

    anna = Passenger.objects.get(booking__reference="OWN004").customer
    assert Customer.objects.get() == anna  # the person from the chat merged into the passenger
    conversation.refresh_from_db()
    assert conversation.customer == anna and conversation.contact_point.customer == anna
    assert received(PSID)[0].startswith("Beste Anna de Vries, u bent aangemeld.")


@pytest.mark.django_db(transaction=True)
def test_relatives_join_with_the_invitation_and_never_with_the_own_link(phones, api):
    passenger = api.put_booking("OWN005", booking()).json()["passengers"][0]
    assert passenger["opt_in_code"] != passenger["follow_code"]
    assert passenger["opt_in_links"]["messenger"].endswith(f"?ref={passenger['opt_in_code']}")
    assert passenger["invitation_links"]["messenger"].endswith(f"?ref={passenger['follow_code']}")
    truus = "7130088127765002"
    forget_sent()

    phones.open_link(truus, passenger["follow_code"])
    phones.open_link(PSID, passenger["opt_in_code"])

    [membership] = GroupMembership.objects.all()
    assert membership.contact_point.address == truus
    assert received(truus)[0].startswith("U volgt nu de reis van Anna:")
    anna = Passenger.objects.get(booking__reference="OWN005").customer
    assert ContactPoint.objects.get(address=PSID).customer == anna
    assert ContactPoint.objects.get(address=truus).customer != anna


@pytest.mark.django_db(transaction=True)
def test_traveller_who_followed_her_own_trip_hears_it_as_the_traveller_after_her_own_link(
    phones, api
):
    passenger = api.put_booking("OWN006", booking()).json()["passengers"][0]
    phones.open_link(PSID, passenger["follow_code"])  # the relatives' link, opened by Anna herself
    assert GroupMembership.objects.get().left_at is None

    phones.open_link(PSID, passenger["opt_in_code"])
    forget_sent()

    membership = GroupMembership.objects.get()
    assert membership.left_reason == "own_trip" and membership.left_at is not None
    assert _delay(api).json()["recipients"] == 1
    [delay] = received(PSID)
    assert delay.startswith(DELAYS[("nl", "formal")])  # the passenger's message, not the family's


@pytest.mark.django_db(transaction=True)
def test_an_own_code_that_matches_no_passenger_gets_the_unknown_code_answer(phones, api):
    api.put_booking("OWN007", booking())
    forget_sent()

    phones.whatsapp(ANNA_NEW_PHONE, "TMABCDEFGH23")

    assert received(ANNA_NEW_PHONE) == [
        "We do not recognise this code. Please check the code you were given and send it again."
    ]
    assert not ContactPoint.objects.get(address=ANNA_NEW_PHONE).opted_in
