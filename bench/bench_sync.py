"""Benchmarks of reading mail: the first IMAP sync, a re-sync with nothing new, mbox imports (time, memory).

1. First sync of a 10,000-message INBOX (`app.mail_sync.sync(app.mail_reader())`, connect to logout)
   against a raw imapclient loop: LOGIN, EXAMINE, the same UID SEARCH, FETCH of the same header fields
   (`HEADER_FIELDS`) in the same batches (`BATCH`), LOGOUT. Goal ≥ 0.8x its throughput.
2. A re-sync when nothing changed, at 10,000 and 50,000 messages: the call with a new reader (connect
   and login included: what a user waits for), and on a connected one. Goal ≤ 50 ms.
3. Importing a 10,000-message mbox (`app.mail_sync.import_files`) against the standard library:
   `mailbox.mbox` and `BytesHeaderParser` on each message's bytes. Goal ≥ 0.7x its throughput.
4. The peak memory (VmHWM, read inside the child) of a process importing a 100,000-message mbox.
   Goal ≤ 150 MB.

The data: the small demo job search (30 people, 13 opportunities, their ledger's Message-IDs) and mail
from `sample_mail` (realistic headers, 2-8 KB bodies), 2% of it replies from the demo's people, so
matching, body fetches and ledger entries are part of every figure; the mbox of 3 holds the same
10,000 messages as the INBOX of 1. Dovecot runs as `nobody` on a free port with the mail tests'
configuration and start-up (`tests/mail/conftest.py`), over Maildirs written before it starts (file
mtimes are the INTERNALDATEs). The app's clock is the real one. Everything lives under bench/.data/.

Rounds of ours and of the floor are interleaved and medians reported, as many as fit a time budget
(up to 3); CPU time is this process's (Dovecot's is its own). Nothing fails on time: PASS/MISS compares
with the issue's goals. `--profile` adds an untimed cProfile run of each measurement that missed.
"""

from __future__ import annotations

import cProfile
import email.parser
import io
import json
import mailbox
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from harness import DATA, FOLLOWUP, compile_bytecode
from sample_mail import ME, Correspondent, Message, mbox_from_line, messages

HERE = Path(__file__).resolve().parent
TZ = "America/Chicago"
USER, BIG_USER, PASSWORD = "alice", "bob", "s3cret"
INBOX_SIZE, BIG_SIZE, HUGE_SIZE = 10_000, 50_000, 100_000
INBOX_DAYS, BIG_DAYS = 170, 720  # all of alice's INBOX is inside the 180-day window; a quarter of bob's
MAX_ROUNDS, BUDGET_S = 3, 75.0  # timed rounds of each contender, and the time they may take together
RESYNCS = 15
GOALS: list[tuple[str, str, bool]] = []  # (what, figure and goal, met)


# The data ----------------------------------------------------------------------------------------


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


def write_maildir(home: Path, mail: Iterator[Message]) -> tuple[int, int]:
    """INBOX and an empty Sent as Dovecot's own Maildir would hold them: seen, in cur/, with their sizes
    in the names (so Dovecot need not read the files to know them); the mtime is the INTERNALDATE."""
    root = home / "Maildir"
    for folder in (root, root / ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    (root / ".Sent" / "maildirfolder").touch()
    count = replies = 0
    for message in mail:
        stamp = message.when.timestamp()
        size, lines = len(message.data), message.data.count(b"\n")
        path = root / "cur" / f"{int(stamp)}.M{count}P1.bench,S={size},W={size + lines}:2,S"
        path.write_bytes(message.data)
        os.utime(path, (stamp, stamp))
        count, replies = count + 1, replies + message.reply
    return count, replies


def write_mbox(path: Path, mail: Iterator[Message]) -> tuple[int, int]:
    count = replies = 0
    with path.open("wb") as out:
        for message in mail:
            out.write(mbox_from_line(message) + message.data.replace(b"\nFrom ", b"\n>From ") + b"\n")
            count, replies = count + 1, replies + message.reply
    return count, replies


@contextmanager
def dovecot(root: Path, users: list[str]) -> Iterator[int]:
    """The mail tests' Dovecot, started the same way, over the Maildirs already written; yields its port."""
    sys.path.insert(0, str(HERE.parent))  # the tests package
    from tests.conftest import free_port
    from tests.mail.conftest import DOVECOT_CONF, _stop, _user_line, _wait_for_greeting

    binary = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if binary is None or os.geteuid() != 0:
        raise SystemExit("bench_sync needs Dovecot (`make system-deps`) and root (Dovecot runs as nobody)")
    port = free_port()
    (root / "dovecot.conf").write_text(DOVECOT_CONF.format(root=root, port=port), encoding="utf-8")
    (root / "users").write_text("".join(_user_line(root, user, PASSWORD) for user in users))
    for folder in ("run", "state"):
        (root / folder).mkdir()
    subprocess.run(["chown", "-R", "nobody:nogroup", str(root)], check=True)
    root.chmod(0o755)
    with (root / "dovecot.out").open("wb") as output:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(root / "dovecot.conf")],
            start_new_session=True,
            user="nobody",
            group="nogroup",
            extra_groups=[],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_greeting(port, process, root)
        yield port
    finally:
        _stop(process)


