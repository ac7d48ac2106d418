"""GET /webhooks/messenger/: Meta's subscription handshake."""

import pytest

URL = "/webhooks/messenger/"


def handshake(client, token, mode="subscribe"):
    return client.get(
        URL, {"hub.mode": mode, "hub.verify_token": token, "hub.challenge": "1158201444"}
    )


def test_right_token_echoes_the_challenge(messenger, client):
    response = handshake(client, "verify-me")

    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("token", "mode"), [("wrong", "subscribe"), ("", "subscribe"), ("verify-me", "unsubscribe")]
)
def test_wrong_token_or_mode_is_forbidden(messenger, client, token, mode):
    response = handshake(client, token, mode)

    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_without_a_verify_token_configured_nothing_verifies(settings, client):
    settings.MESSENGER_VERIFY_TOKEN = ""

    assert handshake(client, "").status_code == 403
