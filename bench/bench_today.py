"""Benchmarks of the planner on the large demo: `today --json` against a floor, full planning, re-planning.

- `followup today --json` against the floor: the same interpreter opening the same SQLite file, running
  one query for the same touches (open, due before the horizon, with the names of their people and
  opportunities) and printing them as JSON.
- Planning everything: the pure planner over every thread of the large demo (in-process, after loading,
  with the garbage collector paused as `Planning.replan` runs it), beside a floor measured in the same
  run: one walk over the ledger that puts each entry in its people's and its opportunity's lists (the
  least any planner does before applying a single rule), and the making of the plan's touches alone:
  what the goal leaves beyond these two for applying the rules is printed.
- Re-planning after one new ledger entry: what each `followup log …` adds (in-process, median).
Nothing passes or fails on time; the figures are for the reader.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from harness import FOLLOWUP, compare, compile_bytecode, large_demo, report, report_instructions, run_once

from followup.domain.model import Interaction
from followup.domain.scheduling import _copy
from followup.domain.touches import Touch

FLOOR = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
rows = conn.execute(
    "SELECT t.id, t.key, t.kind, t.status, t.due_from, t.due_by, t.send_at, t.reason, t.template, t.channel, "
    " t.urgent, t.round, t.trigger_at, t.snoozed_until, t.cancel_reason, t.sequence, t.decision, "
    " p.id AS person_id, p.name AS person, o.id AS opportunity_id, o.company || ' — ' || o.title AS title "
    "FROM touches t LEFT JOIN people p ON p.id = t.person_id "
    "LEFT JOIN opportunities o ON o.id = t.opportunity_id "
    "WHERE t.status = 'pending' AND (t.decision IS NULL OR t.decision = 'snoozed') AND t.due_from < ? "
    "ORDER BY t.due_from, t.key",
    (sys.argv[2],),
).fetchall()
print(json.dumps({"touches": [dict(r) for r in rows]}, ensure_ascii=False, separators=(",", ":")))
"""


def main() -> None:
    compile_bytecode()
    db = large_demo()
    ours = [str(FOLLOWUP), "--db", str(db), "today", "--json"]
    start = time.perf_counter()
    run_once(ours, keep_output=False)  # the first run after building plans everything once
    print(f"first `today` on the large demo (plans every touch): {time.perf_counter() - start:.1f} s")
    horizon = (datetime.now(UTC) + timedelta(days=70)).isoformat(timespec="microseconds")
    floor = [sys.executable, "-c", FLOOR, str(db), horizon]
    mine, base = compare(ours, floor, runs=9)
    agenda = json.loads(mine[0].out)
    shown = sum(len(agenda[k]) for k in ("overdue", "today", "waiting"))
    rows = len(json.loads(base[0].out)["touches"])
    del agenda
    report(
        f"followup today --json ({shown} touches shown; floor query {rows} rows)",
        mine,
        base,
        goal="≤ 3x and < 40 MiB",
    )
    report_instructions(ours, floor)
    in_process(str(db))


def in_process(db: str) -> None:
    from followup.bootstrap import build
    from followup.config import Settings
    from followup.domain.model import InteractionKind
    from followup.domain.planner import PlanInput, plan
    from followup.services.collecting import collector_paused

    app = build(Settings.load(overrides={"db": db}))  # the settings the command line uses: same plan
    planning = app.planning
    data = app.context.repo.planning_data()
    threads = len(data[2]) + sum(1 for p in data[0].values() if p.in_network)
    inputs = PlanInput(*data, user_zone=app.context.tz.key, user_country=app.settings.country)
    with collector_paused():  # as Planning.replan runs it
        start = time.perf_counter()
        touches = plan(inputs, planning.playbook, planning.calendar)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        plan(inputs, planning.playbook, planning.calendar)
        warm = time.perf_counter() - start
        grouping = min(_group(inputs.ledger) for _ in range(3))
        making = min(_made(touches) for _ in range(3))
    print(
        f"planning everything: {threads} threads ({len(touches)} touches, {len(inputs.ledger)} ledger "
        f"entries) in {warm:.2f} s ({cold:.2f} s the first time, public holidays loaded) = "
        f"{warm / threads * 1e6:.0f} µs a thread; 100,000 threads ≈ {warm / threads * 1e5:.1f} s (goal ≤ 1 s)"
    )
    print(
        f"  floor: grouping the ledger by person and by opportunity, the least any planner does: "
        f"{grouping:.2f} s = {grouping / threads * 1e6:.0f} µs a thread; "
        f"planning takes {warm / grouping:.1f}x as long"
    )
    goal = threads / 100_000  # seconds: the goal's 1 s for 100,000 threads, for this many
    print(
        f"  and making the plan's {len(touches)} touches alone (each copied from one already made, the "
        f"cheapest way the planner has): {making:.2f} s; the goal ({goal:.2f} s for {threads} threads) "
        f"leaves {goal - grouping - making:.2f} s beyond these two for applying every rule"
    )
    samples = []
    opportunities = sorted(data[1])[:: max(1, len(data[1]) // 25)][:25]
    for oid in opportunities:
        contacts = [link.person_id for link in data[2] if link.opportunity_id == oid][:1]
        entry = Interaction(
            kind=InteractionKind.NOTE,
            occurred_at=app.context.now(),
            opportunity_id=oid,
            person_ids=tuple(contacts),
            recorded_at=app.context.now(),
            notes="benchmark",
        )
        try:
            with app.context.repo.transaction():  # rolled back: the demo stays as it was
                app.context.repo.append(entry)
                start = time.perf_counter()
                planning.replan(opportunity_ids={oid}, person_ids=set(contacts))
                samples.append(time.perf_counter() - start)
                raise _RollbackError
        except _RollbackError:
            pass
    print(
        f"re-planning after one ledger entry: median {statistics.median(samples) * 1000:.1f} ms, "
        f"max {max(samples) * 1000:.1f} ms over {len(samples)} entries (goal ≤ 10 ms)"
    )
    app.close()


def _made(touches: Sequence[Touch]) -> float:
    """Seconds to make each touch anew from one already made (scheduling._copy, the cheapest way)."""
    start = time.perf_counter()
    for touch in touches:
        _copy(touch)
    return time.perf_counter() - start


def _group(ledger: Sequence[Interaction]) -> float:
    """Seconds to walk the ledger once, putting each entry in its people's and its opportunity's lists."""
    start = time.perf_counter()
    by_person: dict[int, list[Interaction]] = defaultdict(list)
    by_opportunity: dict[int | None, list[Interaction]] = defaultdict(list)
    for entry in ledger:
        for pid in entry.person_ids:
            by_person[pid].append(entry)
        by_opportunity[entry.opportunity_id].append(entry)
    return time.perf_counter() - start


class _RollbackError(Exception):
    """Raised to undo the benchmark's own ledger entry."""


if __name__ == "__main__":
    main()
