"""Services mode starts only with a real SECRET_KEY, and `check --deploy` is clean with the
README's production settings, which turn on secure cookies, HSTS and the proxy's TLS header."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The README's production settings ("Security"), with test values.
PRODUCTION = {
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "SECRET_KEY": "k3M9vQx2Lr7TzP4wYb8NcF6hJd1GsE5aUo0iRlWmKqXnVyBtZ-8s4Qe",
    "PUBLIC_BASE_URL": "https://thuisfront.example.com",
    "ALLOWED_HOSTS": "thuisfront.example.com",
    "DEBUG": "0",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "HEALTHZ_TOKEN": "monitor-token",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("key", ["", "embedded-demo-only-not-secret", "django-insecure-abc"])
def test_services_mode_refuses_to_start_without_a_real_secret_key(key):
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": key})

    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value in services mode" in result.stderr


def test_check_deploy_is_clean_with_the_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_tls_cookies_are_secure_and_http_is_redirected_except_healthz():
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "from django.test import Client\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER)\n"
        "c = Client(HTTP_HOST='thuisfront.example.com')\n"
        "plain = c.get('/accounts/login/')\n"
        "print(plain.status_code, plain['Location'])\n"
        "tls = c.get('/accounts/login/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(tls.status_code, tls['Strict-Transport-Security'])\n"
        "print(c.get('/healthz').status_code)\n"
    )
    environment = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    cookies, plain, tls, health = result.stdout.splitlines()
    assert cookies == "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    assert plain == "301 https://thuisfront.example.com/accounts/login/"
    assert tls == "200 max-age=31536000; includeSubDomains; preload"
    assert health in ("200", "503")  # answered over plain http, not redirected
