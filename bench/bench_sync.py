"""Benchmarks of reading mail: the first IMAP sync, a re-sync with nothing new, mbox imports (time, memory).

1. First sync of a 10,000-message INBOX (`app.mail_sync.sync(app.mail_reader())`, connect and login
   included) against a raw imapclient loop: log in, EXAMINE, the same UID SEARCH, FETCH of the same
   header fields (`HEADER_FIELDS`) in the same batches (`BATCH`), log out. Goal ≥ 0.8x its throughput.
2. A re-sync when nothing changed, at 10,000 and 50,000 messages: the call with a new reader (connect
   and login included: what a user waits for), and with a connected one. Goal ≤ 50 ms.
3. Importing a 10,000-message mbox (`app.mail_sync.import_files`) against the standard library:
   `mailbox.mbox` and `BytesHeaderParser` on each message's bytes. Goal ≥ 0.7x its throughput.
4. The peak memory (VmHWM) of a child process importing a 100,000-message mbox. Goal ≤ 150 MB.

The data: the small demo job search (30 people, 13 opportunities, their ledger's Message-IDs); mail
from `sample_mail` (realistic headers, 2-8 KB bodies), 2% of it replies from the demo's people, so
matching, body fetches and ledger entries are part of every figure. The INBOX is the same 10,000
messages as the mbox of 3. Dovecot (the tests' configuration, `tests/mail/conftest.py`) runs as
`nobody` on a free port, over Maildirs written before it starts (file mtimes give INTERNALDATEs).
Everything lives under bench/.data/ while it runs. The app's clock is the real one.

Rounds of ours and of the floor are interleaved and medians reported; CPU time is this process's
(Dovecot's is its own). Nothing fails on time; PASS/MISS compares with the issue's goals. `--profile`
adds an untimed cProfile run of each measurement that missed its goal.
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from harness import DATA, FOLLOWUP, compile_bytecode, run_once
from sample_mail import ME, Correspondent, Message, mbox_from_line, messages

HERE = Path(__file__).resolve().parent
TZ = "America/Chicago"
USER, BIG_USER, PASSWORD = "alice", "bob", "s3cret"
INBOX_SIZE, BIG_SIZE, MBOX_SIZE, HUGE_SIZE = 10_000, 50_000, 10_000, 100_000
INBOX_DAYS, BIG_DAYS = 170, 720  # all of alice's INBOX lies in the 180-day window; a quarter of bob's
ROUNDS = 3  # timed rounds of each contender (after one untimed warm-up of each)
RESYNCS = 15
GOALS: list[tuple[str, str, bool]] = []  # (what, figure against goal, met)


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
    """A Maildir (INBOX and an empty Sent) as Dovecot's own would look: files in cur/, seen, with their
    sizes in the names so Dovecot need not read them; INTERNALDATE is the file's mtime."""
    root = home / "Maildir"
    for folder in (root, root / ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    (root / ".Sent" / "maildirfolder").touch()
    cur, count, replies = root / "cur", 0, 0
    for message in mail:
        stamp = message.when.timestamp()
        size, lines = len(message.data), message.data.count(b"\n")
        path = cur / f"{int(stamp)}.M{count}P1.bench,S={size},W={size + lines}:2,S"
        path.write_bytes(message.data)
        os.utime(path, (stamp, stamp))
        count, replies = count + 1, replies + message.reply
    return count, replies


def write_mbox(path: Path, mail: Iterator[Message]) -> tuple[int, int]:
    count, replies = 0, 0
    with path.open("wb") as out:
        for message in mail:
            out.write(mbox_from_line(message))
            out.write(message.data.replace(b"\nFrom ", b"\n>From "))
            out.write(b"\n")
            count, replies = count + 1, replies + message.reply
    return count, replies


# Dovecot -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    port: int
    root: Path


@contextmanager
def dovecot(root: Path, users: list[str]) -> Iterator[Server]:
    """The mail tests' Dovecot (same configuration and start), over the Maildirs already written."""
    sys.path.insert(0, str(HERE.parent))  # the tests package
    from tests.conftest import free_port
    from tests.mail.conftest import DOVECOT_CONF, _stop, _user_line, _wait_for_greeting

    binary = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if binary is None or os.geteuid() != 0:
        raise SystemExit("bench_sync needs Dovecot (`make system-deps`) and root (it runs as nobody)")
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
        yield Server(port, root)
    finally:
        _stop(process)


# The contenders ----------------------------------------------------------------------------------


class TimedReader:
    """A MailReader that notes how long each of its calls took (connect and login fall in the first)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.spent: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

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
                self.calls[name] += 1

        return timed


@dataclass
class Round:
    wall: float
    cpu: float
    read: int
    parts: dict[str, float] = field(default_factory=dict)
    report: Any = None


def since_date() -> Any:
    """The first sync's window start, as `MailSync.plan` computes it."""
    return datetime.now(ZoneInfo(TZ)).date() - timedelta(days=180)


def raw_sync(port: int, user: str) -> Round:
    from imapclient import IMAPClient

    from followup.domain.inbound import HEADER_FIELDS
    from followup.services.mailsync import BATCH

    item = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"
    start, cpu = time.perf_counter(), time.process_time()
    client = IMAPClient("127.0.0.1", port, ssl=False, timeout=30)
    client.login(user, PASSWORD)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search(["UID", "1:*", "SINCE", since_date()]))
    fetching, read = time.perf_counter(), 0
    for first in range(0, len(uids), BATCH):
        response = client.fetch(uids[first : first + BATCH], [item])
        read += sum(1 for data in response.values() if any(k.startswith(b"BODY[") for k in data))
    fetched = time.perf_counter() - fetching
    client.logout()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Round(wall, cpu, read, {"headers": fetched})


