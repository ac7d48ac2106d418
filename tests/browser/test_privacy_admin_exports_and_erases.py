"""An operator finds a person in the admin, reads everything held about them (the export, with
the consent history), downloads it, and erases them; every page works under the site's CSP."""

from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User

from core.models import Customer
from core.services import ContactIn, PassengerIn, SegmentIn, booking_upsert
from privacy.models import PrivacyRecord
from tests import clock
from tests.browser.conftest import PASSWORD, TIMEOUT_MS

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = "+31612340042"
# Collected in the page: every Content-Security-Policy violation (a blocked script or style).
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def traveller() -> Customer:
    departure = clock.local(9, 0)
    booking_upsert(
        reference="PRV001",
        passengers=[
            PassengerIn(
                pax_id="P1",
                given_name="Hanna",
                family_name="Priveé",
                language="nl",
                formality="formal",
                contacts=[ContactIn(channel="whatsapp", address=PHONE, opt_in=True)],
            )
        ],
        segments=[
            SegmentIn(
                service="KL1001",
                local_date=date.fromisoformat(clock.TRIP.split("/")[1]),
                origin="AMS",
                destination="LHR",
                scheduled_departure=departure,
                scheduled_arrival=departure + timedelta(minutes=80),
                passengers=["P1"],
            )
        ],
    )
    return Customer.objects.get(given_name="Hanna")


def test_operator_reads_the_export_and_erases_the_person(browser, stack):
    hanna = traveller()
    User.objects.create_superuser("ops", password=PASSWORD)
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(stack.url + "/admin/login/?next=/admin/privacy/person/")
        page.fill("#id_username", "ops")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.fill("#searchbar", PHONE)
        page.press("#searchbar", "Enter")
        page.click("text=Hanna Priveé")

        page.wait_for_selector("text=Consent history")
        body = page.inner_text("#content")
        assert "booking PRV001" in body and "opt_in" in body
        assert "core.Passenger (1)" in body and PHONE in body
        page.screenshot(path=str(SHOTS / "admin-person-export.png"), full_page=True)
        with page.expect_download() as download:
            page.click("text=Download JSON")
        assert download.value.suggested_filename == f"person-{hanna.pk}.json"

        page.click("text=Erase this person…")
        page.wait_for_selector("text=It cannot be undone.")
        page.screenshot(path=str(SHOTS / "admin-person-erase.png"))
        page.click("input[type=submit][value^='Erase']")

        page.wait_for_selector(".messagelist")
        assert f"Erased person {hanna.pk}" in page.inner_text(".messagelist")
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
    hanna.refresh_from_db()
    assert hanna.erased_at is not None and hanna.full_name == ""
    assert [(r.action, r.via, r.actor) for r in PrivacyRecord.objects.order_by("at")][-1] == (
        "erase",
        "admin",
        "admin ops",
    )
