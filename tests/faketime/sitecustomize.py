"""Loaded only by `make test-later` (PYTHONPATH), in every Python process of that run.

libfaketime moves the calendar for the whole run, but under it `time.sleep()` fails with EINVAL
(its clock_nanosleep wrapper mixes the faked and the true clock). A sleep is only a wait, so this
shim waits on select() instead, which libfaketime leaves alone.
"""

import os
import select
import time

if os.environ.get("FAKETIME"):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        select.select([], [], [], seconds)

    time.sleep = _sleep
