"""The interactive API docs render with no internet: every request outside this server is cut."""

from tests.browser.conftest import TIMEOUT_MS


def test_swagger_ui_renders_from_local_assets_only(browser, stack):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = []

    def only_local(route):
        if route.request.url.startswith(stack.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(stack.url + "/api/v1/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=TIMEOUT_MS)

        assert "Thuisfront API" in page.inner_text(".swagger-ui .info .title")
        assert (
            page.locator(".opblock-summary-path", has_text="/api/v1/bookings/{reference}").count()
            >= 1
        )
        assert outside == [] and errors == []
    finally:
        context.close()
