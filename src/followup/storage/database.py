"""A thin DB-API layer over sqlite3 and psycopg: one SQL text, named parameters, UTC times.

Why not SQLAlchemy Core at run time: importing it costs 200-250 ms, several times what a whole
`followup list` may take (see docs/storage.md). The queries of this project are plain SQL that both
databases accept, so the layer only has to smooth over four differences: how to connect, the
parameter style, how times come back, and how a write transaction starts.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any, Literal, Protocol

from followup.errors import NotADatabaseError, StorageError

Dialect = Literal["sqlite", "postgresql"]
BUSY_TIMEOUT_S = 30.0
WAL_AUTOCHECKPOINT = 1000  # pages: SQLite's default
CHECKPOINT_EVERY_S = 0.05  # during a `write_run`
_SQLITE_VARIABLES = 999  # parameters per statement: the least any SQLite allows
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Row(Protocol):
    def __getitem__(self, key: str) -> Any: ...

    def keys(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class DatabaseLocation:
    """Where the data lives: an SQLite file or a PostgreSQL URL (password kept out of `display`)."""

    dialect: Dialect
    target: str  # file path for SQLite, libpq URL for PostgreSQL

    @classmethod
    def parse(cls, value: str) -> DatabaseLocation:
        text = value.strip()
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if text.startswith(prefix):
                return cls("postgresql", "postgresql://" + text[len(prefix) :])
        if text.startswith("sqlite:///"):
            text = text[len("sqlite:///") :]
        elif "://" in text:
            raise StorageError(
                f"Cannot use the database {redact(text)!r}.",
                hint="Give a file path for SQLite or a postgresql:// URL (--db or FOLLOWUP_DB).",
            )
        return cls("sqlite", os.path.expanduser(text))

    @property
    def display(self) -> str:
        return redact(self.target)

    @property
    def sqlalchemy_url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{self.target}"
        return "postgresql+psycopg://" + self.target[len("postgresql://") :]


def redact(url: str) -> str:
    """A URL with its password replaced, fit for messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


