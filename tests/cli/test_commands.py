"""The command line: the forms of DESIGN §4 exactly as written, --json shapes, errors and exit codes."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.cli import modules
from followup.cli.parsing import Command
from tests.cli.conftest import Run

OPPORTUNITY_KEYS = {
    "id",
    "company",
    "title",
    "stage",
    "url",
    "source",
    "location",
    "applied_at",
    "last_contact_at",
    "decision_expected",
    "notes",
    "created_at",
    "people",
}
PERSON_KEYS = {
    "id",
    "name",
    "emails",
    "phone",
    "organisation",
    "title",
    "timezone",
    "country",
    "cadence_days",
    "in_network",
    "linkedin_url",
    "notes",
    "created_at",
    "last_contact_at",
    "roles",
}
INTERACTION_KEYS = {
    "id",
    "kind",
    "direction",
    "occurred_at",
    "recorded_at",
    "opportunity_id",
    "people",
    "subject",
    "notes",
    "answered",
    "caller",
    "message_id",
    "in_reply_to",
    "references",
    "outcome",
    "stage",
    "interview_id",
}


def walkthrough(run: Run) -> None:
    for args in (
        (
            "add",
            "opportunity",
            "Northwind Traders",
            "Data Engineer",
            "--url",
            "https://careers.northwind.example/42",
            "--source",
            "referral",
        ),
        (
            "add",
            "person",
            "Jane Doe",
            "--email",
            "jane@northwind.example",
            "--org",
            "Northwind Traders",
            "--title",
            "Engineering Manager",
            "--tz",
            "America/Chicago",
            "--country",
            "US",
        ),
        ("add", "person", "Raj Patel", "--email", "raj@northwind.example"),
        ("link", "jane", "northwind", "--role", "hiring-manager"),
        ("log", "application", "northwind", "--at", "2026-11-02"),
        (
            "log",
            "interview",
            "northwind",
            "--with",
            "jane",
            "--with",
            "raj",
            "--at",
            "tue 14:00",
            "--duration",
            "45m",
            "--notes",
            "asked about the billing pipeline",
        ),
        ("log", "call", "jane", "--no-answer"),
        ("log", "email-in", "jane", "--subject", "Next steps"),
    ):
        result = run(*args)
        assert result.code == 0, (args, result.err)
        assert result.err == ""


def test_the_forms_of_the_design_work_as_written(run: Run) -> None:
    walkthrough(run)
    listing = json.loads(run("list", "--json").out)
    (opportunity,) = listing["opportunities"]
    assert opportunity["stage"] == "interviewing"
    assert opportunity["applied_at"].startswith("2026-11-02T")
    assert {p["name"] for p in opportunity["people"]} == {"Jane Doe", "Raj Patel"}
    result = run("log", "outcome", "northwind", "filled")
    assert result.code == 0
    assert "stage filled" in result.out


def test_json_keys_are_stable_and_times_are_utc(run: Run) -> None:
    walkthrough(run)
    (opportunity,) = json.loads(run("list", "--json").out)["opportunities"]
    assert set(opportunity) == OPPORTUNITY_KEYS
    (person, *_) = json.loads(run("list", "people", "--json").out)["people"]
    assert set(person) == PERSON_KEYS
    shown = json.loads(run("show", "northwind", "--json").out)
    assert set(shown) == {"opportunity", "people", "interviews", "timeline", "whose_move"}
    assert set(shown["whose_move"]) == {"who", "what", "since", "next_nudge", "touch_id"}
    assert all(set(entry) == INTERACTION_KEYS for entry in shown["timeline"])
    times = [e["occurred_at"] for e in shown["timeline"]] + [opportunity["created_at"]]
    assert all(t.endswith("Z") and "T" in t for t in times)
    (interview,) = shown["interviews"]
    assert interview["timezone"] == "America/Chicago"
    starts = datetime.fromisoformat(interview["starts_at"]).astimezone(ZoneInfo("America/Chicago"))
    assert (starts.strftime("%a %H:%M"), interview["ends_at"] > interview["starts_at"]) == ("Tue 14:00", True)


def test_relative_dates_in_the_past_work_as_option_values(run: Run) -> None:
    walkthrough(run)
    result = run("log", "call", "jane", "--at", "-2w", "--json")
    assert result.code == 0, result.err
    assert (
        json.loads(result.out)["occurred_at"]
        < json.loads(run("log", "call", "jane", "--json").out)["occurred_at"]
    )


def test_filters(run: Run) -> None:
    walkthrough(run)
    run("add", "opportunity", "Contoso", "Platform Engineer")
    assert [
        o["company"] for o in json.loads(run("list", "--stage", "lead", "--json").out)["opportunities"]
    ] == ["Contoso"]
    open_ones = json.loads(run("list", "--stage", "open", "--json").out)["opportunities"]
    assert len(open_ones) == 2
    by_role = json.loads(run("list", "people", "--role", "hiring-manager", "--json").out)["people"]
    assert [p["name"] for p in by_role] == ["Jane Doe"]
    assert json.loads(run("list", "--org", "contoso", "--json").out)["opportunities"][0]["title"] == (
        "Platform Engineer"
    )
    assert json.loads(run("list", "--search", "nothing like this", "--json").out) == {"opportunities": []}


def test_human_output_shows_the_timeline(run: Run) -> None:
    walkthrough(run)
    out = run("show", "northwind").out
    assert "Northwind Traders — Data Engineer" in out
    assert "Jane Doe (hiring-manager, interviewer)" in out
    assert "call to Jane Doe (no answer)" in out
    assert "email from Jane Doe “Next steps”" in out
    person = run("show", "jane").out
    assert "Engineering Manager · Northwind Traders" in person


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("add", "person", "Ann", "--email", "ann@"), 2, "The e-mail address 'ann@' is not valid."),
        (("add", "person", "Ann", "--tz", "Mars/Base"), 2, "Give an IANA zone name"),
        (("add", "person", "Ann", "--country", "XX"), 2, "two-letter code"),
        (("add", "person", "Janet", "--email", "JANE@northwind.example"), 5, "already belongs to Jane Doe"),
        (("log", "call", "jane", "--at", "blorp"), 2, "Accepted forms:"),
        (("log", "call", "nobody"), 3, "No person matches 'nobody'."),
        (("show", "zzz"), 3, "Nothing matches 'zzz'."),
        (("log", "call", "jane", "--at", "tomorrow 10:00"), 2, "is in the future"),
    ],
)
def test_errors_go_to_stderr_with_their_exit_code(
    run: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    walkthrough(run)
    result = run(*args)
    assert result.code == code
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_an_ambiguous_reference_lists_the_candidates(run: Run) -> None:
    walkthrough(run)
    run("add", "opportunity", "Northwind Traders", "Analytics Engineer")
    result = run("link", "raj", "northwind", "--role", "referrer")
    assert result.code == 4
    assert "Data Engineer" in result.err
    assert "Analytics Engineer" in result.err


def test_delete_asks_first(run: Run) -> None:
    walkthrough(run)
    refused = run("delete", "opportunity", "northwind")  # no terminal, no --yes: nothing happens
    assert refused.code == 10
    assert "--yes" in refused.err
    assert len(json.loads(run("list", "--json").out)["opportunities"]) == 1
    done = run("delete", "opportunity", "northwind", "--yes")
    assert done.code == 0
    assert json.loads(run("list", "--json").out)["opportunities"] == []
    assert len(json.loads(run("list", "people", "--json").out)["people"]) == 2


def test_backup_is_a_working_copy(run: Run, tmp_path: Path) -> None:
    walkthrough(run)
    target = tmp_path / "copy.sqlite3"
    assert run("backup", str(target)).code == 0
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT company FROM opportunities").fetchall() == [("Northwind Traders",)]
    copy.close()


def test_postgresql_backup_points_to_pg_dump(run: Run, postgres_url: str, tmp_path: Path) -> None:
    result = run("--db", postgres_url, "backup", str(tmp_path / "x.sqlite3"))
    assert result.code == 6
    assert "pg_dump" in result.err


def test_a_newer_database_is_refused_clearly(run: Run, tmp_path: Path) -> None:
    walkthrough(run)
    db = sqlite3.connect(tmp_path / "followup.sqlite3")
    db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.commit()
    db.close()
    result = run("list")
    assert result.code == 6
    assert "newer version of followup" in result.err


def _commands() -> list[Command]:
    return [c for module in modules() for c in module.COMMANDS]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: c.name)
def test_every_command_has_help_with_an_example(run: Run, command: Command) -> None:
    assert command.summary, command.name
    assert "Example" in command.help, f"`followup {command.name} --help` shows no example"
    shown = run(*command.name.split(), "--help")
    assert shown.code == 0
    assert "Example" in shown.out


def test_help_documents_exit_codes(run: Run) -> None:
    result = run("--help")
    assert result.code == 0
    assert "Exit codes: 0 success" in " ".join(result.out.split())
    for name in ("list", "show", "log", "add", "demo", "backup"):
        assert f"\n    {name} " in result.out or f"\n  {name} " in result.out, name


def test_init_reports_where_the_database_is(run: Run, tmp_path: Path) -> None:
    result = run("init")
    assert result.code == 0
    assert f"Database ready: {tmp_path / 'followup.sqlite3'}" in result.out
    assert "0 opportunities" in result.out


def test_demo_goes_to_a_throwaway_database_and_never_into_a_full_one(run: Run, tmp_path: Path) -> None:
    first = run("demo")
    assert first.code == 0, first.err
    throwaway = tmp_path / "cache" / "followup" / "demo.sqlite3"
    assert f"followup --db {throwaway} today" in first.err
    assert "interviewing" in first.out  # the opportunities
    assert "Due today" in first.out or "Overdue" in first.out  # then the agenda
    assert run("demo", "--quiet").code == 0  # replaced, not refused
    listing = json.loads(run("--db", str(throwaway), "list", "--json").out)["opportunities"]
    assert {o["stage"] for o in listing} >= {"lead", "applied", "interviewing", "offer", "rejected", "cold"}
    assert json.loads(run("list", "--json").out) == {"opportunities": []}  # FOLLOWUP_DB untouched
    walkthrough(run)
    refused = run("demo", "--db", str(tmp_path / "followup.sqlite3"))
    assert refused.code == 5
    assert "already holds a job search" in refused.err
