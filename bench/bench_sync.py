"""Benchmarks of reading mail: the first IMAP sync, a re-sync with nothing new, mbox imports (time, memory).

1. First sync of a 10,000-message INBOX (`app.mail_sync.sync(app.mail_reader())`, connect to logout)
   against a raw imapclient loop: LOGIN, EXAMINE, the same UID SEARCH, FETCH of the same header fields
   (`HEADER_FIELDS`) in the same batches (`BATCH`), LOGOUT. Goal ≥ 0.8x its throughput.
2. A re-sync when nothing changed, at 10,000 and 50,000 messages: the call with a new reader (connect
   and login included: what a user waits for), and on a connected one. Goal ≤ 50 ms.
3. Importing a 10,000-message mbox (`app.mail_sync.import_files`) against the standard library:
   `mailbox.mbox` and `BytesHeaderParser` on each message's bytes. Goal ≥ 0.7x its throughput.
4. The peak memory (VmHWM, read inside the child) of a process importing a 100,000-message mbox.
   Goal ≤ 150 MB. The child is stopped after MEMORY_BUDGET_S (its peak so far and the trend are shown)
   unless `--full` is given; at today's import speed (~7,000 msg/s here) all 100,000 take under 20 s.

The data: the small demo job search (30 people, 13 opportunities, their ledger's Message-IDs) and mail
from `sample_mail` (realistic headers, 2-8 KB bodies), 2% of it replies from the demo's people, so
matching, body fetches and ledger entries are part of every figure; the mbox of 3 holds the same
10,000 messages as the INBOX of 1. Dovecot runs as `nobody` on a free port with the mail tests'
configuration and start-up (`tests/mail/conftest.py`), over Maildirs written before it starts (file
mtimes are the INTERNALDATEs). The app's clock is the real one. Everything lives under bench/.data/.

Rounds of ours and of the floor are interleaved and medians reported, as many as fit a time budget
(up to 3); CPU time is this process's (Dovecot's is its own). Nothing fails on time: PASS/MISS compares
with the issue's goals. `--profile` adds an untimed cProfile run of each measurement that missed.
Writing the data takes about half a minute (60,000 Maildir files cost ~0.5 ms each here).
"""

from __future__ import annotations

import email.parser
import json
import mailbox
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from harness import DATA, FOLLOWUP, compile_bytecode
from mail_harness import (
    GOALS,
    PASSWORD,
    TZ,
    USER,
    Round,
    TimedReader,
    demo_template,
    dovecot,
    fresh_app,
    interleaved,
    med,
    outcome,
    profile,
    settings,
    throughput,
    verdict,
)
from sample_mail import MaildirWriter, MboxWriter, fill, messages

BIG_USER = "bob"
INBOX_SIZE, BIG_SIZE, HUGE_SIZE = 10_000, 50_000, 100_000
INBOX_DAYS, BIG_DAYS = 170, 720  # all of alice's INBOX is inside the 180-day window; a quarter of bob's
RESYNCS = 15
MEMORY_BUDGET_S = 150.0  # for the 100,000-message import; `--full` lifts it


# The contenders ----------------------------------------------------------------------------------


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


# The measurements --------------------------------------------------------------------------------


def warm(template: Path, port: int) -> float:
    """What a process pays once, not per message, kept out of the timed rounds: the modules, the
    playbook and the public holidays of the first plan, the IMAP client."""
    start = time.perf_counter()
    app = fresh_app(template, "warm", port)
    app.planning.replan(person_ids={app.db.scalar("SELECT min(id) FROM people")})
    app.reading.index()
    reader = app.mail_reader()
    reader.examine("INBOX")
    reader.close()
    _ = app.mail_sync, app.mail_files
    app.close()
    return time.perf_counter() - start


