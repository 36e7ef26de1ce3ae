"""The server's background worker, and SQLite shared by the web server, the worker and the command
line writing at the same time."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from followup.bootstrap import build
from followup.clock import FixedClock
from followup.domain.model import InteractionKind
from followup.services.fields import OpportunityFields, PersonFields
from followup.web.server import build_site
from tests.mail.conftest import DovecotServer, dovecot  # noqa: F401 - fixture
from tests.mail.smtp_server import PASSWORD, USER, SmtpServer, smtp_plain_fixture  # noqa: F401 - fixture
from tests.mail.test_mail_sync import UserMailbox, message, new_mailbox
from tests.web.conftest import FEED, LOGIN, WEB_NOW, Web, logged_in, settings_for


def until(check: Callable[[], Any], seconds: float = 15.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("waited in vain")


def worker_web(db: str, **settings: Any) -> Web:
    values = settings_for(db, **settings)
    clock = FixedClock(WEB_NOW)
    app = build(values, clock=clock)
    site = build_site(app, settings=values, clock=clock, feed_token=FEED, login_token=LOGIN)
    return logged_in(site)


@pytest.fixture
def smtp_web(tmp_path: Path, smtp_plain: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)
    web = worker_web(str(tmp_path / "w.sqlite3"), smtp_host="127.0.0.1", smtp_port=smtp_plain.port,
                     smtp_security="none", smtp_user=USER, send_every=0.2)  # fmt: skip
    yield web
    assert web.site.worker is not None
    web.site.worker.stop()
    web.app.close()


def interviewed(web: Web, *names: str) -> list[int]:
    """An interview with these people at Northwind this morning; the thank-you touches' ids."""
    t = web.app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    for name in names:
        first = name.split()[0].lower()
        t.add_person(PersonFields(name=name, emails=[f"{first}@northwind.example"], organisation="Northwind"))
    t.log_interview("northwind", at="2026-12-01 10:00", interviewer_refs=[n.split()[0] for n in names])
    return [r.id for r in web.app.planning.touches(opportunity_id=1) if r.touch.kind.value == "thank-you"]


def test_the_worker_sends_an_approved_note_and_shows_how_it_went(
    smtp_web: Web, smtp_plain: SmtpServer
) -> None:
    (touch,) = interviewed(smtp_web, "Jane Doe")
    worker = smtp_web.site.worker
    assert worker is not None
    # every run's result, as the status showed it right after the run (the sender runs every 0.2 s
    # here, so "1 sent" gives way to "nothing due" sooner than a poll of the API may come)
    results: list[str] = []
    told = worker.on_change

    def record() -> None:
        results.extend(j.last_result for j in worker.status() if j.name == "send")
        told()

    worker.on_change = record
    worker.start()
    smtp_web.post(f"/touches/{touch}/approve")  # approving wakes the worker's sender
    until(lambda: smtp_plain.messages)
    assert [m.recipients for m in smtp_plain.messages] == [["jane@northwind.example"]]
    until(lambda: "1 sent" in results)
    status = next(j for j in smtp_web.api("GET", "/api/worker", None).json()["jobs"] if j["name"] == "send")
    assert status["runs"] >= 1
    assert status["last_result"] in {"1 sent", "nothing due"}
    assert status["last_error"] is None
    jobs = {j["name"]: j for j in smtp_web.client.get("/settings.json").json()["worker"]}
    assert jobs["sync"]["enabled"] is False
    assert jobs["sync"]["why_not"] == "no mailbox is set up"
    # the note is sent, the ledger has it, and the pages say so (the worker's write reached the page cache)
    assert "jane@northwind.example" in str(smtp_web.client.get("/outbox.json").json()["states"][-1])
    assert smtp_web.client.get("/today.json").json()["sections"]["today"]["count"] == 0
    time.sleep(0.5)
    assert len(smtp_plain.messages) == 1  # never twice, however often the worker looks


