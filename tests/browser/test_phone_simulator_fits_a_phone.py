"""The phone simulator on a 390 px phone: nothing sticks out sideways, a template reads as text
(not its HX id), its links can be tapped, and typing as the person works.

Its own web process: the simulator needs every channel on the sandbox, unlike the shared server
of the other browser tests, which talks to fake Twilio and Meta.
"""

import subprocess
import time

import httpx
import pytest
from django.core.management import call_command

from tests.browser.conftest import BIN, ROOT, TIMEOUT_MS, wait_for, web_env
from tests.e2e.conftest import _free_port

PHONE = {"width": 390, "height": 844}
CREDENTIALS = (
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_WHATSAPP_FROM",
    "MESSENGER_PAGE_ID",
    "MESSENGER_PAGE_ACCESS_TOKEN",
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
)


class _NoProviders:
    base_url = "http://127.0.0.1:9"

    class config:  # noqa: N801 - read like FakeProviders.config by stack_env
        twilio_account_sid = twilio_auth_token = messenger_page_id = ""
        messenger_page_token = messenger_app_secret = ""


@pytest.fixture(scope="module")
def sandbox_web(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = web_env(redis_url=settings.REDIS_URL, web_url=url, fake=_NoProviders())
    env = {k: v for k, v in env.items() if k not in CREDENTIALS and k != "SANDBOX_ENABLED"}
    log = tmp_path_factory.mktemp("sandbox-web") / "web.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url + "/accounts/login/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError("web process did not come up\n" + log.read_text(errors="replace"))
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def phone(browser, sandbox_web, transactional_db):
    from notifications.catalogue import load_defaults
    from notifications.models import MessageTemplate

    load_defaults(MessageTemplate)  # transactional tests flush it with every other table
    call_command("demo_seed", stdout=open("/dev/null", "w"))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(sandbox_web + "/accounts/login/?next=/sandbox/phone/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "thuisfront-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/sandbox/phone/*/")
    yield page
    context.close()


def overflow(page) -> int:
    """How many pixels the page sticks out to the right (0 = fits the screen)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_simulator_fits_a_390_px_phone(phone, sandbox_web):
    from core.models import ContactPoint

    for address in ("+31612345678", "demo-psid-sophie"):
        phone.goto(f"{sandbox_web}/sandbox/phone/{ContactPoint.objects.get(address=address).pk}/")
        assert overflow(phone) == 0, address
        # The chat and its composer are on the first screen, not below the list of people.
        send = phone.locator(".composer button[type=submit]").evaluate(
            "b => { const r = b.getBoundingClientRect(); return {left: "
            "r.left + scrollX, right: r.right + scrollX, bottom: r.bottom + scrollY}; }"
        )
        assert send["left"] >= 0 and send["right"] <= PHONE["width"]
        assert send["bottom"] <= PHONE["height"], address
    phone.goto(sandbox_web + "/sandbox/operator/")
    assert overflow(phone) == 0


def test_a_template_reads_as_its_text_with_links_to_tap(phone):
    chat = phone.locator("#chat")
    confirmation = chat.locator(".bubble", has_text="uw boeking DEMO01 is bevestigd")

    assert confirmation.inner_text().startswith(
        "template\nBeste Anna de Vries, uw boeking DEMO01 is bevestigd: KL1001"
    )
    assert "HX" not in chat.inner_text()
    link = confirmation.locator("a[href^='https://wa.me/']")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.inner_text() == link.get_attribute("href")


def test_typing_as_anna_on_a_narrow_screen(phone):
    phone.fill("#composer-text", "Is mijn vlucht op tijd?")
    phone.press("#composer-text", "Enter")

    mine = phone.locator("#chat .bubble.mine", has_text="Is mijn vlucht op tijd?")
    mine.wait_for()
    assert phone.input_value("#composer-text") == ""
    wait_for(lambda: overflow(phone) == 0, message="the page grew sideways after sending")
