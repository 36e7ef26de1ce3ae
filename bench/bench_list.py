"""Benchmark: `followup list --json --stage interviewing` on the large demo, against a floor.

The floor is the same interpreter running `python -c` that opens the same SQLite file, runs one
equivalent query and prints the rows as JSON: what any Python tool must pay at least. Reported as
medians of several runs, with the ratio to the floor; nothing here passes or fails on time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 9
HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
DB = DATA / "large.sqlite3"
FOLLOWUP = Path(sys.executable).with_name("followup")

FLOOR = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
rows = conn.execute(
    "SELECT o.id, o.company, o.title, o.stage, o.url, o.created_at, "
    "(SELECT max(i.occurred_at) FROM interactions i WHERE i.opportunity_id = o.id "
    " AND i.kind IN ('call','email','interview','linkedin','meeting','resume-sent','voicemail') "
    " AND i.occurred_at <= ?) AS last_contact_at "
    "FROM opportunities o WHERE o.stage = 'interviewing' ORDER BY o.id",
    ("9999-12-31",),
).fetchall()
print(json.dumps({"opportunities": [dict(r) for r in rows]}, ensure_ascii=False, separators=(",", ":")))
"""


def measure_rss(argv: list[str]) -> tuple[float, int, bytes]:
    """Wall seconds, peak resident memory (KiB, read with wait4 from this child alone) and stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.stdout.read() if proc.stdout else b"", proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv[:3])} … failed: {err.decode()}")
    return elapsed, usage.ru_maxrss, out


def build_demo() -> None:
    DATA.mkdir(exist_ok=True)
    if DB.exists():
        return
    start = time.perf_counter()
    subprocess.run([str(FOLLOWUP), "demo", "--size", "large", "--db", str(DB), "--quiet"], check=True)
    print(f"large demo built in {time.perf_counter() - start:.1f} s ({DB.stat().st_size / 2**20:.0f} MiB)")


def main() -> None:
    build_demo()
    env_cmd = [str(FOLLOWUP), "--db", str(DB), "list", "--json", "--stage", "interviewing"]
    floor_cmd = [sys.executable, "-c", FLOOR, str(DB)]
    ours, floors = [], []
    rows = 0
    for _ in range(RUNS):  # interleaved, so that machine noise hits both alike
        t, rss, out = measure_rss(env_cmd)
        ours.append((t, rss))
        rows = len(json.loads(out)["opportunities"])
        t, rss, out = measure_rss(floor_cmd)
        floors.append((t, rss))
    floor_rows = len(json.loads(out)["opportunities"])
    ours_t, floor_t = statistics.median(t for t, _ in ours), statistics.median(t for t, _ in floors)
    ours_m, floor_m = max(m for _, m in ours), max(m for _, m in floors)
    print(f"followup list --json --stage interviewing: {rows} rows (floor query: {floor_rows} rows)")
    print(
        f"  wall time   followup {ours_t * 1000:6.0f} ms   floor {floor_t * 1000:6.0f} ms   "
        f"ratio {ours_t / floor_t:4.2f}x   (goal ≤ 3x; median of {RUNS})"
    )
    print(
        f"  peak memory followup {ours_m / 1024:6.1f} MiB  floor {floor_m / 1024:6.1f} MiB  "
        f"ratio {ours_m / floor_m:4.2f}x"
    )


if __name__ == "__main__":
    main()
