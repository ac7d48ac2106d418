"""A Dutch agent reads the composer's limit, the notifications in the thread and the stored codes
(status, ticks, form of address, consent) in Dutch."""

import pytest

from tests.webcare_inbox.conftest import make_agent, receive
from tests.webcare_inbox.test_notifications_show_in_the_thread import publish_delay
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_a_dutch_agent_reads_the_thread_in_dutch(client, make_booking):
    make_booking("ABC123")  # Anna de Vries, nl, formal
    receive("Gaat mijn vlucht op tijd?")
    publish_delay()
    client.force_login(make_agent("dirk", language="nl"))
    conversation = Conversation.objects.get()

    page = client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    assert "WhatsApp neemt maximaal 1600 tekens per bericht." in page
    assert "Melding · Vertraging · KL1001/" in page and "Melding · Boekingsbevestiging" in page
    assert 'title="afgeleverd">✓✓' in page and ">automatisch<" in page
    assert 'id="thread-status">open<' in page and "formeel (u, achternaam)" in page
    assert "toestemming gegeven op" in page and ">Vertraagd<" in page
    assert ">vertraging<" in page  # the delivery's kind in the panel's list
    for english in (
        ">Notification",
        'title="delivered"',
        "formal (u, surname)",
        "opted in",
        ">Delayed<",
        "characters",
    ):
        assert english not in page, english


@pytest.mark.django_db(transaction=True)
def test_a_refusal_is_explained_in_dutch(client):
    receive("Hallo")
    client.force_login(make_agent("dirk", language="nl"))
    conversation = Conversation.objects.get()

    response = client.post(f"/inbox/c/{conversation.pk}/reply/", {"text": "x" * 1601}, follow=True)

    assert (
        "Niet verstuurd: dit antwoord telt 1601 tekens en WhatsApp neemt er maximaal 1600 per "
        "bericht. Maak het korter of verstuur het in delen."
    ) in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_dutch_agent_reads_why_automation_handed_over_in_dutch(client):
    receive("Ik wil een medewerker spreken")
    client.force_login(make_agent("dirk", language="nl"))
    conversation = Conversation.objects.get()

    page = client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    assert "Overgedragen door de automatisering: <strong>vroeg om een medewerker</strong>" in page
    assert "asked for a person" not in page.split("<script", 1)[0]
