"""The m.me/<page>?ref=<code> opt-in link arrives as a referral carrying the code."""

import pytest

from core.models import InboundMessage
from tests.channels_messenger.conftest import fixture, post_events


@pytest.mark.django_db
def test_link_into_an_existing_thread_stores_the_ref(messenger, client):
    post_events(client, fixture("webhook_referral"))

    referral = InboundMessage.objects.get(kind="referral")
    assert (referral.from_address, referral.payload) == ("8200000000000042", "TFZYXWVUTS98")
    assert referral.raw["referral"]["source"] == "SHORTLINK"


@pytest.mark.django_db
def test_link_opening_a_new_thread_stores_the_get_started_postback_and_the_ref(messenger, client):
    payload = fixture("webhook_two_entries")
    payload["entry"] = payload["entry"][1:]
    payload["entry"][0]["messaging"] = payload["entry"][0]["messaging"][:1]

    post_events(client, payload)

    kinds = {
        row.kind: row.payload
        for row in InboundMessage.objects.filter(from_address="7130088127765001")
    }
    assert kinds == {"postback": "GET_STARTED", "referral": "TFABCDEFGH23"}


@pytest.mark.django_db
def test_ref_inside_a_message_is_stored_next_to_the_message(messenger, client):
    post_events(client, fixture("webhook_message_with_referral"))

    rows = {row.kind: row for row in InboundMessage.objects.filter(from_address="8200000000000077")}
    assert rows["message"].text == "Hello"
    assert rows["referral"].payload == "TFQRSTUVWX45"


@pytest.mark.django_db
def test_two_different_links_from_one_person_are_two_referrals(messenger, client):
    first = fixture("webhook_referral")
    second = fixture("webhook_referral")
    second["entry"][0]["messaging"][0]["referral"]["ref"] = "TFSECONDCODE"

    post_events(client, first)
    post_events(client, second)

    assert set(InboundMessage.objects.values_list("payload", flat=True)) == {
        "TFZYXWVUTS98",
        "TFSECONDCODE",
    }