# The contenders ----------------------------------------------------------------------------------


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


def window_start() -> date:
    """Where the first sync's window starts, as `MailSync.plan` computes it (sync_days = 180)."""
    return datetime.now(ZoneInfo(TZ)).date() - timedelta(days=180)


def raw_sync(port: int, user: str = USER) -> Round:
    from imapclient import IMAPClient

    from followup.domain.inbound import HEADER_FIELDS
    from followup.services.mailsync import BATCH

    item = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
    start, cpu = time.perf_counter(), time.process_time()
    client = IMAPClient("127.0.0.1", port, ssl=False, timeout=30)
    client.login(user, PASSWORD)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search(["UID", "1:*", "SINCE", window_start()]))
    fetching, read = time.perf_counter(), 0
    for first in range(0, len(uids), BATCH):
        response = client.fetch(uids[first : first + BATCH], [item])
        read += sum(1 for data in response.values() if any(k.startswith(b"BODY[") for k in data))
    fetched = time.perf_counter() - fetching
    client.logout()
    return Round(time.perf_counter() - start, time.process_time() - cpu, read, {"fetch": fetched})


def fresh_app(template: Path, name: str, port: int = 0, user: str = USER) -> Any:
    from followup.bootstrap import build

    db = template.parent / f"{name}.sqlite3"
    for leftover in template.parent.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(template, db)
    return build(settings(db, port, user))


def followup_sync(app: Any) -> Round:
    start, cpu = time.perf_counter(), time.process_time()
    reader = TimedReader(app.mail_reader())
    report = app.mail_sync.sync(reader)
    reader.close()
    return Round(
        time.perf_counter() - start, time.process_time() - cpu, report.read, dict(reader.spent), report
    )


def stdlib_import(path: Path) -> Round:
    start, cpu = time.perf_counter(), time.process_time()
    parser, read = email.parser.BytesHeaderParser(), 0
    box = mailbox.mbox(path, create=False)
    for key in box.iterkeys():
        parser.parsebytes(box.get_bytes(key))
        read += 1
    box.close()
    return Round(time.perf_counter() - start, time.process_time() - cpu, read)


def followup_import(app: Any, path: Path, progress: Callable[[str, int, int], object] | None = None) -> Round:
    start, cpu = time.perf_counter(), time.process_time()
    report = app.mail_sync.import_files(app.mail_files, "mbox", path, progress=progress)
    return Round(time.perf_counter() - start, time.process_time() - cpu, report.read, {}, report)


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


# The report --------------------------------------------------------------------------------------


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


# The measurements --------------------------------------------------------------------------------


