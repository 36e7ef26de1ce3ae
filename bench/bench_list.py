"""Benchmark: `followup list --json --stage interviewing` on the large demo, against a floor.

The floor is the same interpreter running `python -c` that opens the same SQLite file, runs one
equivalent query and prints the rows as JSON: what any Python tool must pay at least. Equivalent
means the same information as `followup list --json`: every field, and the people of each
opportunity (gathered by SQLite's json_group_array in the same statement).
Nothing here passes or fails on time; the ratios are for the reader.
"""

from __future__ import annotations

import json
import sys

from harness import FOLLOWUP, compare, compile_bytecode, large_demo, report, report_instructions

FLOOR = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
contact = "('call','email','interview','linkedin','meeting','resume-sent','voicemail')"
rows = conn.execute(
    "SELECT o.id, o.company, o.title, o.stage, o.url, o.source, o.location, "
    " (SELECT min(i.occurred_at) FROM interactions i WHERE i.opportunity_id = o.id "
    "  AND i.kind = 'application') AS applied_at, "
    " (SELECT max(i.occurred_at) FROM interactions i WHERE i.opportunity_id = o.id "
    "  AND i.kind IN " + contact + " AND i.occurred_at <= ?) AS last_contact_at, "
    " o.decision_expected, o.notes, o.created_at, "
    " (SELECT json_group_array(json_object('id', p.id, 'name', p.name, 'role', l.role)) "
    "  FROM links l JOIN people p ON p.id = l.person_id WHERE l.opportunity_id = o.id) AS people "
    "FROM opportunities o WHERE o.stage = 'interviewing' ORDER BY o.id",
    ("9999-12-31",),
).fetchall()
out = [{**dict(r), "people": json.loads(r["people"])} for r in rows]
print(json.dumps({"opportunities": out}, ensure_ascii=False, separators=(",", ":")))
"""


def main() -> None:
    compile_bytecode()
    db = large_demo()
    ours = [str(FOLLOWUP), "--db", str(db), "list", "--json", "--stage", "interviewing"]
    floor = [sys.executable, "-c", FLOOR, str(db)]
    mine, base = compare(ours, floor, runs=15)
    rows = len(json.loads(mine[0].out)["opportunities"])
    floor_rows = len(json.loads(base[0].out)["opportunities"])
    report(
        f"followup list --json --stage interviewing ({rows} rows; floor query {floor_rows} rows)",
        mine,
        base,
        goal="≤ 3x",
    )
    report_instructions(ours, floor)


if __name__ == "__main__":
    main()
