"""POST /webhooks/messenger/: only bodies signed with the app secret are accepted."""

import json

import pytest

from core.models import InboundMessage
from tests.channels_messenger.conftest import fixture, post_events, signature


@pytest.mark.django_db
def test_signed_events_are_accepted(messenger, client):
    response = post_events(client, fixture("webhook_referral"))

    assert response.status_code == 200 and response.content == b"EVENT_RECEIVED"
    assert InboundMessage.objects.filter(channel="messenger", kind="referral").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "",
        "sha256=" + "0" * 64,
        signature(b"another body"),
        signature(json.dumps(fixture("webhook_referral")).encode(), secret="someone-elses-secret"),
        signature(json.dumps(fixture("webhook_referral")).encode()).replace("sha256=", "sha1="),
    ],
    ids=["missing", "zeros", "other-body", "other-secret", "wrong-prefix"],
)
def test_missing_or_wrong_signature_is_forbidden_and_nothing_is_stored(messenger, client, header):
    response = post_events(client, fixture("webhook_referral"), header=header)

    assert response.status_code == 403
    assert "X-Hub-Signature-256" in response.json()["error"]
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_a_body_changed_after_signing_is_forbidden(messenger, client):
    body = json.dumps(fixture("webhook_referral")).encode()
    tampered = body.replace(b"TFZYXWVUTS98", b"TFAAAAAAAAAA")

    response = post_events(client, tampered, header=signature(body))

    assert response.status_code == 403 and not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_without_an_app_secret_the_channel_accepts_nothing(messenger, client):
    body = json.dumps(fixture("webhook_referral")).encode()
    header = signature(body)
    messenger.MESSENGER_APP_SECRET = ""

    response = post_events(client, body, header=header)

    assert response.status_code == 403 and not InboundMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"not json {", "not JSON"),
        (json.dumps({"object": "instagram", "entry": []}).encode(), "object must be 'page'"),
        (json.dumps(["page"]).encode(), "object must be 'page'"),
        (json.dumps({"object": "page", "entry": {"id": "1"}}).encode(), "entry must be a list"),
    ],
)
def test_signed_but_malformed_bodies_get_a_400_naming_the_problem(messenger, client, body, problem):
    response = post_events(client, body)

    assert response.status_code == 400
    assert problem in response.json()["error"]
    assert not InboundMessage.objects.exists()