def test_a_failing_job_shows_its_error(tmp_path: Path) -> None:
    web = worker_web(str(tmp_path / "w.sqlite3"), send_every=0.2)
    (touch,) = interviewed(web, "Jane Doe")
    assert web.site.worker is not None
    web.site.worker.start()
    web.post(f"/touches/{touch}/approve")
    job = until(lambda: next((j for j in web.api("GET", "/api/worker", None).json()["jobs"]
                              if j["name"] == "send" and j["last_error"]), None))  # fmt: skip
    assert job["last_error"].startswith("No outgoing mail server is set up.")
    assert "No outgoing mail server is set up." in web.client.get("/settings").text
    web.site.worker.stop()
    web.app.close()


@pytest.fixture
def box(dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UserMailbox]:
    yield from new_mailbox(dovecot, str(tmp_path / "followup.sqlite3"), monkeypatch)


def test_the_worker_syncs_the_mailbox_on_its_interval(box: UserMailbox) -> None:
    box.monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", box.server.password)
    web = worker_web(box.db, imap_host=box.server.host, imap_port=box.server.port, imap_security="none",
                     imap_user=box.server.user, sync_every=0.3, sync_days=30)  # fmt: skip
    box.append("INBOX", message(sender="Sam Lee <sam@fabrikam.example>", subject="Interview invitation",
                                body="Hi Alex, we would like to invite you to an interview for the "
                                "Platform Engineer role.", message_id="<invite@fabrikam.example>",
                                written=WEB_NOW), when=WEB_NOW)  # fmt: skip
    assert web.site.worker is not None
    web.site.worker.start()
    found = until(lambda: web.client.get("/suggestions.json").json()["suggestions"])
    assert found[0]["from"]["address"] == "sam@fabrikam.example"
    job = next(j for j in web.api("GET", "/api/worker", None).json()["jobs"] if j["name"] == "sync")
    assert job["enabled"] is True
    assert "1 read" in job["last_result"]
    web.site.worker.stop()
    web.app.close()


def test_web_worker_and_command_line_write_at_once_without_locking_errors(
    smtp_web: Web, smtp_plain: SmtpServer, tmp_path: Path
) -> None:
    touches = interviewed(smtp_web, "Jane Doe", "Raj Patel", "Ana Lima", "Bo Chen")
    for touch in touches:
        smtp_web.app.drafting.approve(str(touch))
    db = smtp_web.app.settings.db
    assert smtp_web.site.worker is not None
    smtp_web.site.worker.start()
    errors: list[str] = []

    def web_writes() -> None:
        for n in range(30):
            answer = smtp_web.api("POST", "/api/interactions",
                                  {"kind": "note", "opportunity": "1", "notes": f"web {n}"})  # fmt: skip
            if answer.status_code != 201:
                errors.append(f"web: {answer.status_code} {answer.text}")

    def app_writes() -> None:  # another process's connection, as a script using followup would have
        other = build(settings_for(db), clock=FixedClock(WEB_NOW))
        try:
            for n in range(30):
                other.tracker.log(InteractionKind.NOTE, opportunity_ref="1", notes=f"other {n}")
        except Exception as exc:
            errors.append(f"other: {exc}")
        finally:
            other.close()

    def cli_writes() -> None:
        for n in range(5):
            done = subprocess.run(
                [sys.executable, "-m", "followup", "--db", db, "log", "note", "1", f"cli {n}"],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                errors.append(f"cli: {done.stderr}")
            print("CLI", n, done.returncode, done.stdout, done.stderr)

    threads = [threading.Thread(target=f) for f in (web_writes, app_writes, cli_writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    until(lambda: len(smtp_plain.messages) == len(touches))
    assert errors == []
    import sqlite3

    fresh = sqlite3.connect(db).execute("select count(*) from interactions").fetchone()
    mine = smtp_web.app.db.raw.execute("select count(*) from interactions").fetchone()[0]
    print("COUNTS", fresh, mine, smtp_web.app.db.raw.in_transaction)
    notes = [e.notes for e in smtp_web.app.browser.opportunity("1").ledger if e.kind is InteractionKind.NOTE]
    expected = {f"{who} {n}" for who, count in (("web", 30), ("other", 30), ("cli", 5)) for n in range(count)}
    assert sorted(expected - set(notes)) == []
    assert len(notes) == 65
    assert sorted(m.recipients[0] for m in smtp_plain.messages) == [
        "ana@northwind.example", "bo@northwind.example", "jane@northwind.example", "raj@northwind.example"
    ]  # fmt: skip
