"""SqlSnapshots: every table as plain JSON values (times in ISO-8601 UTC), and back, ids and all.

The rows are the tables' own, so a restore is exact; three link tables ride inside their owner's rows
(a person's `emails`, an interview's `interviewers`, an interaction's `people`) as they read best
there. Passwords are never in the database, so never in a snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from followup.domain.model import (
    Caller,
    Direction,
    InteractionKind,
    InterviewKind,
    InterviewStatus,
    Outcome,
    Role,
    Source,
    Stage,
)
from followup.domain.outbox import OutboxState
from followup.domain.suggestions import SuggestionKind, SuggestionStatus
from followup.domain.touches import Channel, Decision, TouchKind, TouchStatus
from followup.errors import InvalidInputError, StorageError
from followup.storage.database import Database
from followup.storage.schema import REVISIONS

# A column's kind: "int", "text", "time", "date", "bool", or the words an enum allows.
Kind = str | frozenset[str]


def _words(*enums: Any) -> frozenset[str]:
    return frozenset(m.value for e in enums for m in e)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False


@dataclass(frozen=True)
class Nested:
    """A link table inside its owner's rows: a list of values (or of objects)."""

    key: str  # the owner's key holding it
    table: str
    owner: str  # the link table's column naming the owner
    columns: tuple[Column, ...]  # one column: a list of values; more: a list of objects
    position: str | None = None  # a column numbering the list, written from its order
    derived: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = ()


@dataclass(frozen=True)
class Table:
    key: str
    columns: tuple[Column, ...]
    order: str
    nested: Nested | None = None

    @property
    def has_id(self) -> bool:
        return self.columns[0].name == "id"


def _c(spec: str, kind: Kind, required: bool = False) -> Column:
    return Column(spec, kind, required)


_ID = _c("id", "int", True)
_PERSON_ID = _c("person_id", "int", True)
TABLES: tuple[Table, ...] = (
    Table("opportunities", (
        _ID, _c("company", "text", True), _c("title", "text", True), _c("url", "text"),
        _c("source", _words(Source)), _c("location", "text"), _c("decision_expected", "date"),
        _c("notes", "text", True), _c("created_at", "time", True), _c("stage", _words(Stage), True),
    ), "id"),
    Table("people", (
        _ID, _c("name", "text", True), _c("phone", "text"), _c("organisation", "text"), _c("title", "text"),
        _c("timezone", "text"), _c("country", "text"), _c("cadence_days", "int"),
        _c("in_network", "bool", True), _c("linkedin_url", "text"), _c("notes", "text", True),
        _c("created_at", "time", True),
    ), "id", Nested("emails", "person_emails", "person_id",
                    (_c("address", "text", True), _c("bad", "bool", True)), position="position",
                    derived=(("address_key", lambda r: str(r["address"]).casefold()),))),
    Table("links", (_PERSON_ID, _c("opportunity_id", "int", True), _c("role", _words(Role), True)),
          "person_id, opportunity_id, role"),
    Table("interviews", (
        _ID, _c("opportunity_id", "int", True), _c("starts_at", "time", True), _c("ends_at", "time", True),
        _c("timezone", "text", True), _c("kind", _words(InterviewKind), True), _c("location", "text"),
        _c("notes", "text", True), _c("uid", "text", True), _c("sequence", "int", True),
        _c("status", _words(InterviewStatus), True),
    ), "id", Nested("interviewers", "interview_people", "interview_id", (_PERSON_ID,))),
    Table("interactions", (
        _ID, _c("kind", _words(InteractionKind), True), _c("direction", _words(Direction), True),
        _c("occurred_at", "time", True), _c("recorded_at", "time", True), _c("opportunity_id", "int"),
        _c("interview_id", "int"), _c("subject", "text"), _c("notes", "text", True), _c("answered", "bool"),
        _c("caller", _words(Caller)), _c("message_id", "text"), _c("in_reply_to", "text"),
        _c("refs", "text", True), _c("outcome", _words(Outcome)), _c("stage", _words(Stage)),
        _c("returns_on", "date"),
    ), "id", Nested("people", "interaction_people", "interaction_id", (_PERSON_ID,))),
    Table("touches", (
        _ID, _c("key", "text", True), _c("kind", _words(TouchKind), True), _c("person_id", "int"),
        _c("opportunity_id", "int"), _c("due_from", "time", True), _c("due_by", "time", True),
        _c("send_at", "time", True), _c("reason", "text", True), _c("template", "text", True),
        _c("trigger_id", "int"), _c("trigger_at", "time", True), _c("urgent", "bool", True),
        _c("round", "int", True), _c("channel", _words(Channel), True),
        _c("status", _words(TouchStatus), True),
        _c("cancel_reason", "text"), _c("how", "text", True), _c("sequence", "int", True),
        _c("planned_at", "time", True), _c("decision", _words(Decision)), _c("decided_at", "time"),
        _c("snoozed_until", "time"),
    ), "id"),
    Table("outbox", (
        _ID, _c("touch_id", "int"), _c("kind", "text", True), _c("state", _words(OutboxState), True),
        _c("person_id", "int"), _c("opportunity_id", "int"), _c("subject", "text", True),
        _c("body", "text", True), _c("from_name", "text", True), _c("from_address", "text", True),
        _c("to_name", "text", True), _c("to_address", "text", True), _c("in_reply_to", "text"),
        _c("refs", "text", True), _c("message_id", "text"), _c("date", "time"), _c("send_after", "time"),
        _c("attempts", "int", True), _c("next_attempt_at", "time"), _c("last_error", "text"),
        _c("edited", "bool", True), _c("created_at", "time", True), _c("updated_at", "time", True),
        _c("sent_at", "time"),
    ), "id"),
    Table("suggestions", (
        _ID, _c("kind", _words(SuggestionKind), True), _c("status", _words(SuggestionStatus), True),
        _c("message_id", "text", True), _c("occurred_at", "time", True), _c("created_at", "time", True),
        _c("decided_at", "time"), _c("opportunity_id", "int"), _c("person_id", "int"),
        _c("interview_id", "int"), _c("sender", "text", True), _c("sender_name", "text", True),
        _c("organisation", "text"), _c("subject", "text", True), _c("snippet", "text", True),
        _c("because", "text", True),
    ), "id"),
    Table("mail_folders", (
        _c("account", "text", True), _c("folder", "text", True), _c("uidvalidity", "int", True),
        _c("highest_uid", "int", True), _c("uidnext", "int"), _c("highest_modseq", "int"),
        _c("synced_at", "time", True),
    ), "account, folder"),
    Table("meta", (_c("key", "text", True), _c("value", "text", True)), "key"),
)  # fmt: skip
TABLE_KEYS = tuple(t.key for t in TABLES)
# What makes a database "not empty" for a restore: anything but planning metadata.
_DATA = tuple(t.key for t in TABLES if t.key != "meta")