def fresh_app(template: Path, name: str, port: int, user: str = USER) -> Any:
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
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Round(wall, cpu, report.read, dict(reader.spent), report)


def stdlib_import(path: Path) -> Round:
    start, cpu = time.perf_counter(), time.process_time()
    parser, read = email.parser.BytesHeaderParser(), 0
    box = mailbox.mbox(path, create=False)
    for key in box.iterkeys():
        parser.parsebytes(box.get_bytes(key))
        read += 1
    box.close()
    return Round(time.perf_counter() - start, time.process_time() - cpu, read)


def followup_import(app: Any, path: Path) -> Round:
    start, cpu = time.perf_counter(), time.process_time()
    report = app.mail_sync.import_files(app.mail_files, "mbox", path)
    return Round(time.perf_counter() - start, time.process_time() - cpu, report.read, {}, report)


# The report --------------------------------------------------------------------------------------


def med(rounds: list[Round], attr: str) -> float:
    return float(statistics.median(getattr(r, attr) for r in rounds))


def goal(what: str, figure: str, met: bool) -> str:
    GOALS.append((what, figure, met))
    return "PASS" if met else "MISS"


def outcome(report: Any) -> str:
    return (
        f"{report.read:,} read: {report.logged} logged, {report.auto_replies} auto-replies, "
        f"{report.suggestions} suggestions, {report.known} known, {report.ignored} ignored, "
        f"{len(report.skipped)} skipped"
    )


def profile(title: str, run: Callable[[], object], *, top: int = 18) -> None:
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


