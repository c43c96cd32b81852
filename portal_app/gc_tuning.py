"""Garbage collection out of the event path's way (issue 10).

Python's full (generation 2) collections walk every object the process holds: at startup some
400,000 (the compiled app, SQLAlchemy's mappers, Babel's locale data), all of them kept for good.
Each such collection held the event loop for 100-300 ms under load, and every tab's event waited
(docs/benchmarks.md, "Event path"). Once the app has started those objects are moved out of the
collector's sight (`gc.freeze`), so a full collection walks only what was made since. The
thresholds stay Python's: a higher young threshold was measured too, and cost throughput.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger("portal.gc")


async def freeze_startup_objects() -> None:
    """A lifespan task: runs once at startup, when the app and its imports are in place."""
    gc.collect()
    gc.freeze()
    log.info("gc: %d startup objects frozen", gc.get_freeze_count())
