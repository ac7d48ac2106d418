"""After five wrong passwords the login page says the account is locked for a while, and even the
right password does not get in until then."""

from pathlib import Path

from tests.browser.conftest import PASSWORD, TIMEOUT_MS, make_agent

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_login_is_throttled_after_wrong_passwords(browser, stack):
    agent = make_agent("guessed")
    context = browser.new_context(viewport={"width": 1024, "height": 640})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        for attempt in range(6):
            page.goto(stack.url + "/accounts/login/")
            page.fill("#id_username", agent.username)
            page.fill("#id_password", f"wrong-{attempt}")
            page.click("button[type=submit]")
        assert "Too many wrong passwords" in page.inner_text("body")

        page.goto(stack.url + "/accounts/login/")
        page.fill("#id_username", agent.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_response(lambda r: r.url.endswith("/accounts/login/")) as answer:
            page.click("button[type=submit]")
        assert answer.value.status == 429
        assert "Too many wrong passwords" in page.inner_text("h1")
        page.screenshot(path=str(SHOTS / "login-locked.png"))
    finally:
        context.close()
