"""`make demo` opens an inbox that shows each feature at once."""

import os
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from webcare_inbox.models import CannedReply, Conversation, Label, Message, Team

ROOT = Path(__file__).resolve().parents[2]


def seed() -> str:
    out = StringIO()
    call_command("demo_seed", stdout=out)
    return out.getvalue()


def conversation_of(address: str) -> Conversation:
    return Conversation.objects.select_related("contact_point", "assignee", "team").get(
        contact_point__address=address
    )


@pytest.mark.django_db
def test_a_team_labels_and_canned_replies():
    seed()

    team = Team.objects.get(name="Webcare")
    assert set(team.members.values_list("username", flat=True)) == {"agent", "admin"}
    assert {"baggage", "delay", "rebooking", "special assistance"} <= set(
        Label.objects.values_list("name", flat=True)
    )
    replies = dict(CannedReply.objects.values_list("shortcut", "body"))
    assert "{name}" in replies["vertraging-nl"] and "{departure}" in replies["delay-en"]


@pytest.mark.django_db
def test_conversations_inside_and_outside_the_window():
    seed()
    now = timezone.now()

    bram, sophie, anna = (
        conversation_of(a) for a in ("+31687654321", "demo-psid-sophie", "+31612345678")
    )

    assert bram.contact_point.window_open(now)  # free text
    assert not sophie.contact_point.window_open(now)  # Messenger: the HUMAN_AGENT week
    assert not anna.contact_point.window_open(now)  # templates only
    assert bram.assignee.username == "agent" and sophie.assignee is None and anna.assignee is None
    assert {c.team.name for c in (bram, sophie, anna)} == {"Webcare"}
    assert list(bram.labels.values_list("name", flat=True)) == ["baggage"]
    assert list(anna.messages.values_list("direction", "text")) == [
        ("in", "Goedemiddag, ik zou graag omboeken naar een latere vlucht."),
        ("in", "Kan dat nog, en wat kost het?"),
    ]
    note = sophie.messages.get(direction=Message.Direction.NOTE)
    assert note.author.username == "agent" and note.text.startswith("@admin ")
    assert list(note.mentions.values_list("username", flat=True)) == ["admin"]
    assert bram.trip is not None and bram.trip.service == "KL1001"


@pytest.mark.django_db
def test_the_printed_urls_follow_the_base_url(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123"

    output = seed()

    urls = re.findall(r"https?://\S+", output)
    assert "http://127.0.0.1:8123/inbox/" in urls and "http://127.0.0.1:8123/sandbox/phone/" in urls
    assert all(u.startswith("http://127.0.0.1:8123/") for u in urls)


def demo_plan(*args: str) -> str:
    """The commands `make demo …` would run (a dry run), outside the test's own environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "PORT", "MAKEFLAGS")}
    return subprocess.run(
        ["make", "-n", "demo", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_make_demo_port_serves_and_prints_on_that_port():
    plan = demo_plan("PORT=8123")

    seed_line = next(line for line in plan.splitlines() if "demo_seed" in line)
    serve_line = next(line for line in plan.splitlines() if "uvicorn" in line)
    assert "PUBLIC_BASE_URL=http://127.0.0.1:8123" in seed_line
    assert "PUBLIC_BASE_URL=http://127.0.0.1:8123" in serve_line and serve_line.endswith(
        "--port 8123"
    )


def test_make_demo_defaults_to_port_8000_and_takes_a_public_base_url():
    assert "--port 8000" in demo_plan() and "PUBLIC_BASE_URL=http://127.0.0.1:8000 " in demo_plan()
    tunnel = demo_plan("PORT=8123", "PUBLIC_BASE_URL=https://demo.example.net")
    assert "PUBLIC_BASE_URL=https://demo.example.net " in tunnel and "--port 8123" in tunnel
