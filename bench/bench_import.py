"""Benchmark: importing 25,000 LinkedIn connections into a fresh SQLite database, against a floor.

The file is LinkedIn's Connections.csv in its real shape (a byte-order mark, the "Notes:" preamble, CRLF,
quoted commas, e-mail addresses for one connection in twenty, a dozen years of "12 Mar 2024" dates).

- floor: the standard library's `csv` reading the same file (open, decode, every row): what any Python
  tool pays at least to read it.
- reference: the floor plus a bare `executemany` of the same rows into a fresh SQLite table shaped like
  followup's `people` (WAL, synchronous=NORMAL, one transaction): the least a tool that stores them pays.
- reference: the floor plus followup's own bulk write of the same rows, as they are, into its own
  database (`Database.insert_columns`: multi-row INSERTs), nothing checked, matched or reported. The
  goal's time less this one is what the goal leaves for the import's own work; both are printed.
- ours: `app.transfer.import_linkedin(data, name, plan=False)` on a fresh database: reading, checking
  each cell (a column at a time), matching against the people already there and the other rows, writing
  the people that are surely new together (multi-row INSERTs) and any others one at a time, the report
  (whose rows are listed only when asked for); the re-planning is noted, not done.
- then, once: the planning that the next command does (`app.planning.ensure_current()`: one
  keep-in-touch note per connection), and a second import of the same file (everything already there:
  the rows found unchanged together, nothing written).

Rounds of the floor, the reference and ours are interleaved; medians are printed, with rows per second
and the ratio to the floor's. Nothing passes or fails on time: the goal (≥ 0.3x the floor's rows per
second) is printed beside the figure. `--profile` adds a cProfile of one import.
"""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from harness import DATA

ROWS = 25_000
ROUNDS = 3
GOAL = 0.3
PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or "
    "download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    "You can learn more "
    'here https://www.linkedin.com/help/linkedin/answer/261"\r\n'
    "\r\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
)
FIRST = [
    "Jane",
    "Raj",
    "Amélie",
    "Siobhán",
    "Wei",
    "Kenji",
    "Sofia",
    "Mateo",
    "Olu",
    "Priya",
    "Lars",
    "Chloé",
]
LAST = ["Doe", "Patel", "Laurent", "Ó Briain", "Zhang", "Nowak", "Larsen", "García", "Okafor", "Iyer", "Berg"]
COMPANIES = ["Northwind Traders", "Contoso Ltd.", "Fabrikam, Inc.", "Tailspin Toys", "Wide World Importers",
             "Adventure Works", "Litware", "Proseware, Inc.", "Woodgrove Bank", "Coho Winery"]  # fmt: skip
POSITIONS = ["Senior Data Engineer", "Engineering Manager", "Recruiter", "Director, Platform Engineering",
             "Talent Acquisition Partner", "Staff Engineer", "CTO",
             "Product Manager \u2013 Payments"]  # fmt: skip


def connections_file(path: Path, rows: int = ROWS, seed: int = 25) -> Path:
    """Write (once) a Connections.csv of `rows` connections as LinkedIn does."""
    if path.exists():
        return path
    rng = random.Random(seed)  # noqa: S311 - sample data
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    start = date(2013, 1, 1)
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}-{last}-{i:x}{rng.randrange(16**6):06x}".lower().replace(" ", "-")
        email = f"{first}.{last}{i}@example.org".lower().replace(" ", "") if i % 20 == 0 else ""
        company = "" if i % 50 == 0 else rng.choice(COMPANIES) + (f" {i % 300}" if i % 3 else "")
        position = "" if i % 50 == 0 else rng.choice(POSITIONS)
        connected = start + timedelta(days=rng.randrange(4700))
        writer.writerow([first, last, f"https://www.linkedin.com/in/{slug}", email, company, position,
                         connected.strftime("%d %b %Y")])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + PREAMBLE + out.getvalue()).encode("utf-8"))
    return path


