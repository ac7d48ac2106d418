"""A trip update sent to the person whose conversation is open appears in the thread at once,
marked as automated with its tick, and the context panel shows the trip's new status."""

import os

import httpx

from core.services import api_key_create
from tests import clock
from tests.browser.conftest import make_agent, wait_for
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def test_a_delay_appears_in_the_open_thread_and_the_panel(stack, login, make_booking):
    make_booking("LIVE01", [("P1", "Anna", "de Vries", "en", "formal", "+31612345555")])
    receive("Is my flight on time?", address="+31612345555", profile_name="Anna")
    conversation = Conversation.objects.get()
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")
    page.evaluate("window.__notReloaded = true")
    assert "Delayed" not in page.inner_text(".pane-context")

    _, key = api_key_create(name="ops")
    service, date = clock.TRIP.split("/")
    response = httpx.post(
        f"{stack.url}/api/v1/trips/{service}/{date}/events",
        json={
            "type": "delayed",
            "estimated_departure": clock.iso(10, 15),
            "reason": "late arrival of the aircraft",
        },
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "live-delay-1"},
    )
    assert response.status_code == 202, response.text

    item = page.locator("#message-list li.msg-notification", has_text="10:15")
    item.wait_for()
    assert "Delay" in item.inner_text() and clock.TRIP in item.inner_text()
    assert item.locator(".badge-automated").inner_text() == "automated"
    item.locator(".tick.tick-delivered, .tick.tick-read, .tick.tick-sent").wait_for()
    # After the person's question, in time order.
    texts = page.locator("#message-list > li").all_inner_texts()
    assert texts.index(next(t for t in texts if "Is my flight on time?" in t)) < texts.index(
        item.inner_text()
    )

    page.locator(".pane-context .trip", has_text="Delayed").wait_for()
    wait_for(
        lambda: "10:15" in page.inner_text(".pane-context"), message="panel shows the new time"
    )
    assert "Delayed" in page.inner_text("#thread-trip")
    # The panel's list of notifications follows the delivery too (it was pending when the event
    # came).
    wait_for(
        lambda: "pending" not in page.inner_text(".pane-context .deliveries"), message="panel tick"
    )
    assert page.evaluate("window.__notReloaded") is True
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/notification-live.png")