def first_sync(template: Path, server: Server, profiling: bool) -> Any:
    warm_raw = raw_sync(server.port, USER)  # Dovecot opens the Maildir and builds its index here
    app = fresh_app(template, "first", server.port)
    warm = followup_sync(app)  # imports, services, the playbook and holidays of the first plan
    app.close()
    raw: list[Round] = []
    ours: list[Round] = []
    for _ in range(ROUNDS):
        raw.append(raw_sync(server.port, USER))
        app = fresh_app(template, "first", server.port)
        ours.append(followup_sync(app))
        app.close()
    if any(r.read != INBOX_SIZE for r in raw + ours):
        raise SystemExit(f"a round read {[r.read for r in raw + ours]} messages, not {INBOX_SIZE:,}")
    wall, wall_raw = med(ours, "wall"), med(raw, "wall")
    rate, rate_raw = INBOX_SIZE / wall, INBOX_SIZE / wall_raw
    ratio = rate / rate_raw
    print(
        f"first sync of a {INBOX_SIZE:,}-message INBOX (Dovecot on 127.0.0.1, Maildir), connect to logout: "
        f"followup against a raw imapclient loop (same SEARCH, same header FETCH, same batches)"
    )
    print(
        f"  throughput {rate:8.0f} msg/s   raw {rate_raw:8.0f} msg/s   ratio {ratio:4.2f}x"
        f"   (medians of {ROUNDS} rounds each, interleaved; goal ≥ 0.8x: "
        f"{goal('first sync, 10,000 messages', f'{ratio:.2f}x (≥ 0.8x)', ratio >= 0.8)})"
    )
    print(
        f"  wall time  {wall * 1000:8.0f} ms      raw {wall_raw * 1000:8.0f} ms      "
        f"= {wall / INBOX_SIZE * 1e6:.0f} µs a message against {wall_raw / INBOX_SIZE * 1e6:.0f} µs"
        f"   (untimed warm-ups: raw {warm_raw.wall:.1f} s with Dovecot's first open, followup {warm.wall:.1f} s)"
    )
    cpu, cpu_raw = med(ours, "cpu"), med(raw, "cpu")
    print(f"  CPU time   {cpu * 1000:8.0f} ms      raw {cpu_raw * 1000:8.0f} ms      ratio {cpu / cpu_raw:4.1f}x")
    parts = {name: statistics.median(r.parts.get(name, 0.0) for r in ours) for name in ours[0].parts}
    imap = sum(parts.values())
    calls = ", ".join(f"{n} {parts[n] * 1000:.0f}" for n in ("headers", "contents", "examine", "uids") if n in parts)
    print(
        f"  where followup's time goes (ms, medians): IMAP calls {imap * 1000:.0f} ({calls}; imapclient's "
        f"parsing included), the rest {(wall - imap) * 1000:.0f} (parsing, matching, ledger, state "
        f"commits, re-planning); the raw loop's FETCHes took {statistics.median(r.parts['headers'] for r in raw) * 1000:.0f}"
    )
    print(f"  what the sync did: {outcome(ours[-1].report)}")
    if profiling and ratio < 0.8:
        app = fresh_app(template, "profile", server.port)
        profile("one first sync", lambda: app.mail_sync.sync(app.mail_reader()))
        app.close()
    return ours[-1].report


def resync(template: Path, db_name: str, server: Server, user: str, size: int, profiling: bool) -> None:
    """No change since the last sync: with a new reader each time, and with one connected reader."""
    from followup.bootstrap import build

    app = build(settings(template.parent / f"{db_name}.sqlite3", server.port, user))
    fresh, kept = [], []
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
    new_app = []
    for _ in range(3):  # what `followup sync` pays in a new process, once the modules are imported
        other = build(app.settings)
        reader = other.mail_reader()
        start = time.perf_counter()
        other.mail_sync.sync(reader)
        new_app.append(time.perf_counter() - start)
        reader.close()
        other.close()
    median = statistics.median(fresh)
    print(
        f"re-sync with nothing new, {size:,} messages in INBOX (and an empty Sent): "
        f"{median * 1000:.1f} ms with connect and login (median of {RESYNCS}, max {max(fresh) * 1000:.1f}; "
        f"goal ≤ 50 ms: {goal(f'no-change re-sync, {size:,}', f'{median * 1000:.1f} ms (≤ 50 ms)', median <= 0.05)})"
    )
    print(
        f"  {statistics.median(kept) * 1000:.1f} ms on a connected reader (median, max {max(kept) * 1000:.1f}); "
        f"{statistics.median(new_app) * 1000:.0f} ms as the first call of a newly built App "
        f"(its services built on first use, as in `followup sync`)"
    )
    if profiling and median > 0.05:

        def run() -> None:
            for _ in range(10):
                reader = app.mail_reader()
                app.mail_sync.sync(reader)
                reader.close()

        profile("10 re-syncs, new reader each", run, top=14)
    app.close()
    if size == INBOX_SIZE:
        cli = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [str(FOLLOWUP), "--db", app.settings.db, "sync", "--json"],
                check=True,
                env=cli_env(app.settings),
                capture_output=True,
            )
            cli.append(time.perf_counter() - start)
        print(
            f"  `followup sync --json` as a command (a new Python process): "
            f"{statistics.median(cli) * 1000:.0f} ms (median of 3)"
        )