class SqlSnapshots:
    """The Snapshots port over SQLite and PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def schema(self) -> str:
        return REVISIONS[-1]

    def counts(self) -> dict[str, int]:
        return {key: int(self.db.scalar(f"SELECT count(*) FROM {key}")) for key in _DATA}

    def is_empty(self) -> bool:
        return not any(self.counts().values())

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for table in TABLES:
            names = ", ".join(c.name for c in table.columns)
            rows = [
                {c.name: self._out(r[c.name], c.kind) for c in table.columns}
                for r in self.db.all(f"SELECT {names} FROM {table.key} ORDER BY {table.order}")
            ]
            if table.nested is not None:
                self._dump_nested(table.nested, rows)
            out[table.key] = rows
        return out

    def _dump_nested(self, n: Nested, rows: list[dict[str, Any]]) -> None:
        names = ", ".join([n.owner, *(c.name for c in n.columns)])
        found: dict[int, list[Any]] = {}
        for r in self.db.all(f"SELECT {names} FROM {n.table} ORDER BY {n.owner}, {n.position or names}"):
            values = {c.name: self._out(r[c.name], c.kind) for c in n.columns}
            found.setdefault(r[n.owner], []).append(
                values[n.columns[0].name] if len(n.columns) == 1 else values
            )
        for row in rows:
            row[n.key] = found.get(row["id"], [])

    def check(self, tables: Mapping[str, Sequence[Any]], source: str) -> dict[str, list[dict[str, Any]]]:
        """A backup's rows as Python values (times aware, in UTC; dates; bools), each checked against its
        column; InvalidInputError names the first bad value ("people[3].created_at is …")."""
        typed: dict[str, list[dict[str, Any]]] = {}
        for table in TABLES:
            rows: list[dict[str, Any]] = []
            for i, row in enumerate(tables.get(table.key, [])):
                value = self._row(table, i, row, source)
                if table.nested is not None:
                    value[table.nested.key] = self._nested(table.key, table.nested, i, row, source)
                rows.append(value)
            typed[table.key] = rows
        return typed

    def _nested(self, key: str, n: Nested, index: int, row: Mapping[str, Any], source: str) -> list[Any]:
        items = row.get(n.key, [])
        if not isinstance(items, list):
            raise _bad(source, key, index, n.key, "is not a list")
        found: list[Any] = []
        many = len(n.columns) > 1
        for position, item in enumerate(items):
            fields = item if isinstance(item, Mapping) else {n.columns[0].name: item}
            where = f"{n.key}[{position}]"
            values = {
                c.name: self._in(
                    fields.get(c.name), c, source, key, index, where + (f".{c.name}" if many else "")
                )
                for c in n.columns
            }
            found.append(values[n.columns[0].name] if len(n.columns) == 1 else values)
        return found

    def restore(
        self, tables: Mapping[str, Sequence[Any]], source: str, *, dry_run: bool = False
    ) -> dict[str, int]:
        """Write every row as given, ids included, in one transaction (into an empty database). A dry
        run leaves PostgreSQL's sequences alone: setval is not undone by a rollback."""
        typed = self.check(tables, source)
        with self.db.transaction():
            self.db.execute("DELETE FROM meta")
            for table in TABLES:
                rows = typed[table.key]
                self._insert(table.key, [c.name for c in table.columns], rows, source)
                if table.nested is not None:
                    self._restore_nested(table.nested, rows, source)
            if self.db.dialect == "postgresql" and not dry_run:
                for table in TABLES:
                    if table.has_id:
                        self.db.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table.key}', 'id'), "
                            f"(SELECT COALESCE(max(id), 0) + 1 FROM {table.key}), false)"
                        )
        return {key: len(rows) for key, rows in typed.items()}

    def _restore_nested(self, n: Nested, rows: Sequence[Mapping[str, Any]], source: str) -> None:
        values: list[dict[str, Any]] = []
        for row in rows:
            for position, item in enumerate(row[n.key]):
                value = dict(item) if isinstance(item, Mapping) else {n.columns[0].name: item}
                value[n.owner] = row["id"]
                if n.position:
                    value[n.position] = position
                for name, make in n.derived:
                    value[name] = make(value)
                values.append(value)
        names = [n.owner, *(c.name for c in n.columns)]
        names += [n.position] if n.position else []
        names += [name for name, _ in n.derived]
        self._insert(n.table, names, values, source)

    def _insert(self, table: str, names: list[str], rows: list[dict[str, Any]], source: str) -> None:
        if not rows:
            return
        try:
            self.db.many(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})", rows
            )
        except StorageError as exc:
            raise InvalidInputError(
                f"{source}: the {table} do not fit with the rest of the backup ({exc.message}).",
                hint="The file was edited or cut short: restore from an untouched `followup export json`.",
            ) from None

    def _row(self, table: Table, index: int, row: Mapping[str, Any], source: str) -> dict[str, Any]:
        if not isinstance(row, Mapping):
            raise _bad(source, table.key, index, None, "is not an object")
        known = {c.name for c in table.columns} | ({table.nested.key} if table.nested else set())
        unknown = sorted(set(row) - known)
        if unknown:
            raise _bad(source, table.key, index, unknown[0], "is not a field this version of followup knows")
        return {c.name: self._in(row.get(c.name), c, source, table.key, index, c.name) for c in table.columns}

    def _out(self, value: Any, kind: Kind) -> Any:
        if value is None:
            return None
        if kind == "time":
            moment = self.db.dt(value)
            if moment is None:
                return None
            spec = "microseconds" if moment.microsecond else "seconds"
            return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
        if kind == "date":
            return str(self.db.day(value))
        if kind == "bool":
            return bool(value)
        return value

    @staticmethod
    def _in(value: Any, c: Column, source: str, table: str, index: int, where: str) -> Any:
        if value is None:
            if c.required:
                raise _bad(source, table, index, where, "is missing")
            return None
        kind = c.kind
        ok = True
        if kind == "time":
            ok, value = _time(value)
        elif kind == "date":
            ok, value = _date(value)
        elif kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind == "text":
            ok = isinstance(value, str)
        else:
            ok = value in kind
        if not ok:
            expected = kind if isinstance(kind, str) else "one of " + ", ".join(sorted(kind))
            raise _bad(source, table, index, where, f"is {value!r}, not {expected}")
        return value


def _time(value: Any) -> tuple[bool, Any]:
    if not isinstance(value, str):
        return False, value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False, value
    if moment.tzinfo is None:
        return False, value
    return True, moment.astimezone(UTC)


def _date(value: Any) -> tuple[bool, Any]:
    try:
        return True, date.fromisoformat(value)
    except (TypeError, ValueError):
        return False, value


def _bad(source: str, table: str, index: int, where: str | None, what: str) -> InvalidInputError:
    at = f"{table}[{index}]" + (f".{where}" if where else "")
    return InvalidInputError(
        f"{source}: {at} {what}.",
        hint="Correct that value, or restore from an untouched `followup export json` file.",
    )
