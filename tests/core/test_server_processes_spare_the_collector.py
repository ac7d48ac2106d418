"""The web process and the worker's processes, once loaded, leave what they loaded out of the
garbage collector's rounds and collect less often than CPython's default (config/collector.py):
a request that builds thousands of rows no longer walks the whole heap again and again."""

import subprocess
import sys

from django.conf import settings

from config.collector import COLLECT_AFTER

PROBE = "import gc; print(gc.get_threshold()[0], gc.get_freeze_count())"


def run(code: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=True,
    ).stdout.split()
    return int(out[-2]), int(out[-1])


def test_the_web_process_once_loaded():
    threshold, frozen = run(f"import config.asgi; {PROBE}")

    assert threshold == COLLECT_AFTER > 700  # CPython's default: 700
    assert frozen > 10_000  # Django and the apps, out of the collector's sight


def test_a_worker_pool_process_once_started():
    before = run(f"import config.celery; {PROBE}")
    started = run(
        "import django; django.setup(); from config.celery import app; "
        "from celery.signals import worker_process_init; worker_process_init.send(sender=None); "
        + PROBE
    )

    assert before == (700, 0)  # importing alone changes nothing (manage.py, the tests)
    assert started[0] == COLLECT_AFTER and started[1] > 10_000
