"""Measuring commands against a floor in the same run: wall time, CPU time and peak memory.

This machine's timings are noisy (shared cores), so runs of the command and of its floor are
interleaved, repeated, and reported as medians; CPU time (user + system, from the child's own
rusage) is printed beside wall time because it is less disturbed by other load.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
FOLLOWUP = Path(sys.executable).with_name("followup")


class Sample:
    __slots__ = ("cpu", "out", "rss_kib", "wall")

    def __init__(self, wall: float, cpu: float, rss_kib: int, out: bytes) -> None:
        self.wall, self.cpu, self.rss_kib, self.out = wall, cpu, rss_kib, out


def run_once(argv: list[str], *, keep_output: bool = True) -> Sample:
    """One run of a child process; its peak memory and CPU come from wait4 on that child alone.

    Linux starts a new program's peak-memory count from its parent's size at the fork, so this
    process must stay small while it measures: with keep_output=False the output is read and dropped.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = b""
    if proc.stdout:
        if keep_output:
            out = proc.stdout.read()
        else:
            while proc.stdout.read(1 << 16):
                pass
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv[:4])} … failed: {err.decode()}")
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out)


def compare(ours: list[str], floor: list[str], *, runs: int) -> tuple[list[Sample], list[Sample]]:
    """Interleaved runs of both, outputs dropped (see run_once); then one more of each, kept."""
    mine, base = [], []
    for _ in range(runs):
        mine.append(run_once(ours, keep_output=False))
        base.append(run_once(floor, keep_output=False))
    mine[0].out, base[0].out = run_once(ours).out, run_once(floor).out
    return mine, base


def report(title: str, mine: list[Sample], base: list[Sample], *, goal: str) -> None:
    def med(samples: list[Sample], attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in samples)

    wall, wall_floor = med(mine, "wall"), med(base, "wall")
    cpu, cpu_floor = med(mine, "cpu"), med(base, "cpu")
    rss, rss_floor = med(mine, "rss_kib") / 1024, med(base, "rss_kib") / 1024
    worst, worst_floor = max(s.rss_kib for s in mine) / 1024, max(s.rss_kib for s in base) / 1024
    print(title)
    line = "  {:<12} {:7.1f} ms   floor {:7.1f} ms   ratio {:4.2f}x"
    print(
        line.format("wall time", wall * 1000, wall_floor * 1000, wall / wall_floor)
        + f"   (median of {len(mine)}; goal {goal})"
    )
    print(line.format("CPU time", cpu * 1000, cpu_floor * 1000, cpu / cpu_floor))
    print(
        f"  peak memory  {rss:7.1f} MiB  floor {rss_floor:7.1f} MiB  ratio {rss / rss_floor:4.2f}x"
        f"   (median; the largest run: {worst:.1f} MiB, floor {worst_floor:.1f} MiB)"
    )


def instructions(argv: list[str]) -> int | None:
    """Instructions executed (valgrind's callgrind), a figure that machine noise does not move."""
    if shutil.which("valgrind") is None:
        return None
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    return int(found.group(1)) if found else None


def report_instructions(ours: list[str], floor: list[str]) -> None:
    mine, base = instructions(ours), instructions(floor)
    if mine and base:
        print(
            f"  instructions {mine / 1e6:7.1f} M    floor {base / 1e6:7.1f} M    ratio {mine / base:4.2f}x"
            "   (callgrind, one run each)"
        )


def compile_bytecode() -> None:
    """Users run from compiled bytecode (pip compiles on install); measure that, not the compiler."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def large_demo() -> Path:
    """The large demo search, built once and kept in bench/.data/."""
    DATA.mkdir(exist_ok=True)
    db = DATA / "large.sqlite3"
    if not db.exists():
        start = time.perf_counter()
        subprocess.run([str(FOLLOWUP), "demo", "--size", "large", "--db", str(db), "--quiet"], check=True)
        print(
            f"large demo built in {time.perf_counter() - start:.1f} s ({db.stat().st_size / 2**20:.0f} MiB)"
        )
    return db
