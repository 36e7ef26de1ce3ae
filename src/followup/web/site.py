"""One running web server: the services over one database connection, the lock that makes every
request a single writer, the sessions, the calendar feed's token, the worker and the page cache."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import anyio.to_thread

from followup.web.security import Sessions

if TYPE_CHECKING:
    from followup.bootstrap import App
    from followup.web.worker import Worker

T = TypeVar("T")

PAGE_TTL_S = 30.0  # a cached page also goes stale with time: touches fall due by the minute
PAGES_KEPT = 32  # cached pages (a page and its query string); the oldest goes first


@dataclass
class _Cached:
    revision: tuple[int, int]
    expires: float
    value: object


@dataclass
class Site:
    """What the routes share. `call` runs a piece of work on the services under the lock: one
    request at a time talks to the database connection (short transactions; a second writer — the
    worker, a CLI command — waits for SQLite's lock instead of failing)."""

    app: App
    sessions: Sessions = field(default_factory=Sessions)
    feed_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    worker: Worker | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    _cache: dict[str, _Cached] = field(default_factory=dict)

    def call(self, work: Callable[[App], T]) -> T:
        with self.lock:
            return work(self.app)

    async def run(self, work: Callable[[App], T]) -> T:
        """`call` in a worker thread, so the event loop keeps serving while the database works."""
        return await anyio.to_thread.run_sync(self.call, work)

    def cached(self, key: str, make: Callable[[App], T]) -> T:
        """`make(app)`, or its value from the last call while no data changed (and for at most
        PAGE_TTL_S): a busy Today page is built once, not once per request."""
        with self.lock:
            revision = self.app.browser.revision()
            hit = self._cache.get(key)
            now = time.monotonic()
            if hit is not None and hit.revision == revision and hit.expires > now:
                return hit.value  # type: ignore[return-value]  # stored by the same key's `make`
            value = make(self.app)
            self._cache.pop(key, None)
            while len(self._cache) >= PAGES_KEPT:  # any query string makes a key: keep only a few
                del self._cache[next(iter(self._cache))]
            self._cache[key] = _Cached(self.app.browser.revision(), now + PAGE_TTL_S, value)
            return value

    def peek(self, key: str) -> object | None:
        """The cached value of `key` if it is still good and the lock is free this instant; None
        otherwise (then `cached` decides, off the event loop). Costs one PRAGMA: no thread hop for
        the common case of a page nobody changed."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            hit = self._cache.get(key)
            if hit is None or hit.expires <= time.monotonic() or hit.revision != self.app.browser.revision():
                return None
            return hit.value
        finally:
            self.lock.release()

    def forget(self) -> None:
        """Drop every cached page (the worker changed something through its own connection)."""
        with self.lock:
            self._cache.clear()


def feed_token(path: str) -> str:
    """The calendar feed's secret: FOLLOWUP_FEED_TOKEN, else a random token kept in a file only the
    user may read (beside the config file; never in the database), made on first use."""
    given = os.environ.get("FOLLOWUP_FEED_TOKEN", "").strip()
    if given:
        return given
    try:
        with open(path, encoding="ascii") as handle:
            stored = handle.read().strip()
        if len(stored) >= 16:
            return stored
    except OSError:
        pass
    token = secrets.token_urlsafe(24)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    return token
