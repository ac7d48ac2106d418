"""An inbound message is stored once, however often Twilio delivers it, with what we need of it."""

import pytest

from channels_whatsapp.webhooks import accept_inbound
from core.models import InboundMessage
from tests.channels_whatsapp.conftest import INBOUND_PATH, load, post_twilio

pytestmark = pytest.mark.django_db


def test_twilio_retrying_a_message_stores_it_once(client, twilio):
    form = load("inbound_text")

    first = post_twilio(client, INBOUND_PATH, form)
    again = post_twilio(client, INBOUND_PATH, form)

    assert (first.status_code, again.status_code) == (200, 200)
    assert InboundMessage.objects.count() == 1


def test_text_message_is_parsed(client, twilio):
    post_twilio(client, INBOUND_PATH, load("inbound_text"))

    row = InboundMessage.objects.get()
    assert (row.channel, row.provider_message_id) == (
        "whatsapp",
        "SM5c0f8d9e2b7a4f1c9e3d6a8b0c2e4f61",
    )
    assert (row.from_address, row.provider_user_id, row.profile_name) == (
        "+31612345678",
        "31612345678",
        "Anna de Vries",
    )
    assert row.text == "Hoe laat vertrekt mijn vlucht?"
    assert row.media == [] and row.payload == ""
    assert row.raw["To"] == "whatsapp:+31850000000"


def test_media_are_kept_in_order_with_their_types(client, twilio):
    post_twilio(client, INBOUND_PATH, load("inbound_media"))

    row = InboundMessage.objects.get()
    assert row.text == "Mijn koffer is beschadigd"
    assert [m["content_type"] for m in row.media] == ["image/jpeg", "application/pdf"]
    assert row.media[0]["url"].endswith("/Media/ME0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    assert row.media[1]["url"].endswith("/Media/ME1a2b3c4d5e6f708192a3b4c5d6e7f809")


def test_a_username_user_is_known_by_the_business_scoped_id(client, twilio):
    post_twilio(client, INBOUND_PATH, load("inbound_username"))

    row = InboundMessage.objects.get()
    assert row.provider_user_id == "NL.8823641057719302"
    assert row.from_address == "NL.8823641057719302"  # no phone number to normalise
    assert row.text == "TFABCDEFGHJK"


def test_a_button_reply_keeps_its_payload_and_what_it_answered(client, twilio):
    post_twilio(client, INBOUND_PATH, load("inbound_button"))

    row = InboundMessage.objects.get()
    assert (row.payload, row.text) == ("talk_to_agent", "Spreek een medewerker")
    assert row.provider_user_id == "NL.1502576394655843"  # preferred over WaId
    assert row.from_address == "+31612345678"
    assert row.raw["OriginalRepliedMessageSid"] == "SMf00dfeedf00dfeedf00dfeedf00dfeed"


@pytest.mark.parametrize(
    ("missing", "named"),
    [("MessageSid", "missing field: MessageSid"), ("From", "missing field: From")],
)
def test_a_form_without_sender_or_id_is_refused_by_name(client, twilio, missing, named):
    form = {k: v for k, v in load("inbound_text").items() if k != missing}

    response = post_twilio(client, INBOUND_PATH, form)

    assert response.status_code == 400
    assert response.content.decode() == named
    assert not InboundMessage.objects.exists()


def test_the_simulator_path_stores_the_same_row_from_a_plain_dict():
    row, created = accept_inbound(load("inbound_text"))
    again, created_again = accept_inbound(load("inbound_text"))

    assert (created, created_again) == (True, False) and again.pk == row.pk
    assert row.from_address == "+31612345678"