class Database:
    """One connection, with reentrant write transactions (the caller's unit of work)."""

    def __init__(self, location: DatabaseLocation) -> None:
        self.location = location
        self.dialect: Dialect = location.dialect
        self._depth = 0
        self._in_run = False
        self.commits = 0  # write transactions committed on this connection (see `revision`)
        self._conn: Any = self._connect()

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            return _connect_sqlite(self.location.target)
        return _connect_postgresql(self.location.target)

    def close(self) -> None:
        self._conn.close()

    @property
    def raw(self) -> Any:
        """The DB-API connection, for the storage adapter's own use (backup, migrations)."""
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested calls join the outer one.

        SQLite starts it with BEGIN IMMEDIATE so a second writer waits for the lock (busy timeout)
        at the start instead of failing with "database is locked" half-way through.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._execute_raw("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._execute_raw("ROLLBACK")
            raise
        self._depth = 0
        self._execute_raw("COMMIT")
        self.commits += 1

    @contextmanager
    def write_run(self) -> Iterator[None]:
        """Many small transactions in a row (a batch of sent notes, a mailbox sync). On SQLite the
        write-ahead log is copied into the database by a thread of its own meanwhile (a checkpoint
        writes and syncs the file: here it no longer waits in the middle of a commit). Each transaction
        still commits on its own."""
        if self.dialect != "sqlite" or self._in_run or self.location.target == ":memory:":
            yield
            return
        self._in_run = True
        self._execute_raw("PRAGMA wal_autocheckpoint = 0")
        checkpoints = _Checkpointer(self.location.target)
        checkpoints.start()
        try:
            yield
        finally:
            self._in_run = False
            checkpoints.finish()
            self._execute_raw(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")

    def revision(self) -> tuple[int, int]:
        """A value that changes whenever the data may have changed: a commit on this connection or,
        on SQLite, on any other (PRAGMA data_version). For caches of rendered pages."""
        if self.dialect == "sqlite":
            return self.commits, int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        return self.commits, 0

    def id_set(self, name: str, ids: Iterable[int]) -> tuple[str, dict[str, Any]]:
        """A subquery of these ids, in one parameter however many there are (for `x IN …`): an IN list
        of a thousand names costs SQLite more to parse than the query costs to run."""
        values = sorted(set(ids))
        if self.dialect == "sqlite":
            return f"(SELECT value FROM json_each(:{name}))", {name: json.dumps(values)}
        return f"(SELECT unnest(CAST(:{name} AS bigint[])))", {name: values}

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._run(sql, params)

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return list(self._run(sql, params).fetchall())

    def batches(
        self, sql: str, params: Mapping[str, Any] | None = None, *, size: int = 500
    ) -> Iterator[list[Row]]:
        """The rows a few hundred at a time, so a long result never sits in memory whole."""
        cursor = self._run(sql, params)
        while rows := cursor.fetchmany(size):
            yield list(rows)

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        row: Row | None = self._run(sql, params).fetchone()
        return row

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self._run(sql, params).fetchone()
        if row is None:
            return None
        return row[0] if isinstance(row, sqlite3.Row) else next(iter(row.values()))

    def insert(self, sql: str, params: Mapping[str, Any]) -> int:
        """Run an INSERT … RETURNING id and give the new id."""
        return int(self.scalar(sql, params))

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            with self.transaction():
                try:
                    self._cursor().executemany(self._sql(sql), [self._params(r) for r in rows])
                except (sqlite3.Error, _pg_errors()) as exc:
                    raise _storage_error(exc, self.location) from exc

    def insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, times: Sequence[str] = ()
    ) -> list[int]:
        """Insert rows (values in `columns` order) and give their new ids, in order, for an import.
        `times` names the columns holding times or days (converted for SQLite)."""
        if not rows:
            return []
        by_column = dict(zip(columns, zip(*rows, strict=True), strict=True))
        return self.insert_columns(table, by_column, times=times)

    def insert_columns(
        self,
        table: str,
        columns: Mapping[str, Sequence[Any]],
        *,
        times: Sequence[str] = (),
        keyed: bool = True,
    ) -> list[int]:
        """Insert rows given column by column (each sequence one value per row, all of one length) and
        give their new ids, in order: an import's bulk write. `times` names the columns holding times
        or days; a table without an `id` column is written with `keyed=False` (and no ids given).

        PostgreSQL returns each id (executemany with RETURNING). On SQLite the rows go in as multi-row
        VALUES statements, about twice as quick as executemany: a column of one value throughout is
        bound once per statement, a column of None only is left to its default, and each distinct
        time is converted once. SQLite returns no ids here, but in a write transaction (which holds
        the only write lock) an AUTOINCREMENT table numbers new rows upwards from its counter: the ids
        are checked to be exactly the next ones, and a StorageError (which rolls the caller's
        transaction back) says so if they ever are not.
        """
        count = len(next(iter(columns.values()), ()))
        if not count:
            return []
        if any(len(values) != count for values in columns.values()):
            raise ValueError(f"columns of {table} differ in length")
        # a column of None only is left to its default (NULL, or what the schema says)
        columns = {name: v for name, v in columns.items() if not (v[0] is None and v.count(None) == count)}
        if not columns:
            raise ValueError(f"no value to write in {table}")
        with self.transaction():
            if self.dialect == "postgresql":
                return self._pg_insert_columns(table, columns, keyed=keyed)
            if not keyed:
                self._sqlite_insert_columns(table, columns, count, times)
                return []
            before = int(
                self.scalar(
                    f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = :t), 0), "
                    f"coalesce((SELECT max(id) FROM {table}), 0))",
                    {"t": table},
                )
            )
            self._sqlite_insert_columns(table, columns, count, times)
            found = self.one(
                f"SELECT count(*) AS n, min(id) AS low, max(id) AS high FROM {table} WHERE id > :before",
                {"before": before},
            )
            if found is None or (found["n"], found["low"], found["high"]) != (
                count,
                before + 1,
                before + count,
            ):
                raise StorageError(
                    f"New rows of {table} were not numbered in order; nothing of this batch was written.",
                    hint="Try again; the rows are then written one at a time.",
                )
            return list(range(before + 1, before + count + 1))

    def _pg_insert_columns(
        self, table: str, columns: Mapping[str, Sequence[Any]], *, keyed: bool
    ) -> list[int]:
        names = ", ".join(columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor = self._cursor()
        converted = [tuple(map(_pg_value, r)) for r in zip(*columns.values(), strict=True)]
        ids: list[int] = []
        try:
            if not keyed:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", converted)
                return ids
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", converted, returning=True
            )
            while True:
                ids.append(int(cursor.fetchone()["id"]))
                if not cursor.nextset():
                    break
        except _pg_errors() as exc:
            raise _storage_error(exc, self.location) from exc
        return ids

    def _sqlite_insert_columns(
        self, table: str, columns: Mapping[str, Sequence[Any]], count: int, times: Sequence[str]
    ) -> None:
        try:
            self._sqlite_insert_values(table, columns, count, times)
        except sqlite3.Error as exc:
            raise _storage_error(exc, self.location) from exc

    def _sqlite_insert_values(
        self, table: str, columns: Mapping[str, Sequence[Any]], count: int, times: Sequence[str]
    ) -> None:
        constants: dict[str, Any] = {}
        varying: dict[str, Sequence[Any]] = {}
        for name, given in columns.items():
            values = given
            if name in times:
                seen = {v: _sqlite_value(v) for v in set(given)}
                values = list(map(seen.__getitem__, given))
            first = values[0]
            if values.count(first) == count:
                constants[name] = first
            else:
                varying[name] = values
        names = ", ".join([*constants, *varying])
        width = len(varying)
        per = max(1, (_SQLITE_VARIABLES - len(constants)) // width) if width else 500
        flat = list(chain.from_iterable(zip(*varying.values(), strict=True))) if width else []
        statements: dict[int, str] = {}
        for start in range(0, count, per):
            rows = min(per, count - start)
            sql = statements.get(rows)
            if sql is None:
                values_sql = _values_sql(len(constants), width, rows)
                sql = statements[rows] = f"INSERT INTO {table} ({names}) VALUES {values_sql}"
            self._conn.execute(sql, (*constants.values(), *flat[start * width : (start + rows) * width]))

    def table_exists(self, name: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = :name"
        else:
            sql = "SELECT 1 AS x FROM pg_tables WHERE schemaname = current_schema() AND tablename = :name"
        return self.one(sql, {"name": name}) is not None

    # Values in and out -------------------------------------------------------------------------

    def dt(self, value: Any) -> datetime | None:
        """A stored time as an aware UTC datetime (SQLite gives text, PostgreSQL an aware value)."""
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    @staticmethod
    def day(value: Any) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    def _params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if not params:
            return {}
        if self.dialect == "postgresql":
            return {k: _pg_value(v) for k, v in params.items()}
        return {k: _sqlite_value(v) for k, v in params.items()}

    def _sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql
        return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))

    def _cursor(self) -> Any:
        return self._conn.cursor()

    def _execute_raw(self, sql: str) -> None:
        try:
            self._conn.execute(sql)
        except (sqlite3.Error, _pg_errors()) as exc:
            raise _storage_error(exc, self.location) from exc

    def _run(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        try:
            return self._conn.execute(self._sql(sql), self._params(params))
        except (sqlite3.Error, _pg_errors()) as exc:
            raise _storage_error(exc, self.location) from exc


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached storage")
    return moment.astimezone(UTC)


def _pg_value(value: Any) -> Any:
    return _utc(value) if isinstance(value, datetime) else value


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _values_sql(constants: int, width: int, rows: int) -> str:
    """`(?1, ?2, ?3, ?4), (?1, ?2, ?5, ?6), …`: the constants ?1..?c in every row, then each row's own."""
    shared = [f"?{i}" for i in range(1, constants + 1)]
    groups = []
    for row in range(rows):
        first = constants + row * width + 1
        groups.append("(" + ", ".join(shared + [f"?{i}" for i in range(first, first + width)]) + ")")
    return ", ".join(groups)


def _pg_errors() -> type[Exception]:
    import sys

    module = sys.modules.get("psycopg")
    return module.Error if module is not None else sqlite3.Error


def _connect_sqlite(path: str) -> sqlite3.Connection:
    # The file is never opened here by other means than SQLite to look at its header: closing any
    # descriptor of a file drops every POSIX lock this process holds on it, including those of the
    # other connections open in this process (the web server's and its worker's). Another process
    # could then take itself for the last user and delete the WAL under them (sqlite.org/howtocorrupt).
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        # check_same_thread off: the web server hands the one connection from thread to thread, one at
        # a time (under its lock); nothing uses it from two threads at once.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        _use_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise NotADatabaseError(
                f"{path} is not a followup database (not an SQLite file); it was left untouched.",
                hint="Point --db or FOLLOWUP_DB at another file, or move this one away.",
            ) from exc
        raise _storage_error(exc, DatabaseLocation("sqlite", path)) from exc
    return conn


