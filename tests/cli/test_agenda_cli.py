"""`today`, `upcoming`, `why`, `snooze`, `done`, `skip` as a user types them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import Run

TOUCH_KEYS = {
    "id", "key", "kind", "state", "person", "opportunity", "due_from", "due_by", "send_at", "reason",
    "template", "channel", "urgent", "round", "trigger_at", "snoozed_until", "cancel_reason", "sequence",
}  # fmt: skip


def story(run: Run) -> None:
    for args in (
        ("add", "opportunity", "Northwind Traders", "Data Engineer"),
        ("add", "person", "Jane Doe", "--email", "jane@northwind.example", "--tz", "America/Chicago"),
        ("link", "jane", "northwind", "--role", "recruiter"),
        ("log", "application", "northwind", "--at", "-20d"),
        # ten days ago: overdue whatever weekday or holiday the tests run on
        ("log", "email-in", "jane", "--subject", "Next steps", "--at", "-10d"),
    ):
        assert run(*args).code == 0, args


def test_today_lists_what_is_due_with_reasons(run: Run) -> None:
    story(run)
    out = run("today").out
    assert "reply-owed" in out
    assert "Jane Doe wrote on" in out
    assert "“Next steps”" in out
    agenda = json.loads(run("today", "--json").out)
    assert set(agenda) == {"overdue", "today", "waiting", "problems", "notes", "suggestions"}
    assert agenda["problems"] == []
    touches = agenda["overdue"] + agenda["today"]
    assert all(set(t) == TOUCH_KEYS for t in touches)
    reply = next(t for t in touches if t["kind"] == "reply-owed")
    assert reply["person"] == {"id": 1, "name": "Jane Doe"}
    assert reply["opportunity"]["title"] == "Northwind Traders — Data Engineer"
    assert reply["due_by"].endswith("Z")


def test_why_snooze_done_skip(run: Run) -> None:
    story(run)
    reply = next(t for t in json.loads(run("today", "--json").out)["overdue"] if t["kind"] == "reply-owed")
    touch = str(reply["id"])
    why = run("why", touch)
    assert why.code == 0
    assert "rule reply-owed: trigger inbound-human" in why.out
    assert "email from them" in why.out
    snoozed = json.loads(run("snooze", touch, "+3d", "--json").out)
    assert snoozed["state"] == "snoozed"
    assert snoozed["due_from"] > reply["due_from"]
    agenda = json.loads(run("today", "--json").out)
    assert touch not in {str(t["id"]) for t in agenda["today"] + agenda["overdue"]}
    shown = json.loads(run("upcoming", "--days", "10", "--json").out)
    assert set(shown) == {"overdue", "today", "upcoming", "waiting", "days"}
    later = [t for name in ("overdue", "today", "upcoming", "waiting") for t in shown[name]]
    assert touch in {str(t["id"]) for t in later}
    past = run("snooze", touch, "--until", "yesterday")
    assert past.code == 2
    assert "in the past" in past.err
    assert json.loads(run("done", touch, "--json").out)["state"] == "done"
    assert json.loads(run("skip", touch, "--json").out)["state"] == "skipped"
    missing = run("done", "4242")
    assert missing.code == 3
    assert "There is no touch '4242'" in missing.err


def test_show_says_whose_move(run: Run) -> None:
    story(run)
    shown = json.loads(run("show", "northwind", "--json").out)
    assert shown["whose_move"]["who"] == "you"
    assert "reply-owed" in shown["whose_move"]["what"]
    assert "Whose move: yours" in run("show", "northwind").out


def test_a_person_with_an_unusable_zone_is_planned_anyway_and_named(run: Run, tmp_path: Path) -> None:
    story(run)
    # as an import from another tool might leave it: bypass the checks of `add` and `edit`
    db = sqlite3.connect(tmp_path / "followup.sqlite3")
    db.execute("UPDATE people SET timezone = 'Mars/Olympus_Mons', country = 'XX' WHERE name = 'Jane Doe'")
    db.commit()
    db.close()
    assert run("log", "note", "jane", "moved to Mars", "--person").code == 0  # re-plans Jane's conversations
    result = run("today")
    assert result.code == 0
    assert "Problem: Jane Doe: time zone 'Mars/Olympus_Mons' is unknown" in result.err
    assert "country 'XX' is not an ISO code" in result.err
    assert "followup edit person 1 --tz" in result.err
    agenda = json.loads(run("today", "--json").out)
    assert len(agenda["problems"]) == 1
    assert any(t["kind"] == "reply-owed" for t in agenda["overdue"])  # the plan went on
