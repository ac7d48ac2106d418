"""The phone simulator shows a boarding pass as the phone would: a PDF bubble with a picture of
its first page, the file's name, pages and size, and the caption; tapping it opens the PDF the
provider fetched. The demo's travellers got theirs from `demo_seed` (the documents API's path)."""

from pathlib import Path

from tests.browser.test_phone_simulator_fits_a_phone import (  # noqa: F401
    PHONE,
    overflow,
    phone,
    sandbox_web,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _open_chat(phone, sandbox_web, address: str) -> None:
    from core.models import ContactPoint

    pk = ContactPoint.objects.get(address=address).pk
    phone.goto(f"{sandbox_web}/sandbox/phone/{pk}/")


def test_annas_boarding_pass_is_a_pdf_bubble_with_its_first_page(phone, sandbox_web):
    _open_chat(phone, sandbox_web, "+31612345678")
    bubble = phone.locator("#chat .bubble", has=phone.locator(".document"))
    bubble.wait_for()
    document = bubble.locator(".document")
    assert document.locator(".doc-name").inner_text() == "instapkaart-KL1001.pdf"
    meta = document.locator(".doc-meta").inner_text()
    assert meta.startswith("1 page · PDF · ") and meta.endswith("KB")
    preview = document.locator("img.preview")
    preview.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    assert preview.evaluate("img => img.naturalWidth") == 240
    # Outside the window it came as the approved media template, its caption as the phone reads it.
    assert bubble.locator(".template").is_visible()
    assert "Beste Anna de Vries, hier is uw instapkaart voor vlucht KL1001 naar Londen" in (
        bubble.inner_text()
    )
    assert "Stoel 12A, gate D7" in bubble.inner_text()
    assert overflow(phone) == 0
    bubble.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "phone-simulator-boarding-pass.png"))

    opened = phone.request.get(sandbox_web + document.get_attribute("href"))
    assert opened.status == 200
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.body().startswith(b"%PDF")


def test_sophie_gets_hers_on_messenger_as_a_link_outside_the_window(phone, sandbox_web):
    _open_chat(phone, sandbox_web, "demo-psid-sophie")
    bubble = phone.locator("#chat .bubble", has_text="hier is je instapkaart")
    bubble.wait_for()
    # A utility template cannot carry a file: it links to the signed PDF instead.
    link = bubble.locator("a[href*='/documents/']")
    assert link.get_attribute("href").endswith("/instapkaart-KL1001.pdf")
    assert bubble.locator(".document").count() == 0
