"""The webcare inbox shows each document sent: in the thread as an automated notification with
its tick and a link to the PDF, and in the context panel's Documents card with its versions."""

import pytest

from documents.models import Document
from tests.documents.conftest import bcbp, document_body
from tests.webcare_inbox.conftest import agent, agent_client, receive  # noqa: F401
from webcare_inbox.models import Conversation


@pytest.mark.django_db(transaction=True)
def test_a_boarding_pass_and_its_replacement_in_the_thread_and_the_panel(
    make_booking, agent_client, api
):
    make_booking("ABC123")  # Anna de Vries on KL1001 tomorrow
    receive("Waar blijft mijn instapkaart?")
    conversation = Conversation.objects.get()
    first = api.post("/bookings/ABC123/documents", document_body()).json()
    second = api.post(
        "/bookings/ABC123/documents", document_body(seat="14C", barcode=bcbp(seat="014C"))
    ).json()
    new = Document.objects.get(pk=second["id"])

    page = agent_client.get(f"/inbox/c/{conversation.pk}/").content.decode()

    assert page.count('class="msg msg-out msg-automated msg-notification"') >= 2
    assert "Notification · Boarding pass · KL1001/" in page
    assert "hier is uw instapkaart voor vlucht KL1001" in page
    assert f"PDF · {new.filename}" in page
    panel = page[page.index("card documents") :]
    panel = panel[: panel.index("</section>")]
    assert panel.count("<li>") == 2
    assert "seat 14C" in panel and "seat 12A" in panel
    assert "replaced" in panel and "Open PDF" in panel and "WhatsApp" in panel
    assert first["id"] != second["id"]
