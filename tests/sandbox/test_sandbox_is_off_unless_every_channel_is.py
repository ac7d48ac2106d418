"""SANDBOX_ENABLED is read once, in settings: these run config/settings.py afresh each time."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
    "TWILIO_WHATSAPP_FROM": "whatsapp:+31850000000",
}
MESSENGER = {
    "MESSENGER_PAGE_ID": "1234",
    "MESSENGER_PAGE_ACCESS_TOKEN": "token",
    "MESSENGER_APP_SECRET": "secret",
    "MESSENGER_VERIFY_TOKEN": "verify",
}
CHANNEL_ENV = [*TWILIO, *MESSENGER, "SANDBOX_ENABLED", "WHATSAPP_ADAPTER", "MESSENGER_ADAPTER"]


def sandbox_enabled(monkeypatch, **env: str) -> bool:
    for name in CHANNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))["SANDBOX_ENABLED"]


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, True),  # every channel on the sandbox (make demo)
        (TWILIO, False),  # WhatsApp is real: off
        (MESSENGER, False),  # Messenger is real: off
        (
            {"TWILIO_ACCOUNT_SID": TWILIO["TWILIO_ACCOUNT_SID"]},
            False,
        ),  # half-configured counts as real
        (TWILIO | MESSENGER, False),
        (TWILIO | {"SANDBOX_ENABLED": "1"}, True),  # forced on next to a real channel
        (TWILIO | MESSENGER | {"SANDBOX_ENABLED": "true"}, True),
        ({"SANDBOX_ENABLED": "0"}, False),  # forced off on a pure sandbox
        (
            {"WHATSAPP_ADAPTER": "tests.fakes.SomeAdapter"},
            False,
        ),  # another adapter is not the sandbox
    ],
    ids=[
        "all-sandbox",
        "whatsapp-real",
        "messenger-real",
        "whatsapp-half",
        "both-real",
        "forced-on",
        "forced-on-both-real",
        "forced-off",
        "other-adapter",
    ],
)
def test_settings_matrix(monkeypatch, env, enabled):
    assert sandbox_enabled(monkeypatch, **env) is enabled


def resolves(path: str, **env: str) -> str:
    """Whether the web process started in this environment serves `path` (its URL conf)."""
    clean = {k: v for k, v in os.environ.items() if k not in CHANNEL_ENV}
    code = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        f"try:\n    resolve({path!r}); print('served')\n"
        "except Resolver404:\n    print('not found')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_with_one_channel_on_credentials_the_pages_are_not_served():
    assert resolves("/sandbox/phone/", **TWILIO) == "not found"
    assert resolves("/sandbox/operator/", **TWILIO) == "not found"


def test_forced_on_the_pages_are_served():
    assert resolves("/sandbox/phone/", **TWILIO, SANDBOX_ENABLED="1") == "served"