def cli_env(s: Any) -> dict[str, str]:
    """The same settings for the command, from the environment (and no config file of the user's)."""
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


def big_first_sync(template: Path, server: Server) -> None:
    app = fresh_app(template, "big", server.port, user=BIG_USER)
    raw_sync(server.port, BIG_USER)  # Dovecot's first open of the 50,000-message Maildir
    result = followup_sync(app)
    app.close()
    print(
        f"first sync of a {BIG_SIZE:,}-message INBOX spread over {BIG_DAYS} days (untimed set-up of the "
        f"next figure): {result.read:,} in the window in {result.wall:.1f} s = {result.read / result.wall:.0f} msg/s"
    )


def mbox_import(template: Path, mbox: Path, sync_report: Any, profiling: bool) -> None:
    stdlib_import(mbox)  # the file in the page cache for both
    app = fresh_app(template, "import", 0)
    followup_import(app, mbox)  # imports, services
    app.close()
    floor: list[Round] = []
    ours: list[Round] = []
    for _ in range(ROUNDS):
        floor.append(stdlib_import(mbox))
        app = fresh_app(template, "import", 0)
        ours.append(followup_import(app, mbox))
        app.close()
    if any(r.read != MBOX_SIZE for r in floor + ours):
        raise SystemExit(f"a round read {[r.read for r in floor + ours]} messages, not {MBOX_SIZE:,}")
    wall, wall_floor = med(ours, "wall"), med(floor, "wall")
    rate, rate_floor = MBOX_SIZE / wall, MBOX_SIZE / wall_floor
    ratio = rate / rate_floor
    print(
        f"importing a {MBOX_SIZE:,}-message mbox ({mbox.stat().st_size / 2**20:.0f} MiB): "
        "followup against mailbox.mbox + BytesHeaderParser"
    )
    print(
        f"  throughput {rate:8.0f} msg/s   stdlib {rate_floor:8.0f} msg/s   ratio {ratio:4.2f}x"
        f"   (medians of {ROUNDS} rounds each, interleaved; goal ≥ 0.7x: "
        f"{goal('mbox import, 10,000 messages', f'{ratio:.2f}x (≥ 0.7x)', ratio >= 0.7)})"
    )
    cpu, cpu_floor = med(ours, "cpu"), med(floor, "cpu")
    print(f"  wall time  {wall * 1000:8.0f} ms      stdlib {wall_floor * 1000:8.0f} ms")
    print(f"  CPU time   {cpu * 1000:8.0f} ms      stdlib {cpu_floor * 1000:8.0f} ms   ratio {cpu / cpu_floor:4.1f}x")
    print(f"  what the import did: {outcome(ours[-1].report)}")
    print(f"  the IMAP sync of the same messages:  {outcome(sync_report)}")
    if profiling and ratio < 0.7:
        app = fresh_app(template, "profile", 0)
        profile("one import", lambda: followup_import(app, mbox))
        app.close()


def memory(template: Path, huge: Path) -> None:
    db = template.parent / "huge.sqlite3"
    shutil.copyfile(template, db)
    ours = run_once([sys.executable, str(Path(__file__)), "--import-child", str(db), str(huge)])
    floor = run_once([sys.executable, str(Path(__file__)), "--stdlib-child", str(huge)])
    child, base = json.loads(ours.out), json.loads(floor.out)
    peak = child["peak_kib"] / 1024
    print(
        f"importing a {HUGE_SIZE:,}-message mbox ({huge.stat().st_size / 2**20:.0f} MiB) in a child process: "
        f"peak memory {peak:.0f} MiB (VmHWM; goal ≤ 150 MB: "
        f"{goal('peak memory, 100,000-message import', f'{peak * 1.048576:.0f} MB (≤ 150 MB)', peak * 1.048576 <= 150)})"
    )
    print(
        f"  {child['before_kib'] / 1024:.0f} MiB before the import (App built); wait4's ru_maxrss "
        f"{ours.rss_kib / 1024:.0f} MiB; the stdlib loop over the same file peaks at {base['peak_kib'] / 1024:.0f} MiB"
    )
    print(
        f"  {child['read']:,} messages in {child['wall']:.1f} s = {child['read'] / child['wall']:.0f} msg/s "
        f"(stdlib loop {base['read'] / base['wall']:.0f} msg/s); {child['outcome']}"
    )


