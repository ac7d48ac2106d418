"""A worker's pool processes run at a lower CPU priority than the web process (WORKER_NICE, 10 by
default), so that on a shared machine the providers' webhooks are answered first."""

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pool_processes(worker_pid: int) -> list[int]:
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _nice(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def test_pool_processes_give_the_web_tier_the_cpu_first(make_stack):
    stack = make_stack()
    worker = stack.processes["worker"].pid
    web = stack.processes["web"].pid

    def pool_at_plus_10() -> bool:
        pool = _pool_processes(worker)
        return len(pool) == 2 and all(_nice(pid) == _nice(web) + 10 for pid in pool)

    wait_until(
        pool_at_plus_10,
        timeout=60,
        message=f"pool processes not at +10: {[_nice(p) for p in _pool_processes(worker)]}",
    )
    # The main process, which takes tasks from the broker and hands them out, is not slowed.
    assert _nice(worker) == _nice(web)