def floor(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = sum(1 for _ in csv.reader(handle))
    return time.perf_counter() - start, rows


def reference(path: Path, folder: Path) -> float:
    """The floor, then every connection row stored as it is by one executemany."""
    db = folder / "reference.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "organisation TEXT, title TEXT, in_network BOOLEAN NOT NULL, linkedin_url TEXT, "
        "notes TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    start = time.perf_counter()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 7][1:]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO people (name, organisation, title, in_network, linkedin_url, notes, created_at) "
        "VALUES (?, ?, ?, 1, ?, '', ?)",
        [(f"{r[0]} {r[1]}", r[4], r[5], r[2], r[6]) for r in rows],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def bulk_reference(path: Path, folder: Path) -> float:
    """The floor, then every connection row stored as it is (dates as written) by followup's own bulk
    write into its own `people` table: `Database.insert_columns`, multi-row INSERTs, nothing checked,
    matched or reported. What the import could take at the very least, with the storage it has."""
    from followup.storage.database import Database, DatabaseLocation
    from followup.storage.schema import ensure_schema

    db = Database(DatabaseLocation.parse(str(folder / "bulk.sqlite3")))
    ensure_schema(db)
    start = time.perf_counter()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 7][1:]
    first, last, url, _, company, position, connected = map(list, zip(*rows, strict=True))
    columns = {
        "name": list(map(" ".join, zip(first, last, strict=True))),
        "organisation": company,
        "title": position,
        "linkedin_url": url,
        "created_at": connected,
        "in_network": [True] * len(rows),
    }
    db.insert_columns("people", columns, times=("created_at",))
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def fresh_app(folder: Path) -> object:
    from followup.bootstrap import build
    from followup.config import Settings

    app = build(Settings(db=str(folder / "followup.sqlite3"), tz="America/Chicago", country="US"))
    app.transfer  # noqa: B018 - the modules imported and wired before the clock starts
    return app


def ours(path: Path, folder: Path) -> tuple[float, object, object]:
    app = fresh_app(folder)
    start = time.perf_counter()
    report = app.transfer.import_linkedin(path.read_bytes(), path.name, plan=False)  # type: ignore[attr-defined]
    return time.perf_counter() - start, report, app


def med(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, seconds: float, rows: int, base: float) -> None:
    print(
        f"  {name:<44} {seconds * 1000:8.0f} ms  {rows / seconds:9.0f} rows/s  "
        f"{base / seconds:5.2f}x the floor"
    )


def main() -> None:
    profiling = "--profile" in sys.argv
    path = connections_file(DATA / f"Connections-{ROWS}.csv")
    floor(path)  # the file into the page cache, for all
    floors, references, bulks, mine = [], [], [], []
    report, after = None, ""
    for number in range(ROUNDS):
        with tempfile.TemporaryDirectory(dir=DATA) as folder:
            floors.append(floor(path)[0])
            references.append(reference(path, Path(folder)))
            bulks.append(bulk_reference(path, Path(folder)))
            seconds, report, app = ours(path, Path(folder))
            mine.append(seconds)
            if number == ROUNDS - 1:
                after = tail(app, path)
            app.close()  # type: ignore[attr-defined]
    base = med(floors)
    created = report.counts("created").get("person", 0)  # type: ignore[attr-defined]
    size = path.stat().st_size / 2**20
    print(f"importing {ROWS:,} LinkedIn connections ({size:.1f} MiB) into a fresh SQLite database "
          f"(medians of {ROUNDS} interleaved rounds; {created:,} people created)")  # fmt: skip
    line("floor: csv.reader over the file", base, ROWS, base)
    line("reference: floor + one bare executemany", med(references), ROWS, base)
    line("reference: floor + followup's bulk write alone", med(bulks), ROWS, base)
    line("followup import linkedin (records, plan noted)", med(mine), ROWS, base)
    ratio = base / med(mine)
    verdict = "met" if ratio >= GOAL else "missed"
    left = base / GOAL - med(bulks)
    print(f"  ratio {ratio:.2f}x the floor's rows per second (goal >= {GOAL}x: {verdict}); "
          f"the references alone reach {base / med(references):.2f}x and {base / med(bulks):.2f}x")
    print(f"  the goal leaves {left * 1000:.0f} ms ({left / ROWS * 1e6:.1f} µs a row) beyond the bulk write "
          "alone for checking, matching and reporting; the import spends "
          f"{(med(mine) - med(bulks)) * 1000:.0f} ms on them")  # fmt: skip
    print(after)
    if profiling:
        profile(path)


def tail(app: object, path: Path) -> str:
    """The planning the next command does, and importing the same file again, once each."""
    start = time.perf_counter()
    app.planning.ensure_current()  # type: ignore[attr-defined]
    planned = time.perf_counter() - start
    touches = len(app.planning.store.records())  # type: ignore[attr-defined]
    start = time.perf_counter()
    again = app.transfer.import_linkedin(path.read_bytes(), path.name)  # type: ignore[attr-defined]
    second = time.perf_counter() - start
    return (
        f"  then planning {touches:,} keep-in-touch notes (the next command does it): "
        f"{planned * 1000:.0f} ms\n"
        f"  importing the same file again ({again.unchanged:,} already there, nothing written): "
        f"{second * 1000:.0f} ms, {ROWS / second:.0f} rows/s"
    )


def profile(path: Path) -> None:
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        app = fresh_app(Path(folder))
        data = path.read_bytes()
        run: Callable[[], object] = lambda: app.transfer.import_linkedin(data, path.name, plan=False)  # type: ignore[attr-defined]  # noqa: E731
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        app.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
