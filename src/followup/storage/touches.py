"""SqlTouchStore: planned touches, the user's decisions on them, and planning metadata."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from followup.domain.agenda import TouchRecord
from followup.domain.touches import Channel, Decision, StaleNote, Touch, TouchKind, TouchStatus
from followup.storage.database import Database, Row
from followup.storage.sql import in_list

_TIMES = ("due_from", "due_by", "send_at", "trigger_at", "planned_at")
# A touch's stored columns, each with how its value is read from the Touch.
_STORED: dict[str, Callable[[Touch], Any]] = {
    "key": attrgetter("key"),
    "kind": lambda t: t.kind.value,
    "person_id": attrgetter("person_id"),
    "opportunity_id": attrgetter("opportunity_id"),
    "due_from": attrgetter("due_from"),
    "due_by": attrgetter("due_by"),
    "send_at": attrgetter("send_at"),
    "reason": attrgetter("reason"),
    "template": attrgetter("template"),
    "trigger_id": attrgetter("trigger_id"),
    "trigger_at": attrgetter("trigger_at"),
    "urgent": attrgetter("urgent"),
    "round": attrgetter("round"),
    "channel": lambda t: t.channel.value,
    "status": lambda t: t.status.value,
    "cancel_reason": attrgetter("cancel_reason"),
    "how": lambda t: "\n".join(t.how),
}
_COLUMNS = ", ".join(_STORED)
# Conversations to re-plan are noted as meta keys of their own ("stale:o:12", "stale:p:7", "stale:all"),
# so noting one is one insert however many are noted already.
_STALE = "stale:"
_STALE_ALL = "stale:all"
_LEGACY_STALE = "stale"
# Every stale key, the older single one included: "stale" <= key < "stalf"
_STALE_KEYS = "key >= :low AND key < :high"
_STALE_RANGE = {"low": _LEGACY_STALE, "high": "stalf"}
_KIND = {k.value: k for k in TouchKind}
_STATUS = {s.value: s for s in TouchStatus}


class SqlTouchStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> Any:
        return self.db.transaction()

    # Reading -------------------------------------------------------------------------------------

    def records(
        self,
        *,
        person_ids: Iterable[int] | None = None,
        opportunity_ids: Iterable[int] | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[TouchRecord]:
        clauses, params = [], {}
        scope = []
        if person_ids is not None:
            fragment, p = self.db.id_set("p", person_ids)
            scope.append(f"t.person_id IN {fragment}")
            params.update(p)
        if opportunity_ids is not None:
            fragment, o = self.db.id_set("o", opportunity_ids)
            scope.append(f"t.opportunity_id IN {fragment}")
            params.update(o)
        if scope:
            clauses.append("(" + " OR ".join(scope) + ")")
        if open_only:
            clauses.append("t.status = 'pending' AND (t.decision IS NULL OR t.decision = 'snoozed')")
        if due_before is not None:
            clauses.append("t.due_from < :due_before")
            params["due_before"] = due_before
        return self._records(" AND ".join(clauses) or "1 = 1", params)

    def open_records(self, *, due_before: datetime) -> Iterator[TouchRecord]:
        """Open touches in the order they come due (a snooze counts), read a batch at a time."""
        effective = (
            "CASE WHEN t.decision = 'snoozed' AND t.snoozed_until > t.due_from THEN t.snoozed_until "
            "ELSE t.due_from END"
        )
        for rows in self.db.batches(
            f"SELECT t.id, {_COLUMNS}, t.sequence, t.decision, t.decided_at, t.snoozed_until FROM touches t "
            "WHERE t.status = 'pending' AND (t.decision IS NULL OR t.decision = 'snoozed') "
            f"AND t.due_from < :due_before ORDER BY {effective}, t.key",
            {"due_before": due_before},
        ):
            yield from (self._record(r) for r in rows)

    def record(self, touch_id: int) -> TouchRecord | None:
        found = self._records("t.id = :id", {"id": touch_id})
        return found[0] if found else None

    def _records(self, where: str, params: Mapping[str, Any]) -> list[TouchRecord]:
        rows = self.db.all(
            f"SELECT t.id, {_COLUMNS}, t.sequence, t.decision, t.decided_at, t.snoozed_until "
            f"FROM touches t WHERE {where} ORDER BY t.due_from, t.key",
            params,
        )
        return [self._record(r) for r in rows]

    def _record(self, r: Row) -> TouchRecord:
        dt = self.db.dt
        touch = Touch(
            key=r["key"],
            kind=_KIND[r["kind"]],
            person_id=r["person_id"],
            opportunity_id=r["opportunity_id"],
            due_from=dt(r["due_from"]),  # type: ignore[arg-type]
            due_by=dt(r["due_by"]),  # type: ignore[arg-type]
            send_at=dt(r["send_at"]),  # type: ignore[arg-type]
            reason=r["reason"],
            template=r["template"],
            trigger_id=r["trigger_id"],
            trigger_at=dt(r["trigger_at"]),  # type: ignore[arg-type]
            urgent=bool(r["urgent"]),
            round=r["round"],
            channel=Channel(r["channel"]),
            status=_STATUS[r["status"]],
            cancel_reason=r["cancel_reason"],
            how=tuple(r["how"].split("\n")) if r["how"] else (),
        )
        return TouchRecord(
            id=r["id"],
            touch=touch,
            sequence=r["sequence"],
            decision=Decision(r["decision"]) if r["decision"] else None,
            decided_at=dt(r["decided_at"]),
            snoozed_until=dt(r["snoozed_until"]),
        )

    # Writing -------------------------------------------------------------------------------------

    def save_plan(
        self, touches: Sequence[Touch], *, stale_scope: Sequence[TouchRecord], now: datetime
    ) -> int:
        """Store a plan: new touches get ids, changed ones a higher sequence, touches in the re-planned
        scope that the plan no longer contains are cancelled (kept, so calendars learn of it).
        Returns the number of rows written."""
        written = 0
        with self.transaction():
            keys = [t.key for t in touches]
            existing: dict[str, Row] = {}
            for start in range(0, len(keys), 500):
                fragment, params = in_list("k", keys[start : start + 500])
                for found in self.db.all(
                    "SELECT id, key, due_from, due_by, status, reason, person_id, sequence, how "
                    f"FROM touches "
                    f"WHERE key IN {fragment}",
                    params,
                ):
                    existing[found["key"]] = found
            inserts: list[Touch] = []
            for touch in touches:
                row = existing.get(touch.key)
                if row is None:
                    inserts.append(touch)
                    continue
                values = self._values(touch)
                moved = (self.db.dt(row["due_from"]), self.db.dt(row["due_by"])) != (
                    touch.due_from,
                    touch.due_by,
                )
                if (
                    moved
                    or row["status"] != touch.status.value
                    or row["reason"] != touch.reason
                    or row["person_id"] != touch.person_id
                    or row["how"] != values["how"]
                ):
                    self.db.execute(
                        f"UPDATE touches SET {', '.join(f'{c} = :{c}' for c in values)}, "
                        "sequence = sequence + :bump, planned_at = :now WHERE id = :id",
                        {**values, "bump": 1, "now": now, "id": row["id"]},
                    )
                    written += 1
            if inserts:
                self._insert(inserts, now)
                written += len(inserts)
            planned = set(keys)
            for record in stale_scope:
                if record.touch.key not in planned and record.touch.status is TouchStatus.PENDING:
                    self.db.execute(
                        "UPDATE touches SET status = 'cancelled', cancel_reason = :why, "
                        "sequence = sequence + 1, "
                        "planned_at = :now WHERE id = :id",
                        {"why": "no longer needed", "now": now, "id": record.id},
                    )
                    written += 1
        return written

    def _insert(self, touches: list[Touch], now: datetime) -> None:
        """New touches, column by column (after an import they are tens of thousands)."""
        count = len(touches)
        columns: dict[str, Sequence[Any]] = {c: list(map(value, touches)) for c, value in _STORED.items()}
        columns["sequence"], columns["planned_at"] = [0] * count, [now] * count
        self.db.insert_columns("touches", columns, times=_TIMES, keyed=False)

    @staticmethod
    def _values(touch: Touch) -> dict[str, Any]:
        return {column: value(touch) for column, value in _STORED.items()}

    def decide(
        self, touch_id: int, decision: Decision | None, *, at: datetime, until: datetime | None
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE touches SET decision = :decision, decided_at = :at, snoozed_until = :until, "
                "sequence = sequence + 1 WHERE id = :id",
                {"decision": decision.value if decision else None, "at": at, "until": until, "id": touch_id},
            )

    def meta(self, key: str) -> str | None:
        value = self.db.scalar("SELECT value FROM meta WHERE key = :key", {"key": key})
        return None if value is None else str(value)

    def note_stale(
        self, opportunity_ids: Iterable[int], person_ids: Iterable[int], *, everything: bool
    ) -> None:
        keys = [_STALE_ALL] if everything else [
            *(f"{_STALE}o:{i}" for i in opportunity_ids), *(f"{_STALE}p:{i}" for i in person_ids)
        ]  # fmt: skip
        for start in range(0, len(keys), 500):  # a ledger entry's own note is one short statement
            chunk = keys[start : start + 500]
            rows = ", ".join(f"(:k{i}, '')" for i in range(len(chunk)))
            self.db.execute(
                f"INSERT INTO meta (key, value) VALUES {rows} ON CONFLICT (key) DO NOTHING",
                {f"k{i}": key for i, key in enumerate(chunk)},
            )

    def stale(self) -> StaleNote | None:
        rows = self.db.all(f"SELECT key, value FROM meta WHERE {_STALE_KEYS}", _STALE_RANGE)
        opportunities: set[int] = set()
        people: set[int] = set()
        everything = False
        for row in rows:
            key = str(row["key"])
            if key == _LEGACY_STALE:  # the single note older versions kept, as JSON
                old = json.loads(row["value"]) if row["value"] else {}
                everything = everything or bool(old.get("all"))
                opportunities.update(old.get("o", ()))
                people.update(old.get("p", ()))
            elif key == _STALE_ALL:
                everything = True
            elif key.startswith(f"{_STALE}o:"):
                opportunities.add(int(key[len(_STALE) + 2 :]))
            elif key.startswith(f"{_STALE}p:"):
                people.add(int(key[len(_STALE) + 2 :]))
        if not (everything or opportunities or people):
            return None
        return StaleNote(frozenset(opportunities), frozenset(people), everything)

    def clear_stale(self) -> None:
        with self.transaction():
            self.db.execute(f"DELETE FROM meta WHERE {_STALE_KEYS}", _STALE_RANGE)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM meta WHERE key = :key", {"key": key})
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (:key, :value)", {"key": key, "value": value}
            )
