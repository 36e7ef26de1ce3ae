"""The web server's background worker: sends approved notes when their time comes and, when a
mailbox is set up, syncs it on an interval. Its state (last run, next run, errors) is shown on the
Settings page and at /api/worker.

The worker has its own database connection (an `App` of its own), so a slow mail server never holds
up a page; SQLite's write lock and short transactions keep the two writers apart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from followup.errors import FollowupError

if TYPE_CHECKING:
    from followup.bootstrap import App


@dataclass(frozen=True)
class JobStatus:
    name: str
    every: float  # seconds
    enabled: bool
    why_not: str = ""  # why a job is off ("no mailbox is set up")
    runs: int = 0
    last_run: datetime | None = None
    last_result: str = ""
    last_error: str = ""
    next_run: datetime | None = None


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    run: Callable[[App], str]  # does the work, returns a one-line summary
    why_not: str = ""  # non-empty: the job is off, for this reason


def send_due(app: App) -> str:
    report = app.outbox.send()
    parts = [f"{len(report.sent)} sent"] if report.sent else ["nothing due"]
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    if report.server_error is not None:
        raise report.server_error
    return ", ".join(parts)


def sync_mailbox(app: App) -> str:
    report = app.mail_sync.sync(app.mail_reader())
    return f"{report.read} read, {report.logged} logged, {report.suggestions} suggestions"


def default_jobs(app: App) -> list[Job]:
    s = app.settings
    return [
        Job("send", s.send_every, send_due),
        Job("sync", s.sync_every, sync_mailbox, "" if s.imap_host else "no mailbox is set up"),
    ]


class Worker:
    """Runs each job every `job.every` seconds in one thread, until `stop()`. `kick()` runs the due
    jobs at once (after a note is approved for now, say)."""

    def __init__(self, build: Callable[[], App], jobs: Callable[[App], list[Job]] = default_jobs) -> None:
        self._build = build
        self._jobs_of = jobs
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status: dict[str, JobStatus] = {}
        self._due: dict[str, float] = {}  # time.monotonic() of each job's next run
        self.on_change: Callable[[], Any] = lambda: None  # told after a job ran (caches go stale)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="followup-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def kick(self, name: str | None = None) -> None:
        """Run `name` (or every job) now instead of at its next time."""
        with self._lock:
            for job in self._due if name is None else [name]:
                if self._due.get(job, float("inf")) != float("inf"):  # not a job that is off
                    self._due[job] = 0.0
        self._wake.set()

    def status(self) -> list[JobStatus]:
        with self._lock:
            return list(self._status.values())

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        app = self._build()
        try:
            jobs = self._jobs_of(app)
            now = app.context.now()
            with self._lock:
                for job in jobs:
                    on = not job.why_not
                    self._status[job.name] = JobStatus(
                        job.name, job.every, on, job.why_not, next_run=now if on else None
                    )
                    self._due[job.name] = 0.0 if on else float("inf")
            while not self._stopping.is_set():
                for job in jobs:
                    with self._lock:
                        due = self._due[job.name]
                    if not self._stopping.is_set() and due <= time.monotonic():
                        self._run(app, job)
                self._wake.wait(timeout=self._sleep())
                self._wake.clear()
        finally:
            app.close()

    def _sleep(self) -> float:
        with self._lock:
            first = min(self._due.values(), default=float("inf"))
        return min(max(0.05, first - time.monotonic()), 3600.0)

    def _run(self, app: App, job: Job) -> None:
        started = app.context.now()
        result, error = "", ""
        try:
            result = job.run(app)
        except FollowupError as exc:
            error = exc.message + (f" {exc.hint}" if exc.hint else "")
        except Exception as exc:  # a bug must not stop the worker: shown on the Settings page
            error = f"unexpected {type(exc).__name__}: {exc}"
        next_run = started + timedelta(seconds=job.every)
        with self._lock:
            self._due[job.name] = time.monotonic() + job.every
            current = self._status[job.name]
            self._status[job.name] = replace(
                current,
                runs=current.runs + 1,
                last_run=started,
                last_result=result,
                last_error=error,
                next_run=next_run,
            )
        self.on_change()
