from datetime import timedelta

import pytest
from django.utils import timezone

from core.messaging import DeliveryError
from core.models import ContactPoint
from notifications.models import Delivery, MessageKind
from notifications.services import message_create, outbound_build


def _delivery(cp, kind, **kw):
    return Delivery.objects.select_related("contact_point", "customer").get(
        pk=message_create(contact_point=cp, kind=kind, **kw).pk
    )


@pytest.mark.django_db
def test_whatsapp_outside_window_gets_the_approved_template(make_booking):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    d = _delivery(cp, MessageKind.OPT_OUT_CONFIRMATION)
    message = outbound_build(d)
    assert message.template is not None and message.template.content_sid.startswith("HX")
    assert message.template.variables == {"1": "Anna de Vries"}
    assert message.text.startswith("Beste Anna de Vries, u ontvangt van ons geen berichten meer")


@pytest.mark.django_db
def test_whatsapp_inside_window_gets_free_text(make_booking):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    cp.last_inbound_at = timezone.now() - timedelta(hours=23)
    cp.save()
    message = outbound_build(_delivery(cp, MessageKind.AGENT_REPLY, text="Uw koffer is gevonden."))
    assert message.template is None and message.text == "Uw koffer is gevonden."


@pytest.mark.django_db
def test_agent_free_text_outside_window_is_refused(make_booking):
    make_booking()
    cp = ContactPoint.objects.get(address="+31612345678")
    cp.last_inbound_at = timezone.now() - timedelta(hours=25)
    cp.save()
    with pytest.raises(DeliveryError) as error:
        outbound_build(_delivery(cp, MessageKind.AGENT_REPLY, text="Hallo"))
    assert error.value.permanent and error.value.code == "window_closed"


@pytest.mark.django_db
def test_messenger_agent_reply_within_seven_days_uses_human_agent_tag(make_booking):
    make_booking(
        channel="messenger", passengers=[("P1", "Sophie", "Jansen", "nl", "informal", "psid-1")]
    )
    cp = ContactPoint.objects.get(address="psid-1")
    cp.last_inbound_at = timezone.now() - timedelta(days=3)
    cp.save()
    message = outbound_build(_delivery(cp, MessageKind.AGENT_REPLY, text="Hoi Sophie"))
    assert (message.messaging_type, message.tag, message.template) == (
        "MESSAGE_TAG",
        "HUMAN_AGENT",
        None,
    )
    automated = _delivery(cp, MessageKind.AUTOMATED_REPLY, text="automatisch antwoord")
    with pytest.raises(DeliveryError):
        outbound_build(automated)  # the tag is for humans only
