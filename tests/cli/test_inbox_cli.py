"""Reading mail from the command line: import, suggestions, confirm and dismiss, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

REJECTION = b"""From: Jane Doe <jane@northwind.example>
To: Alex Morgan <alex@example.org>
Subject: Your application
Date: Tue, 24 Nov 2026 15:00:00 +0000
Message-ID: <no@northwind.example>

Dear Alex, unfortunately we have decided not to proceed with your application.
"""
INVITE = b"""From: Jane Doe <jane@northwind.example>
To: Alex Morgan <alex@example.org>
Subject: Invitation: Interview
Date: Tue, 24 Nov 2026 15:00:00 +0000
Message-ID: <invite@northwind.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

See you then.
--b
Content-Type: text/calendar; method=REQUEST; charset=utf-8

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:interview-1@northwind.example
SEQUENCE:0
DTSTAMP:20261124T150000Z
DTSTART:20261201T160000Z
DTEND:20261201T170000Z
SUMMARY:Interview: Data Engineer
ORGANIZER;CN=Jane Doe:mailto:jane@northwind.example
ATTENDEE;CN=Alex Morgan:mailto:alex@example.org
ATTENDEE;CN=Raj Patel:mailto:raj@northwind.example
END:VEVENT
END:VCALENDAR
--b--
"""


def northwind(run: Run) -> None:
    assert run("add", "opportunity", "Northwind Traders", "Data Engineer").code == 0
    assert run("add", "person", "Jane Doe", "--email", "jane@northwind.example", "--org", "Northwind Traders",
               ).code == 0  # fmt: skip
    assert run("link", "jane", "northwind", "--role", "recruiter").code == 0
    assert run("log", "application", "northwind", "--at", "2026-11-02").code == 0


def test_import_then_confirm_a_rejection(run: Run, tmp_path: Path) -> None:
    northwind(run)
    (tmp_path / "no.eml").write_bytes(REJECTION)
    result = run("import", "eml", str(tmp_path / "no.eml"))
    assert result.code == 0, result.err
    assert "reply from Jane Doe" in result.out
    assert "suggestion 1: Looks like a rejection from Northwind Traders — Data Engineer" in result.out
    assert "1 read, 1 logged" in result.out
    listed = json.loads(run("suggestions", "--json").out)
    assert [(s["id"], s["kind"], s["opportunity"]["label"]) for s in listed] == [
        (1, "rejection", "Northwind Traders — Data Engineer")
    ]
    assert "decided not to proceed" in listed[0]["because"]
    assert json.loads(run("today", "--json").out)["suggestions"] == 1
    assert "Suggestions from your mail (1)" in run("today").out
    confirmed = run("confirm", "1")
    assert confirmed.code == 0, confirmed.err
    assert "outcome rejected" in confirmed.out
    shown = json.loads(run("show", "northwind", "--json").out)
    assert shown["opportunity"]["stage"] == "rejected"
    again = run("confirm", "1")
    assert again.code != 0
    assert "already confirmed" in again.err
    assert "Traceback" not in again.err


def test_an_invitation_puts_the_interview_in_and_raj_among_the_people(run: Run, tmp_path: Path) -> None:
    northwind(run)
    (tmp_path / "invite.eml").write_bytes(INVITE)
    result = run("import", "eml", str(tmp_path / "invite.eml"), "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert (report["invitations"], report["suggestions"]) == (1, 1)
    people = json.loads(run("list", "people", "--json").out)["people"]
    assert {p["name"] for p in people} == {"Jane Doe", "Raj Patel"}
    shown = json.loads(run("show", "northwind", "--json").out)
    (interview,) = shown["interviews"]
    assert interview["starts_at"].startswith("2026-12-01T16:00")
    assert shown["opportunity"]["stage"] == "applied"  # the stage moves only when confirmed
    assert run("confirm", "1").code == 0
    assert json.loads(run("show", "northwind", "--json").out)["opportunity"]["stage"] == "interviewing"


def test_dismiss_and_the_errors_name_the_fix(run: Run, tmp_path: Path) -> None:
    northwind(run)
    (tmp_path / "no.eml").write_bytes(REJECTION)
    assert run("import", "eml", str(tmp_path)).code == 0
    dismissed = run("dismiss", "1")
    assert dismissed.code == 0
    assert "Dismissed 1" in dismissed.out
    assert run("suggestions").out.strip() == "No suggestions waiting."
    missing = run("confirm", "7")
    assert missing.code != 0
    assert "No suggestion 7" in missing.err
    assert "followup suggestions" in missing.err
    wrong = run("import", "mbox", str(tmp_path / "nope.mbox"))
    assert wrong.code != 0
    assert "does not exist" in wrong.err
    assert "Traceback" not in wrong.err


def test_sync_without_a_mailbox_says_how_to_set_one_up(run: Run) -> None:
    result = run("sync")
    assert result.code != 0
    assert "No mailbox server is set up" in result.err
    assert "followup mail setup" in result.err


def test_trace_says_what_each_message_was_and_why(run: Run, tmp_path: Path) -> None:
    northwind(run)
    (tmp_path / "no.eml").write_bytes(REJECTION)
    (tmp_path / "news.eml").write_bytes(REJECTION.replace(b"jane@northwind", b"news@paper").replace(
        b"<no@", b"<news@"))  # fmt: skip
    result = run("import", "eml", str(tmp_path), "--trace")
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if line.startswith(str(tmp_path))]
    assert len(lines) == 2
    # a stranger's rejection is only a suggestion; Jane's is logged (and suggested)
    assert "news.eml  <news@northwind.example>  human (" in lines[0]
    assert lines[0].endswith("→ suggestion")
    assert "no.eml  <no@northwind.example>  human (" in lines[1]
    assert lines[1].endswith("→ logged")
    traced = json.loads(run("import", "eml", str(tmp_path), "--trace", "--json").out)["trace"]
    assert [t["effect"] for t in traced] == ["known", "known"]