def first_sync(template: Path, port: int, profiling: bool) -> Any:
    warm_raw = raw_sync(port)  # Dovecot opens the Maildir and builds its index here
    app = fresh_app(template, "first", port)
    warm = followup_sync(app)  # modules, services, the playbook and holidays of the first plan
    app.close()

    def ours() -> Round:
        app = fresh_app(template, "first", port)
        try:
            return followup_sync(app)
        finally:
            app.close()

    raw, mine = interleaved(lambda: raw_sync(port), ours)
    if any(r.read != INBOX_SIZE for r in raw + mine):
        raise SystemExit(f"a round read {[r.read for r in raw + mine]} messages, not {INBOX_SIZE:,}")
    print(
        f"first sync of a {INBOX_SIZE:,}-message INBOX (Dovecot, Maildir, 127.0.0.1), connect to logout: "
        "followup against a raw imapclient loop (the same SEARCH, header FETCH and batches)"
    )
    ratio = throughput(INBOX_SIZE, mine, raw, "raw", f"first sync, {INBOX_SIZE:,} messages", 0.8)
    wall = med(mine, "wall")
    calls = {name: statistics.median(r.parts.get(name, 0.0) for r in mine) for name in mine[0].parts}
    imap = sum(calls.values())
    detail = ", ".join(f"{n} {calls[n] * 1000:.0f}" for n in ("headers", "contents", "examine", "uids"))
    raw_fetch = statistics.median(r.parts["fetch"] for r in raw)
    print(
        f"  followup's time, ms: {imap * 1000:.0f} in reader calls ({detail}; imapclient's parsing "
        f"included; the raw loop's FETCHes {raw_fetch * 1000:.0f}), {(wall - imap) * 1000:.0f} in the rest "
        "(parsing, matching, classifying headers; ledger entries, commits, re-planning)"
    )
    print(
        f"  untimed warm-ups: raw {warm_raw.wall:.1f} s (Dovecot's first open of the Maildir), followup "
        f"{warm.wall:.1f} s; what each sync did: {outcome(mine[-1].report)}"
    )
    if profiling and ratio < 0.8:
        app = fresh_app(template, "profile", port)
        profile("one first sync", lambda: app.mail_sync.sync(app.mail_reader()))
        app.close()
    return mine[-1].report


def resync(template: Path, name: str, port: int, user: str, size: int, profiling: bool) -> None:
    """Nothing new since the last sync: a new reader each time (connect and login), then a connected one."""
    from followup.bootstrap import build

    app = build(settings(template.parent / f"{name}.sqlite3", port, user))
    fresh, kept, new_app = [], [], []
    for _ in range(RESYNCS):
        reader = app.mail_reader()
        start = time.perf_counter()
        report = app.mail_sync.sync(reader)
        fresh.append(time.perf_counter() - start)
        reader.close()
        if report.read:
            raise SystemExit(f"a re-sync with nothing new read {report.read} messages")
    reader = app.mail_reader()
    app.mail_sync.sync(reader)  # connects
    for _ in range(RESYNCS):
        start = time.perf_counter()
        app.mail_sync.sync(reader)
        kept.append(time.perf_counter() - start)
    reader.close()
    for _ in range(3):  # what `followup sync` pays in its process once the modules are imported
        other = build(app.settings)
        reader = other.mail_reader()
        start = time.perf_counter()
        other.mail_sync.sync(reader)
        new_app.append(time.perf_counter() - start)
        reader.close()
        other.close()
    median = statistics.median(fresh)
    met = verdict(
        f"no-change re-sync, {size:,} messages", f"{median * 1000:.1f} ms (goal ≤ 50 ms)", median <= 0.05
    )
    print(
        f"re-sync with nothing new, {size:,} messages in INBOX (and an empty Sent), new reader: "
        f"{median * 1000:.1f} ms (median of {RESYNCS}, max {max(fresh) * 1000:.1f}; goal ≤ 50 ms: {met})"
    )
    print(
        f"  on a connected reader {statistics.median(kept) * 1000:.1f} ms (max {max(kept) * 1000:.1f}), so "
        f"connect and login ≈ {(median - statistics.median(kept)) * 1000:.1f} ms; the first call of a newly"
        f" built App (services built on first use, as in `followup sync`) "
        f"{statistics.median(new_app) * 1000:.0f} ms"
    )
    if profiling and median > 0.05:

        def run() -> None:
            for _ in range(10):
                reader = app.mail_reader()
                app.mail_sync.sync(reader)
                reader.close()

        profile("10 re-syncs with a new reader each", run)
    if size == INBOX_SIZE:
        command = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [str(FOLLOWUP), "--db", app.settings.db, "sync", "--json"],
                check=True,
                env=command_env(app.settings),
                capture_output=True,
            )
            command.append(time.perf_counter() - start)
        print(
            f"  `followup sync --json` as a command, a new Python process: "
            f"{statistics.median(command) * 1000:.0f} ms (median of 3)"
        )
    app.close()


