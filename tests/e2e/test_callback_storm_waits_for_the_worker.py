"""A storm of Twilio status callbacks on the real web process while no worker runs: every one is
answered at once and stored; the worker, once started, applies them all, and the counts are
true (out of order, each twice, an opt-out and an unreachable number among them)."""

import random
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from twilio.request_validator import RequestValidator

from core.models import ContactPoint
from core.services import api_key_create
from notifications.models import Delivery, DeliveryStatus, StatusReport
from tests import clock
from tests.delivery_engine.recipients import recipients_load
from tests.e2e.conftest import wait_until
from tests.fakes.providers import FakeConfig

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What Twilio reports for each message (with its error code), and where the delivery must end.
STORIES = [
    ([("sent", ""), ("delivered", ""), ("read", "")], DeliveryStatus.READ),
    ([("sent", ""), ("delivered", "")], DeliveryStatus.DELIVERED),
    ([("sent", "")], DeliveryStatus.SENT),
    ([("sent", ""), ("undelivered", "63016")], DeliveryStatus.UNDELIVERED),
    ([("failed", "21610")], DeliveryStatus.FAILED),  # unsubscribed: her opt-out
    ([("failed", "63003")], DeliveryStatus.FAILED),  # not on WhatsApp: unreachable
]
PER_STORY = 5


def _post(stack, delivery: Delivery, status: str, code: str) -> httpx.Response:
    path = f"/webhooks/whatsapp/twilio/status/?d={delivery.pk}"
    form = {
        "MessageSid": delivery.provider_message_id,
        "MessageStatus": status,
        "AccountSid": stack.fake.config.twilio_account_sid,
        "From": "whatsapp:+31850000000",
        "To": "whatsapp:" + delivery.contact_point.address,
        "ApiVersion": "2010-04-01",
    }
    if code:
        form["ErrorCode"] = code
    signature = RequestValidator(stack.fake.config.twilio_auth_token).compute_signature(
        stack.web_url + path, form
    )
    return httpx.post(
        stack.web_url + path, data=form, headers={"X-Twilio-Signature": signature}, timeout=10
    )


def test_callbacks_stored_while_no_worker_runs_are_applied_once_it_is_up(make_stack):
    stack = make_stack(config=FakeConfig(callbacks=()))
    recipients_load(n=len(STORIES) * PER_STORY)
    _, key = api_key_create(name="storm")
    api = httpx.Client(
        base_url=stack.web_url + "/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=10
    )
    service, day = clock.TRIP.split("/")
    event = api.post(
        f"/trips/{service}/{day}/events",
        headers={"Idempotency-Key": "storm-1"},
        json={"type": "delayed", "estimated_departure": clock.iso(10, 20)},
    )
    assert event.status_code == 202, event.text
    event_id = event.json()["id"]
    mine = Delivery.objects.filter(event_id=event_id).select_related("contact_point")
    wait_until(
        lambda: mine.exclude(provider_message_id="").count() == len(STORIES) * PER_STORY,
        message="the fan-out did not reach Twilio\n" + stack.logs(),
    )
    stack.stop("worker")

    deliveries = list(mine.order_by("contact_point__address"))
    reports, expected = [], {}
    for n, delivery in enumerate(deliveries):
        story, final = STORIES[n % len(STORIES)]
        expected[delivery.pk] = final
        reports += [(delivery, status, code) for status, code in story] * 2
    random.Random(14).shuffle(reports)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda r: _post(stack, *r), reports))
    assert [a.status_code for a in answers] == [204] * len(reports)
    # Stored, not applied: no worker runs.
    assert StatusReport.objects.count() == len(reports)
    assert set(mine.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}

    stack.start_worker()
    wait_until(
        lambda: not StatusReport.objects.exists(),
        message="the stored callbacks were not applied\n" + stack.logs(),
    )
    for delivery in mine:
        assert delivery.status == expected[delivery.pk], delivery.contact_point.address
        if expected[delivery.pk] == DeliveryStatus.READ:
            assert delivery.sent_at and delivery.delivered_at and delivery.read_at
    counts = api.get(f"/events/{event_id}").json()["deliveries"]
    assert counts == {
        "pending": 0,
        "sent": PER_STORY,
        "delivered": PER_STORY,
        "read": PER_STORY,
        "failed": 3 * PER_STORY,
    }
    unsubscribed = [d for n, d in enumerate(deliveries) if n % len(STORIES) == 4]
    not_on_whatsapp = [d for n, d in enumerate(deliveries) if n % len(STORIES) == 5]
    for delivery in unsubscribed:
        cp = ContactPoint.objects.get(pk=delivery.contact_point_id)
        assert not cp.opted_in and cp.opted_out_at is not None and cp.unreachable_at is None
    for delivery in not_on_whatsapp:
        cp = ContactPoint.objects.get(pk=delivery.contact_point_id)
        assert cp.unreachable_at is not None and cp.unreachable_code == "63003"
    failed = Delivery.objects.get(pk=unsubscribed[0].pk)
    assert failed.error_code == "21610" and "unsubscribed" in failed.error_message


def test_the_async_webhooks_refuse_unsigned_requests_and_answer_twilio(make_stack):
    stack = make_stack(worker=False)
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "MessageStatus": "delivered"}
    for path in ("/webhooks/whatsapp/twilio/status/", "/webhooks/whatsapp/twilio/"):
        unsigned = httpx.post(stack.web_url + path, data=form, timeout=10)
        assert (unsigned.status_code, unsigned.text) == (403, "missing X-Twilio-Signature")
        forged = httpx.post(
            stack.web_url + path, data=form, headers={"X-Twilio-Signature": "AAAA"}, timeout=10
        )
        assert (forged.status_code, forged.text) == (403, "invalid X-Twilio-Signature")
    # A host this site does not serve is refused before the signature is looked at.
    elsewhere = httpx.post(
        stack.web_url + "/webhooks/whatsapp/twilio/status/",
        data=form,
        headers={"Host": "evil.example", "X-Twilio-Signature": "AAAA"},
        timeout=10,
    )
    assert elsewhere.status_code == 400
    assert not StatusReport.objects.exists()

    answer = stack.fake.whatsapp_inbound(
        from_number="+31612345678", body="Is mijn vlucht vertraagd?", profile_name="Anna"
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert answer.text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