def first_sync(template: Path, port: int, profiling: bool) -> Any:
    warm_raw = raw_sync(port)  # Dovecot opens the Maildir and builds its index here
    warm_s = warm(template, port)

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
        f"  followup's time, ms: {imap * 1000:.0f} in reader calls ({detail}; reading the answers "
        f"included; the raw loop's FETCHes {raw_fetch * 1000:.0f}), {(wall - imap) * 1000:.0f} in the rest "
        "(parsing, matching, classifying headers; ledger entries, commits, re-planning)"
    )
    print(
        f"  untimed warm-ups: raw {warm_raw.wall:.1f} s (Dovecot's first open of the Maildir), followup "
        f"{warm_s:.1f} s (modules, services); what each sync did: {outcome(mine[-1].report)}"
    )
    if profiling and ratio < 0.8:
        app = fresh_app(template, "profile", port)
        profile("one first sync", lambda: followup_sync(app))
        app.close()
    return mine[-1].report


def raw_check(port: int, user: str, client: Any = None) -> tuple[float, Any]:
    """The floor of a check that finds nothing new, in the sync's order: (connect, LOGIN, ENABLE CONDSTORE
    on a new connection,) EXAMINE INBOX, (LIST,) EXAMINE Sent. Seconds, and the connection."""
    from imapclient import IMAPClient

    start = time.perf_counter()
    fresh = client is None
    if client is None:
        client = IMAPClient("127.0.0.1", port, ssl=False, timeout=30)
        client.login(user, PASSWORD)
        client.enable("CONDSTORE")
    client.select_folder("INBOX", readonly=True)
    if fresh:  # in this order: Dovecot opens a large Maildir faster the first time in a connection
        client.list_folders()
    client.select_folder("Sent", readonly=True)
    return time.perf_counter() - start, client


@dataclass
class Checks:
    """Seconds of no-change re-syncs, followup's and the raw floor's, each interleaved with the other."""

    fresh: list[float] = field(default_factory=list)  # a new reader (connection) each time
    fresh_raw: list[float] = field(default_factory=list)
    kept: list[float] = field(default_factory=list)  # one connected reader
    kept_raw: list[float] = field(default_factory=list)


def checks(app: Any, port: int, user: str) -> Checks:
    found = Checks()
    for _ in range(RESYNCS):
        seconds, client = raw_check(port, user)
        found.fresh_raw.append(seconds)
        client.logout()
        reader = app.mail_reader()
        start = time.perf_counter()
        report = app.mail_sync.sync(reader)
        found.fresh.append(time.perf_counter() - start)
        reader.close()
        if report.read:
            raise SystemExit(f"a re-sync with nothing new read {report.read} messages")
    _, client = raw_check(port, user)
    reader = app.mail_reader()
    app.mail_sync.sync(reader)  # connects
    for _ in range(RESYNCS):
        found.kept_raw.append(raw_check(port, user, client)[0])
        start = time.perf_counter()
        app.mail_sync.sync(reader)
        found.kept.append(time.perf_counter() - start)
    client.logout()
    reader.close()
    return found


def first_calls(app: Any, *, command: bool) -> str:
    """The first sync call of a newly built App, and `followup sync` as a command (a new process)."""
    from followup.bootstrap import build

    calls, commands = [], []
    for _ in range(3):
        other = build(app.settings)
        reader = other.mail_reader()
        start = time.perf_counter()
        other.mail_sync.sync(reader)
        calls.append(time.perf_counter() - start)
        reader.close()
        other.close()
        if command:
            start = time.perf_counter()
            argv = [str(FOLLOWUP), "--db", app.settings.db, "sync", "--json"]
            subprocess.run(argv, check=True, env=command_env(app.settings), capture_output=True)
            commands.append(time.perf_counter() - start)
    line = (
        "  the first call of a newly built App (its services built on first use, as in `followup sync`): "
        f"{statistics.median(calls) * 1000:.0f} ms"
    )
    if commands:
        line += f"; `followup sync --json`, a new process: {statistics.median(commands) * 1000:.0f} ms"
    return line