def vm_hwm() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


def import_child(db: str, path: str) -> None:
    from followup.bootstrap import build

    app = build(settings(Path(db)))
    _ = app.mail_sync, app.mail_files, app.planning
    before = vm_hwm()
    result = followup_import(app, Path(path))
    app.close()
    print(json.dumps({"peak_kib": vm_hwm(), "before_kib": before, "wall": result.wall, "read": result.read,
                      "outcome": outcome(result.report)}))  # fmt: skip


def stdlib_child(path: str) -> None:
    result = stdlib_import(Path(path))
    print(json.dumps({"peak_kib": vm_hwm(), "wall": result.wall, "read": result.read}))


# The run -----------------------------------------------------------------------------------------


def main() -> None:
    profiling = "--profile" in sys.argv
    compile_bytecode()
    DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sync-", dir=DATA))
    work.chmod(0o755)  # Dovecot's processes run as nobody, under it
    os.environ["FOLLOWUP_IMAP_PASSWORD"] = PASSWORD
    try:
        run(work, profiling)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, profiling: bool) -> None:
    start = time.perf_counter()
    template, people = demo_template(work)
    now = datetime.now(UTC)
    demo_s = time.perf_counter() - start
    mail_root = work / "dovecot"
    start = time.perf_counter()
    inbox = write_maildir(mail_root / "mail" / USER, messages(INBOX_SIZE, now=now, days=INBOX_DAYS,
                                                              correspondents=people))  # fmt: skip
    big = write_maildir(mail_root / "mail" / BIG_USER, messages(BIG_SIZE, now=now, days=BIG_DAYS,
                                                                correspondents=people, seed=2))  # fmt: skip
    maildir_s = time.perf_counter() - start
    start = time.perf_counter()
    mbox, huge = work / "inbox.mbox", work / "huge.mbox"
    write_mbox(mbox, messages(MBOX_SIZE, now=now, days=INBOX_DAYS, correspondents=people))
    huge_count = write_mbox(huge, messages(HUGE_SIZE, now=now, days=BIG_DAYS, correspondents=people, seed=3))
    mbox_s = time.perf_counter() - start
    print(
        f"set-up: small demo ({len(people)} people with an address) {demo_s:.1f} s; Maildirs of {inbox[0]:,} "
        f"({inbox[1]} replies from them) and {big[0]:,} ({big[1]}) messages {maildir_s:.1f} s; mboxes of "
        f"{MBOX_SIZE:,} and {huge_count[0]:,} ({huge_count[1]}) {mbox_s:.1f} s"
    )
    with dovecot(mail_root, [USER, BIG_USER]) as server:
        sync_report = first_sync(template, server, profiling)
        resync(template, "first", server, USER, INBOX_SIZE, profiling)
        big_first_sync(template, server)
        resync(template, "big", server, BIG_USER, BIG_SIZE, profiling)
    mbox_import(template, mbox, sync_report, profiling)
    memory(template, huge)
    print("goals:")
    for what, figure, met in GOALS:
        print(f"  {'PASS' if met else 'MISS'}  {what}: {figure}")


if __name__ == "__main__":
    if "--import-child" in sys.argv:
        import_child(*sys.argv[sys.argv.index("--import-child") + 1 :][:2])
    elif "--stdlib-child" in sys.argv:
        stdlib_child(sys.argv[sys.argv.index("--stdlib-child") + 1])
    else:
        main()
