"""Work that builds tens of thousands of objects at once (an import, a whole plan) pauses Python's
cyclic garbage collector: every collection in the middle would walk all of them again, although they
live until the end and make no reference cycles (bench/bench_import.py: a quarter of an import's time,
and a fifth of planning 25,000 new connections)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; as it was before, afterwards (even on an error)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
