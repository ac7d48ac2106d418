"""In the phone simulator at 390 px, Noor (DEMO03, not opted in yet) opens the own opt-in link
from her booking confirmation page on a new Messenger identity: the page follows her there, and
once Thuisfront has linked the chat it is Noor's phone, with the confirmation in it."""

from tests.browser.test_phone_simulator_fits_a_phone import (  # noqa: F401 - fixtures
    overflow,
    phone,
    sandbox_web,
)


def test_noor_opens_her_own_messenger_link_as_a_new_person(phone):
    from core.models import ContactPoint, Passenger

    noor = Passenger.objects.get(booking__reference="DEMO03")
    own = phone.locator(".own-opt-in details[open]")
    assert own.locator("summary").inner_text().split("\n")[0].startswith("Noor Visser")
    assert f"m.me/thuisfront.demo?ref={noor.opt_in_code}" in own.inner_text()
    assert overflow(phone) == 0

    own.get_by_role("button", name="Open as a new Messenger user").click()

    phone.locator(".phone-header .subtitle", has_text="Noor Visser's phone").wait_for()
    bubbles = phone.locator("#chat .bubble.theirs")
    bubbles.filter(has_text="Beste Noor Visser, u bent aangemeld.").wait_for()
    chat = ContactPoint.objects.get(customer_id=noor.customer_id, channel="messenger")
    assert phone.url.endswith(f"/sandbox/phone/{chat.pk}/")
    noors_page = phone.locator(".confirmation", has_text="Noor Visser")
    assert "opted in on Messenger" in noors_page.inner_text()
    assert overflow(phone) == 0
