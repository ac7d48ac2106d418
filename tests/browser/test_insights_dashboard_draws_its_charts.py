"""The manager's dashboard draws its charts with the vendored Chart.js (no other origin, no CSP
violation), and each chart's CSV carries the numbers the chart shows; a Dutch browser gets the
charts' titles and legends in Dutch."""

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from tests.browser.conftest import PASSWORD, TIMEOUT_MS, wait_for
from tests.browser.test_privacy_admin_exports_and_erases import CSP_WATCH

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _history() -> None:
    from core.models import ContactPoint, Customer
    from insights.rollups import rollup_refresh
    from webcare_inbox.models import Conversation, Label, Message

    at = timezone.now() - timedelta(hours=3)
    delay, _ = Label.objects.get_or_create(name="delay")
    for n in range(5):
        customer = Customer.objects.create(given_name=f"R{n}")
        cp = ContactPoint.objects.create(
            customer=customer, channel="whatsapp", address=f"+3166000000{n}"
        )
        conversation = Conversation.objects.create(
            customer=customer,
            contact_point=cp,
            channel="whatsapp",
            created_at=at,
            handled_by="bot" if n < 2 else "human",
            csat_score=5 if n > 2 else None,
            csat_asked_at=at if n > 2 else None,
        )
        conversation.labels.add(delay)
        Message.objects.create(conversation=conversation, direction="in", text="Hoi", created_at=at)
    rollup_refresh()


def test_the_dashboard_draws_every_chart_and_the_csv_matches(browser, stack):
    from django.contrib.auth.models import Group, User

    _history()
    manager = User.objects.create_user("mara", password=PASSWORD)
    manager.groups.add(Group.objects.get_or_create(name="managers")[0])

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(stack.url + "/accounts/login/?next=/insights/")
    page.fill("#id_username", "mara")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/insights/")
    wait_for(
        lambda: page.evaluate("document.body.dataset.chartsReady === 'true'"),
        message="the charts were not drawn",
    )

    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map(c => [c.dataset.chart, Chart.getChart(c) ? 1 : 0, c.width])"
    )
    assert len(drawn) >= 20
    assert all(ok == 1 and width > 100 for _, ok, width in drawn), drawn
    assert page.evaluate("window.__csp") == []
    assert all(url.startswith(stack.url) for url in requests), requests

    shown = page.evaluate(
        "(() => { const c = Chart.getChart("
        "document.querySelector('canvas[data-chart=new_vs_returning]'));"
        " return [c.data.labels, c.data.datasets[0].data]; })()"
    )
    assert shown == [["New", "Returning"], [5, 0]]
    response = page.request.get(stack.url + "/insights/csv/new_vs_returning.csv")
    assert response.status == 200
    rows = list(csv.reader(io.StringIO(response.text())))
    assert rows[1:] == [[label, str(value)] for label, value in zip(*shown)]

    self_service = page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=handling]'))"
        ".data.datasets[0].data.reduce((a, b) => a + b, 0)"
    )
    assert self_service == 2
    context.close()


def test_a_dutch_browser_gets_the_charts_in_dutch(browser, stack):
    from django.contrib.auth.models import Group, User

    _history()
    manager = User.objects.create_user("mara", password=PASSWORD)
    manager.groups.add(Group.objects.get_or_create(name="managers")[0])

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(stack.url + "/accounts/login/?next=/insights/")
    page.fill("#id_username", "mara")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/insights/")
    wait_for(
        lambda: page.evaluate("document.body.dataset.chartsReady === 'true'"),
        message="the charts were not drawn",
    )
    assert page.text_content("#drivers-charts") == "Contactredenen"
    assert page.text_content("#chart-headline h3") == (
        "Contacten per 1.000 reizigers, met en zonder proactieve berichten"
    )
    shown = page.evaluate(
        "(() => { const c = Chart.getChart("
        "document.querySelector('canvas[data-chart=handling]'));"
        " return c.data.datasets.map(d => d.label); })()"
    )
    assert shown == ["Afgerond zonder medewerker", "Overgedragen aan het team"]
    page.screenshot(path=str(SHOTS / "insights-dashboard-dutch.png"), full_page=False)
    context.close()
