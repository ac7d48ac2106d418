"""The Content-Security-Policy every page is served with blocks nothing the inbox, the phone
simulator, the admin and the API docs need: no violation is reported while they work."""

import httpx

from tests.browser.conftest import make_agent, wait_for
from tests.browser.test_privacy_admin_exports_and_erases import CSP_WATCH


def test_inbox_simulator_admin_and_docs_report_no_violation(browser, stack, login):
    header = httpx.get(stack.url + "/accounts/login/").headers["content-security-policy"]
    assert "script-src 'self'" in header and "frame-ancestors 'none'" in header

    agent = make_agent("csp-agent", superuser=True)
    agent.is_staff = True
    agent.save()
    page = login(agent)
    page.context.add_init_script(CSP_WATCH)
    for path, ready in (
        ("/inbox/", "#live-state"),
        ("/sandbox/phone/", "body"),
        ("/admin/", "#content"),
        ("/api/v1/docs", ".swagger-ui .info .title"),
    ):
        page.goto(stack.url + path)
        page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
    page.goto(stack.url + "/inbox/")
    wait_for(lambda: page.evaluate("window.__inboxLive === true"), message="the socket opens")
