"""Schema versions: a fast check on every start, Alembic only when a migration is due."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator

from followup.errors import SchemaTooNewError, StorageError
from followup.storage.database import Database

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
# The Alembic revisions in order, oldest first. A test checks this against the migrations folder,
# so that the start-up check needs neither Alembic nor SQLAlchemy.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
_PG_LOCK_KEY = 0x466F6C6C  # any constant; "Foll"


def current_revision(db: Database) -> str | None:
    if not db.table_exists("alembic_version"):
        return None
    value = db.scalar("SELECT version_num FROM alembic_version")
    return None if value is None else str(value)


def ensure_schema(
    db: Database,
    *,
    revisions: tuple[str, ...] = REVISIONS,
    script_location: str | os.PathLike[str] = MIGRATIONS,
) -> str | None:
    """Bring the database to the newest schema. Returns the path of a backup copy, if one was made.

    A database written by a newer followup is refused (it may hold data this version would
    damage); an older SQLite database is copied next to itself before it is migrated.
    """
    head = revisions[-1]
    if current_revision(db) == head:
        return None
    with _migration_lock(db):
        current = current_revision(db)  # another process may have migrated while we waited
        if current == head:
            return None
        if current is not None and current not in revisions:
            raise SchemaTooNewError(
                f"{db.location.display} was written by a newer version of followup "
                f"(schema {current}; this version knows up to {head}).",
                hint="Upgrade followup (pip install --upgrade followup) to open it.",
            )
        backup = _backup_before_migration(db, current, head) if current is not None else None
        _upgrade(db, script_location, head)
        return backup


@contextlib.contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    """One migrating process at a time, so two first runs do not both create the tables."""
    if db.dialect == "postgresql":
        db.execute("SELECT pg_advisory_lock(:key)", {"key": _PG_LOCK_KEY})
        try:
            yield
        finally:
            db.execute("SELECT pg_advisory_unlock(:key)", {"key": _PG_LOCK_KEY})
        return
    # Lock the folder, never the database file: closing any other descriptor of the database file
    # would drop the POSIX locks SQLite holds on it in this process (a documented way to lose writes).
    folder = os.open(os.path.dirname(os.path.realpath(db.location.target)), os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the flock


def _backup_before_migration(db: Database, current: str, head: str) -> str | None:
    if db.dialect != "sqlite":
        return None  # PostgreSQL migrates in one transaction; pg_dump is the operator's backup.
    target = f"{db.location.target}.schema-{current}.bak"
    backup_sqlite(db.raw, target)
    return target


def backup_sqlite(source: sqlite3.Connection, target: str | os.PathLike[str]) -> None:
    """A consistent copy through SQLite's online backup, safe while others write.

    Written to a side file and renamed, so a failed backup never leaves half a file at `target`.
    """
    tmp = f"{os.fspath(target)}.part"
    if os.path.exists(tmp):
        os.remove(tmp)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
    finally:
        dest.close()
    os.replace(tmp, target)


def _upgrade(db: Database, script_location: str | os.PathLike[str], head: str) -> None:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    engine = sa.create_engine(db.location.sqlalchemy_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(script_location))
            config.attributes["connection"] = connection
            command.upgrade(config, head)
    except sa.exc.SQLAlchemyError as exc:
        raise StorageError(
            f"Could not migrate {db.location.display}: {str(exc).splitlines()[0]}",
            hint="Nothing was changed. Restore the backup copy if the database looks wrong.",
        ) from exc
    finally:
        engine.dispose()
