"""A seat or gate change: the new document goes out once, the old link says it was replaced,
and the same request again is the same document (nothing sent twice)."""

import pytest
from django.db import transaction
from django.test import Client

from documents.links import document_token
from documents.models import Document
from notifications.models import Delivery
from sandbox.models import SandboxMessage
from tests.documents.conftest import bcbp, document_body, post_document


@pytest.mark.django_db(transaction=True)
def test_a_seat_change_replaces_the_boarding_pass(api, booked):
    first = post_document(api, document_body()).json()
    second = post_document(api, document_body(seat="14C", barcode=bcbp(seat="014C"))).json()
    assert second["replaces"] == first["id"]
    old, new = Document.objects.get(pk=first["id"]), Document.objects.get(pk=second["id"])
    gone = Client().get(f"/documents/{document_token(old)}/{old.filename}")
    assert gone.status_code == 410
    assert "Deze versie is vervangen" in gone.content.decode()
    assert Client().get(f"/documents/{document_token(new)}/{new.filename}").status_code == 200
    sent = SandboxMessage.objects.filter(to="+31612345678").exclude(media_url="")
    assert [m.media_url.rsplit("/", 2)[1] for m in sent] == [
        document_token(old),
        document_token(new),
    ]
    detail = api.get(f"/documents/{first['id']}").json()
    assert detail["state"] == "replaced" and detail["replaced_by"] == second["id"]
    assert detail["url"] is None


@pytest.mark.django_db(transaction=True)
def test_an_unsent_older_version_never_goes_out(api, booked):
    with transaction.atomic():  # both accepted before any worker gets to send the first
        first = post_document(api, document_body()).json()
        second = post_document(api, document_body(gate="E9")).json()
    assert Delivery.objects.get(documents=first["id"]).status == "superseded"
    assert Delivery.objects.get(documents=second["id"]).status in ("queued", "delivered", "sent")
    assert SandboxMessage.objects.exclude(media_url="").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_request_again_is_the_same_document(api, booked):
    first = post_document(api, document_body())
    again = post_document(api, document_body())
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert Document.objects.count() == 1
    assert SandboxMessage.objects.exclude(media_url="").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_api_shows_what_was_sent_to_whom(api, booked):
    accepted = post_document(api, document_body()).json()
    assert accepted["recipients"] == 1
    detail = api.get(f"/documents/{accepted['id']}").json()
    assert detail["state"] == "current"
    assert detail["passenger"] == "P1" and detail["seat"] == "12A" and detail["gate"] == "D7"
    [delivery] = detail["deliveries"]
    assert delivery["channel"] == "whatsapp" and delivery["to"] == "+31612345678"
    assert delivery["kind"] == "boarding_pass"
    assert delivery["status"] in ("queued", "sent", "delivered")
    assert detail["url"].endswith("/instapkaart-KL1001.pdf")
    assert api.get("/documents/not-an-id").status_code == 404