def resync(template: Path, name: str, port: int, user: str, size: int, profiling: bool) -> None:
    """Nothing new since the last sync: a new reader each time (connect and login), then a connected one;
    interleaved with the same IMAP conversation held by raw imapclient."""
    from followup.bootstrap import build

    app = build(settings(template.parent / f"{name}.sqlite3", port, user))
    found = checks(app, port, user)
    median = statistics.median(found.fresh)
    met = verdict(
        f"no-change re-sync, {size:,} messages", f"{median * 1000:.1f} ms (goal ≤ 50 ms)", median <= 0.05
    )
    print(
        f"re-sync with nothing new, {size:,} messages in INBOX (and an empty Sent): followup's call against "
        f"raw imapclient holding the same conversation (medians of {RESYNCS}, interleaved)"
    )
    for label, ours, raw, note in (
        ("new reader", found.fresh, found.fresh_raw, f"connect and login included; goal ≤ 50 ms: {met}"),
        ("connected ", found.kept, found.kept_raw, "as `followup watch` re-syncs"),
    ):
        mine, floor = statistics.median(ours), statistics.median(raw)
        print(
            f"  {label} {mine * 1000:6.1f} ms (max {max(ours) * 1000:5.1f})   raw {floor * 1000:6.1f} ms   "
            f"ratio {mine / floor:4.2f}x   ({note})"
        )
    print(first_calls(app, command=size == INBOX_SIZE))
    if profiling and median > 0.05:

        def run() -> None:
            for _ in range(10):
                reader = app.mail_reader()
                app.mail_sync.sync(reader)
                reader.close()

        profile("10 re-syncs with a new reader each", run)
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


