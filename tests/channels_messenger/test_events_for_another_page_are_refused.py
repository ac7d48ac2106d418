"""A signed POST is ours only for our page: events for another page are refused and stored
nowhere; a body nested far deeper than any of Meta's events is a 400, never a 500."""

import json

import pytest

from core.models import ContactPoint, InboundMessage
from tests.channels_messenger.conftest import PAGE_ID, now_ms, post_events


def message_event(page: str, psid: str, text: str) -> dict:
    item = {
        "sender": {"id": psid},
        "recipient": {"id": page},
        "timestamp": now_ms(),
        "message": {"mid": f"m_{psid}_{page}", "text": text},
    }
    return {"object": "page", "entry": [{"id": page, "time": now_ms(), "messaging": [item]}]}


@pytest.mark.django_db
def test_events_for_another_page_are_refused(client, messenger):
    response = post_events(client, message_event("999999999999", "psid-stranger", "hallo"))

    assert response.status_code == 403
    assert "not for this page" in response.json()["error"]
    assert not InboundMessage.objects.exists() and not ContactPoint.objects.exists()


@pytest.mark.django_db
def test_only_our_pages_entries_of_a_mixed_post_are_taken(client, messenger):
    ours = message_event(PAGE_ID, "psid-ours", "van onze pagina")
    theirs = message_event("999999999999", "psid-theirs", "van een andere pagina")
    ours["entry"] += theirs["entry"]

    assert post_events(client, ours).status_code == 200

    assert list(InboundMessage.objects.values_list("from_address", flat=True)) == ["psid-ours"]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [100, 5000, 100_000])
def test_deeply_nested_json_is_a_400(client, messenger, depth):
    payload = message_event(PAGE_ID, "psid-deep", "diep")
    body = json.dumps(payload)[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"

    response = post_events(client, body.encode())

    assert response.status_code == 400
    assert not InboundMessage.objects.exists()
