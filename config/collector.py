"""Python's cyclic garbage collector, tuned for a long-running server process.

With CPython's defaults (a young collection every 700 new container objects) a request that
builds a few thousand rows (a bulk of bookings, a batch of deliveries) runs hundreds of
collections, and every few of them walks the whole heap: Django, the apps, their imports, all
alive until the process ends. Measured on a bulk request of 500 bookings, that was about a sixth
of its time.

So each web and worker process, once it has imported what it serves with, moves those objects
out of the collector's sight (gc.freeze: they are never garbage), and collects the young
generation every COLLECT_AFTER new objects instead of 700. Reference counting still frees almost
everything at once; only cycles wait a little longer, and their memory stays bounded by the
thresholds.
"""

import gc

# New container objects between young collections (CPython's default: 700), and how many young
# and middle collections run before the next older one (its defaults: 10, 10).
COLLECT_AFTER = 10_000
THRESHOLDS = (COLLECT_AFTER, 50, 100)


def collector_tune(**_) -> None:
    """Freeze what the process has loaded, and collect less often (also a signal receiver)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
