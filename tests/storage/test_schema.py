"""Creating, recognising and migrating databases; refusing what is not ours or too new."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from followup.errors import NotADatabaseError, SchemaTooNewError
from followup.storage.database import Database, DatabaseLocation
from followup.storage.schema import MIGRATIONS, REVISIONS, current_revision, ensure_schema


def open_db(url: str) -> Database:
    return Database(DatabaseLocation.parse(url))


def test_revisions_constant_matches_the_migrations_folder() -> None:
    chain: dict[str | None, str] = {}
    for script in (Path(MIGRATIONS) / "versions").glob("*.py"):
        text = script.read_text()
        revision = re.search(r'^revision = "(\w+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"(\w+)"|None)', text, re.M)
        if revision and down:
            chain[down.group(1)] = revision.group(1)
    ordered, current = [], None
    while current in chain:
        current = chain[current]
        ordered.append(current)
    assert tuple(ordered) == REVISIONS


def test_a_new_database_gets_the_newest_schema(db_url: str) -> None:
    db = open_db(db_url)
    assert current_revision(db) is None
    assert ensure_schema(db) is None  # nothing to back up
    assert current_revision(db) == REVISIONS[-1]
    assert ensure_schema(db) is None  # second start: nothing to do
    db.close()


def test_a_database_from_a_newer_version_is_refused(db_url: str) -> None:
    db = open_db(db_url)
    ensure_schema(db)
    with db.transaction():
        db.execute("UPDATE alembic_version SET version_num = :v", {"v": "9999"})
    with pytest.raises(SchemaTooNewError) as error:
        ensure_schema(db)
    assert "newer version of followup" in error.value.message
    assert "Upgrade followup" in (error.value.hint or "")
    assert current_revision(db) == "9999"  # untouched
    db.close()


def test_an_older_sqlite_database_is_copied_then_migrated(tmp_path: Path) -> None:
    # A migrations folder one revision ahead of the shipped one stands in for the next release.
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_test.py").write_text(
        textwrap.dedent(
            f'''
            """A later release adds a column."""
            import sqlalchemy as sa
            from alembic import op

            revision = "9001"
            down_revision = "{REVISIONS[-1]}"


            def upgrade() -> None:
                with op.batch_alter_table("people") as batch:
                    batch.add_column(sa.Column("pronouns", sa.Text))
            '''
        )
    )
    path = tmp_path / "followup.sqlite3"
    db = open_db(str(path))
    ensure_schema(db)
    with db.transaction():
        db.execute(
            "INSERT INTO people (name, notes, created_at, in_network) VALUES ('Jane Doe', '', "
            "'2026-11-26T15:00:00.000000+00:00', 0)"
        )

    backup = ensure_schema(db, revisions=(*REVISIONS, "9001"), script_location=scripts)

    assert backup is not None
    assert current_revision(db) == "9001"
    assert [r["name"] for r in db.all("SELECT name, pronouns FROM people")] == ["Jane Doe"]
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [(REVISIONS[-1],)]
    assert old.execute("SELECT name FROM people").fetchall() == [("Jane Doe",)]
    columns = [row[1] for row in old.execute("PRAGMA table_info(people)")]
    assert "pronouns" not in columns
    old.close()
    db.close()


def test_a_file_that_is_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Call Jane on Tuesday\n")
    with pytest.raises(NotADatabaseError) as error:
        open_db(str(path))
    assert str(path) in error.value.message
    assert "left untouched" in error.value.message
    assert path.read_text() == "Call Jane on Tuesday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    """No "database is locked": the second writer waits for the first (and both create the schema)."""
    path = tmp_path / "shared.sqlite3"
    go = tmp_path / "go"
    worker = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from followup.bootstrap import build
        from followup.config import Settings
        from followup.domain.model import Stage
        from followup.services.fields import OpportunityFields
        while not Path({str(go)!r}).exists():
            time.sleep(0.005)
        app = build(Settings(db={str(path)!r}, tz="UTC", country="US"))
        for i in range(40):
            added = app.tracker.add_opportunity(
                OpportunityFields(company=f"Worker {{sys.argv[1]}}", title=f"Role {{i}}")
            )
            app.tracker.change_stage(str(added.opportunity.id), Stage.APPLIED)
        app.close()
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", worker, str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for n in (1, 2)
    ]
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
    db = open_db(str(path))
    counts = {
        r["company"]: r["n"]
        for r in db.all("SELECT company, count(*) AS n FROM opportunities GROUP BY company")
    }
    assert counts == {"Worker 1": 40, "Worker 2": 40}
    assert db.scalar("SELECT count(*) FROM opportunities WHERE stage = 'applied'") == 80
    db.close()
