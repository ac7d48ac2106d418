"""The dashboard speaks Dutch to a Dutch manager, picked the way the inbox picks it (the language
chosen in the inbox profile, else the browser's); the charts' titles and legends come translated
in the page; CSV and JSON field names stay the same; the pause e-mail reaches each manager in
their language; the navigation offers the dashboard only to those who may open it."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from insights.guards import rollout_check
from insights.rollout import plan_pause
from insights.rollups import rollup_refresh
from tests.insights.conftest import plan
from tests.webcare_inbox.conftest import make_agent, receive
from webcare_inbox.models import AgentProfile


def charts_in(page: str) -> dict:
    found = re.search(r'<script id="insights-charts" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_a_dutch_browser_gets_dutch_headings_and_charts(manager_client):
    plan_pause(plan=plan(), reason="guard rail broken: CSAT 91.0% satisfied")
    page = manager_client.get("/insights/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="nl">' in page
    for heading in ("Het kerncijfer", "Contactredenen", "Effectiviteit", "Klantbeleving"):
        assert f">{heading}</h2>" in page
    assert ">Gefaseerde uitrol</h2>" in page
    assert "Met proactieve berichten" in page and "contacten per 1.000 reizigers" in page
    assert "zelfservicegraad" in page and "eerste reactietijd, mediaan / p90 (min)" in page
    assert "Uitrol “KL rollout” is gepauzeerd</strong> bij 5%" in page
    assert "gepauzeerd → 5% · grenswaarden" in page
    assert ">Alle trajecten</option>" in page and ">Toon</button>" in page
    assert "Drivers" not in page and "Staged rollout" not in page

    charts = charts_in(page)
    assert charts["headline"]["title"] == (
        "Contacten per 1.000 reizigers, met en zonder proactieve berichten"
    )
    assert [d["label"] for d in charts["headline"]["datasets"]] == [
        "Met (in de uitrol)",
        "Zonder (controlegroep)",
    ]
    assert charts["new_vs_returning"]["labels"] == ["Nieuw", "Terugkerend"]
    assert [d["label"] for d in charts["funnel"]["datasets"]] == [
        "in de wachtrij",
        "verstuurd",
        "afgeleverd",
        "gelezen",
        "mislukt",
    ]
    assert charts["frt_by_team"]["title"] == "Eerste reactietijd per team"


@pytest.mark.django_db
def test_the_inbox_profile_language_wins_over_the_browser(manager_client, manager):
    AgentProfile.objects.create(user=manager, language="nl")
    page = manager_client.get("/insights/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Contactredenen</h2>" in page
    AgentProfile.objects.filter(user=manager).update(language="en")
    page = manager_client.get("/insights/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert ">Drivers</h2>" in page


@pytest.mark.django_db(transaction=True)
def test_csv_field_names_stay_and_its_texts_follow_the_language(manager_client, api):
    receive("Hallo", address="+31650000001")
    rollup_refresh()
    response = manager_client.get("/insights/csv/new_vs_returning.csv", HTTP_ACCEPT_LANGUAGE="nl")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["label", "Gesprekken"], ["Nieuw", "1"], ["Terugkerend", "0"]]
    answer = api.get("/insights/charts/new_vs_returning").json()
    assert answer["id"] == "new_vs_returning" and answer["labels"] == ["New", "Returning"]


@pytest.mark.django_db(transaction=True)
def test_the_pause_email_reaches_each_manager_in_their_language(manager):
    dutch = User.objects.create_user("dirk", email="dirk@example.com")
    dutch.groups.add(Group.objects.get(name="managers"))
    AgentProfile.objects.create(user=dutch, language="nl")
    plan(max_open_per_agent=2)
    make_agent("ada", available=True)
    for n in range(3):
        receive("Waar is mijn koffer?", address=f"+3162000000{n}")

    assert rollout_check()["paused"] == 1

    by_address = {email.to[0]: email for email in mail.outbox}
    assert sorted(by_address) == ["dirk@example.com", "margot@example.com"]
    dutch_mail, english_mail = by_address["dirk@example.com"], by_address["margot@example.com"]
    assert dutch_mail.subject == "Thuisfront: uitrol “KL rollout” is vanzelf gepauzeerd"
    assert "De gefaseerde uitrol “KL rollout” (" in dutch_mail.body
    assert "Er wordt niets nieuws aangeboden tot iemand de uitrol in het beheer hervat" in (
        dutch_mail.body
    )
    assert english_mail.subject == "Thuisfront: rollout “KL rollout” paused itself"
    assert "Nothing new is offered until someone resumes it" in english_mail.body


@pytest.mark.django_db
def test_the_insights_link_is_only_for_managers_and_staff(client, manager):
    agent = User.objects.create_user("agnes")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])
    link = '<a href="/insights/">Insights</a>'
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert '<a href="/inbox/">Inbox</a>' in page and "/insights/" not in page

    client.force_login(manager)
    assert link in client.get("/").content.decode()
    assert link in client.get("/insights/").content.decode()

    staff = User.objects.create_user("sam", is_staff=True)
    client.force_login(staff)
    assert link in client.get("/").content.decode()