class _Checkpointer(threading.Thread):
    """PASSIVE checkpoints from a connection of its own, every CHECKPOINT_EVERY_S until `finish`: they
    copy what is committed while the writer goes on (sqlite.org/wal.html#ckpt)."""

    def __init__(self, path: str) -> None:
        super().__init__(name="followup-checkpoints", daemon=True)
        self._path = path
        self._done = threading.Event()

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error:
            return  # the writer's own checkpoints take over after the run
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            while not self._done.wait(CHECKPOINT_EVERY_S):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass  # a checkpoint is housekeeping: the writer's own take over after the run
        finally:
            conn.close()

    def finish(self) -> None:
        self._done.set()
        self.join()


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once per database file (it is persistent).

    Changing the journal mode needs an exclusive lock, and SQLite does not run the busy handler
    for it: two processes opening a new file at the same moment would see "database is locked".
    So wait and retry here, for as long as the busy timeout.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _connect_postgresql(url: str) -> Any:
    import psycopg
    from psycopg.rows import dict_row

    try:
        # Autocommit, so that reads outside a unit of work leave no transaction open; writes
        # issue BEGIN/COMMIT themselves, exactly as on SQLite.
        return psycopg.connect(url, row_factory=dict_row, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise _storage_error(exc, DatabaseLocation("postgresql", url)) from exc


def _storage_error(exc: Exception, location: DatabaseLocation) -> StorageError:
    text = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    if "locked" in text:
        hint = "Another program holds the database for too long; try again in a moment."
    elif "not a database" in text or "malformed" in text:
        return NotADatabaseError(
            f"{location.display} is not a usable followup database ({text}).",
            hint="Point --db or FOLLOWUP_DB at another file, or restore a backup.",
        )
    elif location.dialect == "postgresql":
        hint = "Check the PostgreSQL URL in --db or FOLLOWUP_DB and that the server is running."
    else:
        hint = "Check that the file and its folder are writable (--db or FOLLOWUP_DB)."
    return StorageError(f"Database error on {location.display}: {text}", hint=hint)