def command_env(s: Any) -> dict[str, str]:
    """The same settings for the command line, from the environment (and no config file of the user's)."""
    return {
        **os.environ,
        "FOLLOWUP_CONFIG": str(Path(s.db).parent / "no-config.toml"),
        "FOLLOWUP_TZ": s.tz,
        "FOLLOWUP_COUNTRY": s.country,
        "FOLLOWUP_FROM": s.from_,
        "FOLLOWUP_IMAP_HOST": s.imap_host,
        "FOLLOWUP_IMAP_PORT": str(s.imap_port),
        "FOLLOWUP_IMAP_SECURITY": s.imap_security,
        "FOLLOWUP_IMAP_USER": s.imap_user,
        "FOLLOWUP_IMAP_PASSWORD": PASSWORD,
    }


def big_first_sync(template: Path, port: int) -> None:
    warm = raw_sync(port, BIG_USER)  # Dovecot's first open of the 50,000-message Maildir
    app = fresh_app(template, "big", port, user=BIG_USER)
    result = followup_sync(app)
    app.close()
    print(
        f"first sync of a {BIG_SIZE:,}-message INBOX over {BIG_DAYS} days (set-up of the next figure): "
        f"{result.read:,} messages in the window in {result.wall:.1f} s = {result.read / result.wall:.0f} "
        f"msg/s (the raw loop, Dovecot's first open included: {warm.wall:.1f} s)"
    )


def mbox_import(template: Path, mbox: Path, sync_report: Any, profiling: bool) -> None:
    stdlib_import(mbox)  # the file into the page cache, for both

    def ours() -> Round:
        app = fresh_app(template, "import")
        try:
            return followup_import(app, mbox)
        finally:
            app.close()

    floor, mine = interleaved(lambda: stdlib_import(mbox), ours)
    if any(r.read != INBOX_SIZE for r in floor + mine):
        raise SystemExit(f"a round read {[r.read for r in floor + mine]} messages, not {INBOX_SIZE:,}")
    print(
        f"importing a {INBOX_SIZE:,}-message mbox ({mbox.stat().st_size / 2**20:.0f} MiB, the INBOX's "
        "messages): followup against mailbox.mbox + BytesHeaderParser"
    )
    ratio = throughput(INBOX_SIZE, mine, floor, "stdlib", f"mbox import, {INBOX_SIZE:,} messages", 0.7)
    print(f"  what each import did: {outcome(mine[-1].report)}")
    print(f"  (the IMAP sync of the same messages: {outcome(sync_report)})")
    if profiling and ratio < 0.7:
        app = fresh_app(template, "profile")
        profile("one import", lambda: followup_import(app, mbox))
        app.close()