def memory(template: Path, huge: Path, *, full: bool) -> None:
    """The import in a child process, its peak memory read inside it every 5,000 messages; stopped at
    MEMORY_BUDGET_S unless `full`."""
    db = template.parent / "huge.sqlite3"
    shutil.copyfile(template, db)
    argv = [sys.executable, str(Path(__file__)), "--import-child", str(db), str(huge)]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    steps: list[dict[str, Any]] = []
    listener = threading.Thread(target=lambda: steps.extend(json.loads(line) for line in child.stdout or ()))
    listener.start()
    try:
        child.wait(timeout=None if full else MEMORY_BUDGET_S)
    except subprocess.TimeoutExpired:
        child.terminate()
        child.wait()
    listener.join()
    first, progress = steps[0], [s for s in steps[1:] if "done" in s]
    last = steps[-1] if "read" in steps[-1] else None
    if last is None and child.returncode != -signal.SIGTERM:
        raise SystemExit("the import child failed")
    peaks = [first["before_kib"], *(p["peak_kib"] for p in progress), *([last["peak_kib"]] if last else [])]
    peak_kib = max(peaks)
    peak_mb = peak_kib * 1024 / 1e6
    size = f"{HUGE_SIZE:,}-message mbox ({huge.stat().st_size / 2**20:.0f} MiB)"
    if last is not None:
        met = verdict(
            f"peak memory, {HUGE_SIZE:,}-message import", f"{peak_mb:.0f} MB (goal ≤ 150 MB)", peak_mb <= 150
        )
        print(
            f"importing a {size} in a child process: peak memory {peak_mb:.0f} MB "
            f"= {peak_kib / 1024:.0f} MiB (VmHWM; goal ≤ 150 MB: {met})"
        )
    else:
        done = progress[-1]["done"] if progress else 0
        figure = f"{peak_mb:.0f} MB after {done:,} messages, stopped at the {MEMORY_BUDGET_S:.0f} s budget"
        GOALS.append((f"peak memory, {HUGE_SIZE:,}-message import", f"{figure} (`--full` imports all)", None))
        print(
            f"importing a {size} in a child process: stopped at the {MEMORY_BUDGET_S:.0f} s budget after "
            f"{done:,} messages (`--full` imports them all); peak memory so far {peak_mb:.0f} MB "
            f"= {peak_kib / 1024:.0f} MiB (VmHWM; goal ≤ 150 MB: not known yet)"
        )
    shown = progress[:: max(1, len(progress) // 6)]
    shown += progress[-1:] if progress and shown[-1] is not progress[-1] else []
    trend = ", ".join(f"{p['done'] // 1000}k {p['peak_kib'] / 1024:.0f}" for p in shown)
    print(f"  peak MiB as it went: the App built {first['before_kib'] / 1024:.0f}, {trend}")
    if len(progress) >= 2:
        rates = [(b["done"] - a["done"]) / (b["elapsed"] - a["elapsed"]) for a, b in pairwise(progress)]
        rate = progress[-1]["done"] / progress[-1]["elapsed"]
        print(
            f"  {rate:.0f} msg/s (the first 5,000 {rates[0]:.0f} msg/s, the last {rates[-1]:.0f}): all "
            f"{HUGE_SIZE:,} take ≈ {HUGE_SIZE / rate:.0f} s" + (f"; {last['outcome']}" if last else "")
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
    start, batches = time.perf_counter(), 0
    print(json.dumps({"before_kib": vm_hwm()}), flush=True)

    def progress(_what: str, _done: int, _total: int) -> None:
        nonlocal batches
        batches += 1
        if batches % 10 == 0:  # every 5,000 messages
            elapsed = time.perf_counter() - start
            print(json.dumps({"done": batches * 500, "peak_kib": vm_hwm(), "elapsed": elapsed}), flush=True)

    result = followup_import(app, Path(path), progress)
    app.close()
    print(json.dumps({"peak_kib": vm_hwm(), "read": result.read, "outcome": outcome(result.report)}))


# The run -----------------------------------------------------------------------------------------


def main() -> None:
    profiling = "--profile" in sys.argv
    compile_bytecode()
    DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sync-", dir=DATA))
    work.chmod(0o755)  # Dovecot's processes, running as nobody, must reach their folder inside
    os.environ["FOLLOWUP_IMAP_PASSWORD"] = PASSWORD  # what `followup sync` reads it from
    try:
        run(work, profiling=profiling, full="--full" in sys.argv)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, *, profiling: bool, full: bool) -> None:
    start = time.perf_counter()
    template, people = demo_template(work)
    now = datetime.now(UTC)
    demo_s, start = time.perf_counter() - start, time.perf_counter()
    mail = work / "dovecot"
    inbox, mbox = MaildirWriter(mail / "mail" / USER), MboxWriter(work / "inbox.mbox")
    big, huge = MaildirWriter(mail / "mail" / BIG_USER), MboxWriter(work / "huge.mbox")
    # The INBOX and the mbox of 3 hold the same messages; bob's 50,000 are half the mbox of 4.
    fill(messages(INBOX_SIZE, now=now, days=INBOX_DAYS, correspondents=people), inbox, mbox)
    fill(messages(BIG_SIZE, now=now, days=BIG_DAYS, correspondents=people, seed=2), big, huge)
    fill(messages(HUGE_SIZE - BIG_SIZE, now=now, days=BIG_DAYS, correspondents=people, seed=3), huge)
    for writer in (inbox, mbox, big, huge):
        writer.close()
    print(
        f"set-up: the small demo ({len(people)} people with an address) {demo_s:.1f} s; Maildirs of "
        f"{inbox.count:,} ({inbox.replies} replies from them) and {big.count:,} ({big.replies}) messages, "
        f"mboxes of {mbox.count:,} and {huge.count:,} ({huge.replies}) {time.perf_counter() - start:.1f} s"
    )
    with dovecot(mail, [USER, BIG_USER]) as port:
        sync_report = first_sync(template, port, profiling)
        resync(template, "first", port, USER, INBOX_SIZE, profiling)
        big_first_sync(template, port)
        resync(template, "big", port, BIG_USER, BIG_SIZE, profiling)
    mbox_import(template, mbox.path, sync_report, profiling)
    memory(template, huge.path, full=full)
    print("goals:")
    for what, figure, met in GOALS:
        print(f"  {'n/a ' if met is None else 'PASS' if met else 'MISS'}  {what}: {figure}")


if __name__ == "__main__":
    if "--import-child" in sys.argv:
        import_child(*sys.argv[sys.argv.index("--import-child") + 1 :][:2])
    else:
        main()
