"""What the mail benchmarks share: their settings, the demo search, Dovecot, rounds against a floor, goals."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_mail import ME, Correspondent

HERE = Path(__file__).resolve().parent
TZ = "America/Chicago"
USER, PASSWORD = "alice", "s3cret"
MAX_ROUNDS, BUDGET_S = 3, 75.0  # timed rounds of each contender, and the time they may take together
GOALS: list[tuple[str, str, bool | None]] = []  # (what, figure and goal, met; None: not known)


def settings(db: Path, port: int = 0, user: str = USER) -> Any:
    from followup.config import Settings

    return Settings(
        db=str(db),
        tz=TZ,
        country="US",
        name="Alex Morgan",
        from_=ME,
        templates=str(db.parent / "templates"),
        imap_host="127.0.0.1" if port else "",
        imap_port=port,
        imap_security="none",
        imap_user=user,
    )


def demo_template(work: Path) -> tuple[Path, list[Correspondent]]:
    """The small demo search, closed (no WAL beside it), and its people with their ledger's mail."""
    from followup.bootstrap import build
    from followup.services.demo import load_demo

    template = work / "demo.sqlite3"
    app = build(settings(template))
    now = app.context.now()
    load_demo(app.context.repo, size="small", now=now, user_tz=TZ)
    threads: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in app.db.all(
        "SELECT i.message_id, i.subject, ip.person_id FROM interactions i "
        "JOIN interaction_people ip ON ip.interaction_id = i.id "
        "WHERE i.kind = 'email' AND i.message_id IS NOT NULL AND i.subject IS NOT NULL"
    ):
        threads[row["person_id"]].append((row["message_id"], row["subject"]))
    people = []
    for summary in app.context.repo.list_people(now=now):
        person = summary.person
        address = next((e.address for e in person.emails if not e.bad), None)
        if address and person.id is not None:
            people.append(Correspondent(person.name, address, tuple(threads[person.id])))
    app.close()
    return template, people


@contextmanager
def dovecot(root: Path, users: list[str]) -> Iterator[int]:
    """The mail tests' Dovecot, started the same way, over the Maildirs already written; yields its port."""
    sys.path.insert(0, str(HERE.parent))  # the tests package
    from tests.mail.conftest import dovecot_binary, run_dovecot

    binary = dovecot_binary()
    if binary is None or os.geteuid() != 0:
        raise SystemExit("bench_sync needs Dovecot (`make system-deps`) and root (Dovecot runs as nobody)")
    with run_dovecot(binary, root, dict.fromkeys(users, PASSWORD)) as port:
        yield port


@dataclass
class Round:
    wall: float
    cpu: float
    read: int
    parts: dict[str, float] = field(default_factory=dict)  # seconds in each reader call, or in FETCH
    report: Any = None


class TimedReader:
    """A MailReader that adds up the time of each of its calls (connect and login fall in the first)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.spent: defaultdict[str, float] = defaultdict(float)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._reader, name)
        if not callable(value):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - start

        return timed


def fresh_app(template: Path, name: str, port: int = 0, user: str = USER) -> Any:
    from followup.bootstrap import build

    db = template.parent / f"{name}.sqlite3"
    for leftover in template.parent.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(template, db)
    return build(settings(db, port, user))


def interleaved(floor: Callable[[], Round], ours: Callable[[], Round]) -> tuple[list[Round], list[Round]]:
    """Floor, ours, floor, ours…: as many rounds as fit the time budget (at least one, at most 3)."""
    base: list[Round] = []
    mine: list[Round] = []
    start = time.perf_counter()
    for _ in range(MAX_ROUNDS):
        began = time.perf_counter()
        base.append(floor())
        mine.append(ours())
        now = time.perf_counter()
        if now - start + (now - began) > BUDGET_S:  # another round like this one would end past it
            break
    return base, mine


# Reporting --------------------------------------------------------------------------------------


def med(rounds: list[Round], attr: str) -> float:
    return float(statistics.median(getattr(r, attr) for r in rounds))


def verdict(what: str, figure: str, met: bool) -> str:
    """Note a goal for the summary; PASS or MISS for the line that shows it."""
    GOALS.append((what, figure, met))
    return "PASS" if met else "MISS"


def outcome(report: Any) -> str:
    return (
        f"{report.read:,} read: {report.logged} logged, {report.suggestions} suggestions, "
        f"{report.auto_replies} auto-replies, {report.known} known, {report.ignored} ignored, "
        f"{len(report.skipped)} skipped"
    )


def throughput(
    count: int, ours: list[Round], floor: list[Round], name: str, what: str, target: float
) -> float:
    wall, wall_floor = med(ours, "wall"), med(floor, "wall")
    ratio = wall_floor / wall
    met = verdict(what, f"{ratio:.2f}x the {name} loop's throughput (goal ≥ {target}x)", ratio >= target)
    rounds = f"median{'s' * (len(ours) > 1)} of {len(ours)} round{'s' * (len(ours) > 1)} each, interleaved"
    print(
        f"  throughput {count / wall:8.0f} msg/s   {name} {count / wall_floor:8.0f} msg/s   "
        f"ratio {ratio:4.2f}x   ({rounds}; goal ≥ {target}x: {met})"
    )
    print(
        f"  wall time  {wall * 1000:8.0f} ms      {name} {wall_floor * 1000:8.0f} ms      "
        f"= {wall / count * 1e6:.0f} µs a message against {wall_floor / count * 1e6:.0f} µs"
    )
    cpu, cpu_floor = med(ours, "cpu"), med(floor, "cpu")
    print(
        f"  CPU time   {cpu * 1000:8.0f} ms      {name} {cpu_floor * 1000:8.0f} ms      "
        f"ratio {cpu / cpu_floor:4.1f}x   (this process; Dovecot's CPU is its own)"
    )
    return ratio


def profile(title: str, run: Callable[[], object], *, top: int = 16) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(f"  cProfile of {title}, untimed (top {top} by {order}):")
        print(text[text.index("   ncalls") :].rstrip())