def memory(template: Path, huge: Path) -> None:
    db = template.parent / "huge.sqlite3"
    shutil.copyfile(template, db)
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__)), "--import-child", str(db), str(huge)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout
    steps = [json.loads(line) for line in child.stdout]
    if child.wait():
        raise SystemExit("the import child failed")
    *progress, last = steps
    peak_mb = last["peak_kib"] * 1024 / 1e6
    met = verdict(
        f"peak memory, {HUGE_SIZE:,}-message import", f"{peak_mb:.0f} MB (goal ≤ 150 MB)", peak_mb <= 150
    )
    print(
        f"importing a {HUGE_SIZE:,}-message mbox ({huge.stat().st_size / 2**20:.0f} MiB) in a child process: "
        f"peak memory {peak_mb:.0f} MB = {last['peak_kib'] / 1024:.0f} MiB (VmHWM; goal ≤ 150 MB: {met})"
    )
    trend = ", ".join(
        f"{p['done'] // 1000}k {p['peak_kib'] / 1024:.0f}" for p in progress[:: max(1, len(progress) // 5)]
    )
    print(f"  peak MiB as it went: App built {last['before_kib'] / 1024:.0f}, {trend}")
    rates = [(b["done"] - a["done"]) / (b["elapsed"] - a["elapsed"]) for a, b in pairwise(progress)]
    print(
        f"  {last['read']:,} messages in {last['wall']:.0f} s = {last['read'] / last['wall']:.0f} msg/s "
        f"(the first 10k {progress[0]['done'] / progress[0]['elapsed']:.0f} msg/s, the last "
        f"{rates[-1]:.0f} msg/s); {last['outcome']}"
    )


def vm_hwm() -> int:
    """This process's peak resident memory so far, KiB (exact, unlike a parent's ru_maxrss of a child,
    which starts from the parent's own size at the fork)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


def import_child(db: str, path: str) -> None:
    from followup.bootstrap import build

    app = build(settings(Path(db)))
    _ = app.mail_sync, app.mail_files, app.planning
    before, start, batches = vm_hwm(), time.perf_counter(), 0

    def progress(_what: str, _done: int, _total: int) -> None:
        nonlocal batches
        batches += 1
        if batches % 20 == 0:  # every 10,000 messages
            elapsed = time.perf_counter() - start
            print(json.dumps({"done": batches * 500, "peak_kib": vm_hwm(), "elapsed": elapsed}), flush=True)

    result = followup_import(app, Path(path), progress)
    app.close()
    print(json.dumps({"peak_kib": vm_hwm(), "before_kib": before, "wall": result.wall, "read": result.read,
                      "outcome": outcome(result.report)}))  # fmt: skip


# The run -----------------------------------------------------------------------------------------


def main() -> None:
    profiling = "--profile" in sys.argv
    compile_bytecode()
    DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sync-", dir=DATA))
    work.chmod(0o755)  # Dovecot's processes, running as nobody, must reach their folder inside
    os.environ["FOLLOWUP_IMAP_PASSWORD"] = PASSWORD  # what `followup sync` reads it from
    try:
        run(work, profiling)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, profiling: bool) -> None:
    start = time.perf_counter()
    template, people = demo_template(work)
    now = datetime.now(UTC)
    demo_s, start = time.perf_counter() - start, time.perf_counter()
    mail = work / "dovecot"
    inbox = write_maildir(mail / "mail" / USER, messages(INBOX_SIZE, now=now, days=INBOX_DAYS,
                                                         correspondents=people))  # fmt: skip
    big = write_maildir(mail / "mail" / BIG_USER, messages(BIG_SIZE, now=now, days=BIG_DAYS,
                                                           correspondents=people, seed=2))  # fmt: skip
    maildir_s, start = time.perf_counter() - start, time.perf_counter()
    mbox, huge = work / "inbox.mbox", work / "huge.mbox"
    write_mbox(mbox, messages(INBOX_SIZE, now=now, days=INBOX_DAYS, correspondents=people))
    largest = write_mbox(huge, messages(HUGE_SIZE, now=now, days=BIG_DAYS, correspondents=people, seed=3))
    print(
        f"set-up: the small demo ({len(people)} people with an address) {demo_s:.1f} s; Maildirs of "
        f"{inbox[0]:,} ({inbox[1]} replies from them) and {big[0]:,} ({big[1]}) messages {maildir_s:.1f} s; "
        f"mboxes of {INBOX_SIZE:,} and {largest[0]:,} ({largest[1]}) {time.perf_counter() - start:.1f} s"
    )
    with dovecot(mail, [USER, BIG_USER]) as port:
        sync_report = first_sync(template, port, profiling)
        resync(template, "first", port, USER, INBOX_SIZE, profiling)
        big_first_sync(template, port)
        resync(template, "big", port, BIG_USER, BIG_SIZE, profiling)
    mbox_import(template, mbox, sync_report, profiling)
    memory(template, huge)
    print("goals:")
    for what, figure, met in GOALS:
        print(f"  {'PASS' if met else 'MISS'}  {what}: {figure}")


if __name__ == "__main__":
    if "--import-child" in sys.argv:
        import_child(*sys.argv[sys.argv.index("--import-child") + 1 :][:2])
    else:
        main()
