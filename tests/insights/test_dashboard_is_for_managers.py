"""Managers and staff see the dashboard; agents and anyone else do not; the API asks for a key."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User

from insights.rollups import rollup_refresh
from tests.webcare_inbox.conftest import receive


@pytest.mark.django_db
def test_signed_out_is_sent_to_sign_in(client):
    response = client.get("/insights/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/insights/csv/funnel.csv").status_code == 302


@pytest.mark.django_db
def test_an_agent_gets_403(client):
    agent = User.objects.create_user("agnes")
    agent.groups.add(Group.objects.get_or_create(name="agents")[0])
    client.force_login(agent)
    assert client.get("/insights/").status_code == 403
    assert client.get("/insights/csv/funnel.csv").status_code == 403


@pytest.mark.django_db
def test_staff_and_managers_see_every_section(client, manager_client):
    page = manager_client.get("/insights/").content.decode()
    for title in ("Drivers", "Effectiveness", "Experience", "Operations", "The headline"):
        assert f">{title}</h2>" in page
    staff = User.objects.create_user("sam", is_staff=True)
    client.force_login(staff)
    assert client.get("/insights/").status_code == 200


@pytest.mark.django_db
def test_a_bad_filter_names_the_field(manager_client):
    response = manager_client.get("/insights/?from=2026-13-01")
    assert response.status_code == 400
    assert "from: must be a date as YYYY-MM-DD" in response.content.decode()
    response = manager_client.get("/insights/csv/funnel.csv?route=AMSLHR")
    assert response.status_code == 400 and response.content.startswith(b"route:")


@pytest.mark.django_db(transaction=True)
def test_csv_and_api_carry_the_same_numbers(manager_client, api):
    receive("Hallo", address="+31650000001")
    receive("Hallo", address="+31650000002")
    rollup_refresh()
    response = manager_client.get("/insights/csv/new_vs_returning.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["label", "Conversations"], ["New", "2"], ["Returning", "0"]]

    answer = api.get("/insights/charts/new_vs_returning")
    assert answer.status_code == 200, answer.content
    assert answer.json()["labels"] == ["New", "Returning"]
    assert answer.json()["datasets"][0]["data"] == [2, 0]
    whole = api.get("/insights")
    assert whole.status_code == 200, whole.content
    assert {s["id"] for s in whole.json()["sections"]} == {
        "headline",
        "drivers",
        "effectiveness",
        "experience",
        "operations",
    }
    assert api.get("/insights?route=nonsense").json() == {
        "errors": [{"field": "route", "message": "must look like AMS-LHR (origin-destination)"}]
    }
    assert api.get("/insights/charts/nope").status_code == 404


@pytest.mark.django_db
def test_the_api_needs_a_key(client):
    response = client.get("/api/v1/insights")
    assert response.status_code == 401
