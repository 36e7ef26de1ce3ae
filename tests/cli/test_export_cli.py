"""`followup export ics`: to a file (atomically), to stdout, and a clear error for a missing folder."""

from __future__ import annotations

import os
from pathlib import Path

from icalendar import Calendar

from tests.cli.conftest import Run


def record(run: Run) -> None:
    for args in (
        ("add", "opportunity", "Northwind Traders", "Data Engineer"),
        ("add", "person", "Jane Doe", "--email", "jane@northwind.example", "--org", "Northwind Traders"),
        ("link", "jane", "northwind", "--role", "hiring-manager"),
        ("log", "application", "northwind", "--at", "30 days ago"),
        ("log", "interview", "northwind", "--with", "jane", "--at", "+2d", "--duration", "45m"),
    ):
        result = run(*args)
        assert result.code == 0, (args, result.err)


def test_export_to_a_file_writes_a_calendar_that_parses(run: Run, tmp_path: Path) -> None:
    record(run)
    target = tmp_path / "followup.ics"
    result = run("export", "ics", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    calendar = Calendar.from_ical(target.read_bytes())
    todos, events = calendar.walk("VTODO"), calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Interview: Northwind Traders — Data Engineer"
    assert todos, "the application and the interview plan follow-ups"
    assert {str(t["CATEGORIES"].cats[0]) for t in todos} >= {"check-in"}
    assert result.err == f"Wrote {len(todos)} to-dos and 1 events to {target}\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary left
    assert target.stat().st_mode & 0o777 == 0o600  # it holds contact details


def test_export_replaces_a_file_and_keeps_its_permissions(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "shared.ics"
    target.write_text("old")
    os.chmod(target, 0o644)
    result = run("export", "ics", str(target))
    assert result.code == 0, result.err
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert target.stat().st_mode & 0o777 == 0o644
    assert result.err == f"Wrote 0 to-dos and 0 events to {target}\n"


def test_export_to_stdout(run: Run) -> None:
    record(run)
    for args in (("export", "ics"), ("export", "ics", "-")):
        result = run(*args)
        assert result.code == 0, result.err
        assert result.err == ""
        calendar = Calendar.from_ical(result.out)
        assert str(calendar["PRODID"]) == "-//followup//followup//EN"
        assert len(calendar.walk("VEVENT")) == 1


def test_a_missing_folder_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "no" / "such"
    result = run("export", "ics", str(folder / "followup.ics"))
    assert result.code == 2
    assert result.out == ""
    assert f"The folder {folder} does not exist." in result.err
    assert f"mkdir -p {folder}" in result.err
    assert not (tmp_path / "followup.sqlite3").exists()  # refused before the database was opened


def test_a_folder_as_path_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("export", "ics", str(tmp_path))
    assert result.code == 2
    assert f"{tmp_path} is a folder." in result.err
