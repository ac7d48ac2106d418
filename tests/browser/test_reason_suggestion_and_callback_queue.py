"""The agent sees the suggested contact reason and accepts it in one click; the call-backs queue
lists the person's call with its time and records it as done."""

from pathlib import Path

from contact_reasons import dataset, learning, services
from contact_reasons.models import ReasonLabel, ReasonModel
from tests.browser.conftest import make_agent
from tests.webcare_inbox.conftest import receive
from webcare_inbox.callbacks import callback_request
from webcare_inbox.models import CallbackRequest, Conversation

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _model() -> None:
    rows = dataset.rows("train")
    pipeline = learning.fit([r["text"] for r in rows], [r["reason"] for r in rows])
    ReasonModel.objects.create(
        version=1, examples=len(rows), seconds=1.0, blob=learning.dumps(pipeline)
    )


def test_suggestion_chip_is_one_click_and_the_queue_records_the_call(stack, login, make_booking):
    make_booking("RSN001", [("P1", "Bram", "Smit", "en", "informal", "+31612340000")])
    _model()
    receive("My suitcase never arrived in Malaga, the belt was empty", address="+31612340000")
    conversation = Conversation.objects.get()
    prediction = services.conversation_predict(conversation_id=conversation.pk)
    assert prediction.reason == "baggage"
    page = login(make_agent("agnes"), f"/inbox/c/{conversation.pk}/")

    chip = page.locator("#reason-accept")
    assert chip.inner_text().startswith("baggage · ")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#thread-head").screenshot(path=str(SHOTS / "contact-reason-suggestion.png"))
    chip.click()
    page.locator("#reason-set", has_text="baggage").wait_for()
    label = ReasonLabel.objects.get(conversation=conversation)
    assert (label.reason, label.source) == ("baggage", "accepted")

    callback_request(conversation=conversation, actor=None, text="call me tomorrow at 10am")
    callback = CallbackRequest.objects.get()
    page.goto(stack.url + "/inbox/callbacks/")
    row = page.locator(f"#callback-{callback.pk}")
    assert "+31612340000" in row.inner_text() and "Bram" in row.inner_text()
    assert page.inner_text("#count-scheduled") == "1"
    page.screenshot(path=str(SHOTS / "callbacks-queue.png"), full_page=True)
    row.locator("button[value=done]").click()
    page.locator("#count-done", has_text="1").wait_for()
    assert page.locator(f"#callback-{callback.pk}").count() == 0
