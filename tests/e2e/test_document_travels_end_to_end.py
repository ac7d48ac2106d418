"""A boarding pass the whole way, on real processes: API → PDF → the signed link fetched by the
(fake) provider over HTTP → signed status callbacks; on WhatsApp inside the window (MediaUrl),
outside it (the approved media template, whose URL Twilio fills in itself) and on Messenger."""

import httpx
import pytest

from core.models import ContactPoint
from notifications.catalogue import sandbox_template_id
from tests import clock
from tests.documents.conftest import bcbp, scanned
from tests.e2e.conftest import wait_until
from tests.e2e.test_trip_event_travels_end_to_end import BOOKING, _api_key
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _document(api, passenger: str, name: str, seat: str = "012A") -> dict:
    body = {
        "passenger": passenger,
        "trip": clock.TRIP,
        "kind": "boarding_pass",
        "gate": "D7",
        "barcode": bcbp(name=name, seat=seat),
    }
    response = api.post("/bookings/ABC123/documents", json=body)
    assert response.status_code == 202, response.text
    return response.json()


def _delivery_status(api, document_id: str) -> str:
    return api.get(f"/documents/{document_id}").json()["deliveries"][0]["status"]


def test_boarding_pass_reaches_whatsapp_and_messenger(make_stack):
    config = FakeConfig()
    stack = make_stack(config=config)
    fake = stack.fake
    # Twilio holds the approved media template's URL; only its path is a variable ({{6}}).
    sid = sandbox_template_id("whatsapp", "boarding_pass", "nl", "formal")
    config.media_templates[sid] = stack.web_url + "/{{6}}"
    api = httpx.Client(
        base_url=stack.web_url + "/api/v1",
        headers={"Authorization": f"Bearer {_api_key(stack)}"},
        timeout=10,
    )
    assert api.put("/bookings/ABC123", json=BOOKING).status_code == 201
    fake.wait_for(2)  # the booking confirmations

    # Outside the window: the media template; Twilio fetches the file it names.
    outside = _document(api, "P1", "DEVRIES/ANNA")
    send = fake.wait_for(2, "twilio")[-1]  # after the booking confirmation
    assert send.form["ContentSid"] == sid and "MediaUrl" not in send.form
    fetched = wait_until(lambda: [f for f in fake.fetched if f.provider == "twilio"], 20)[0]
    assert fetched.status == 200 and fetched.content_type == "application/pdf"
    assert fetched.content_disposition == 'inline; filename="instapkaart-KL1001.pdf"'
    assert scanned(fetched.body).text == bcbp(name="DEVRIES/ANNA")
    wait_until(lambda: _delivery_status(api, outside["id"]) == "delivered", 20)
    detail = api.get(f"/documents/{outside['id']}").json()
    assert detail["first_fetched_at"] is not None and detail["deliveries"][0]["template"]

    # Anna writes: inside the window a seat change goes as MediaUrl with its caption.
    assert fake.whatsapp_inbound(from_number="+31612345678", body="Mijn stoel?").status_code == 200
    wait_until(lambda: _inside_window("+31612345678"), 20, message="inbound not processed")
    inside = _document(api, "P1", "DEVRIES/ANNA", seat="014C")
    assert inside["replaces"] == outside["id"]
    send = wait_until(lambda: [r for r in fake.sent("twilio") if r.form.get("MediaUrl")], 20)[0]
    assert send.form["Body"].startswith("Beste Anna de Vries, hier is uw instapkaart")
    assert "Stoel 14C" in send.form["Body"]
    wait_until(lambda: len([f for f in fake.fetched if f.provider == "twilio"]) == 2, 20)
    wait_until(lambda: _delivery_status(api, inside["id"]) == "delivered", 20)
    assert httpx.get(fetched.url).status_code == 410  # the old link says it was replaced

    # Messenger inside the window: the file as an attachment (Meta fetches it), then its caption.
    assert fake.messenger_inbound(psid="6543210987654321", text="hi").status_code == 200
    wait_until(lambda: _inside_window("6543210987654321"), 20, message="inbound not processed")
    sophie = _document(api, "P2", "JANSEN/SOPHIE")
    wait_until(lambda: [f for f in fake.fetched if f.provider == "messenger"], 20)
    [file] = [r for r in fake.sent("messenger") if "attachment" in r.json.get("message", {})]
    assert file.json["message"]["attachment"]["type"] == "file"
    wait_until(lambda: _delivery_status(api, sophie["id"]) in ("sent", "delivered"), 20)


def _inside_window(address: str) -> bool:
    return ContactPoint.objects.filter(address=address, last_inbound_at__isnull=False).exists()
