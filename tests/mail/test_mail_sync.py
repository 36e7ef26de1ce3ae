"""The mailbox sync against a real Dovecot: messages APPENDed over IMAP, read by `MailSync` into the
ledger, the plan, interviews and suggestions (and the same pipeline fed from an mbox file)."""

from __future__ import annotations

import dataclasses
import itertools
import mailbox
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.domain.agenda import TouchRecord
from followup.domain.model import Direction, Interaction, InteractionKind, InterviewStatus, Role
from followup.domain.suggestions import SuggestionKind
from followup.domain.touches import TouchKind, TouchStatus
from followup.ports import FolderRole, MailReader
from followup.services.reading import Outcome, ReadReport
from followup.services.tracking import OpportunityFields, PersonFields
from tests.conftest import NOW
from tests.mail.conftest import DovecotServer, dovecot  # noqa: F401 - fixture

MAIL = Path(__file__).parent.parent / "data" / "mail"
ME = "alex@example.org"
JANE = "jane@northwind.example"
SENT_ID = "<application-1@example.org>"  # the application mail Alex sent Jane
ARRIVED = NOW - timedelta(hours=1)  # INTERNALDATE of what the tests APPEND: inside the sync window
_users = itertools.count(1)


# ---------------------------------------------------------------------------------------------------
# Helpers


def message(
    *,
    sender: str = f"Jane Doe <{JANE}>",
    to: str = f"Alex Morgan <{ME}>",
    subject: str = "Re: Data Engineer application",
    body: str = "Hello Alex,\n\nthanks for your note.\n",
    message_id: str | None = "<reply-1@northwind.example>",
    in_reply_to: str | None = None,
    written: datetime = ARRIVED,
    headers: dict[str, str] | None = None,
) -> bytes:
    """One message as a mail client writes it (CRLF line endings)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(written)
    if message_id is not None:
        mail["Message-ID"] = message_id
    if in_reply_to is not None:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = in_reply_to
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return mail.as_bytes(policy=SMTP)


def append(server: DovecotServer, folder: str, *messages: bytes, when: datetime = ARRIVED) -> None:
    """APPEND over a connection of our own, as a delivery agent (or the user's own client) would."""
    with IMAPClient(server.host, server.port, ssl=False, timeout=10) as client:
        client.login(server.user, server.password)
        for data in messages:
            client.append(folder, data, msg_time=when)


def uidvalidity(server: DovecotServer, folder: str) -> int:
    with IMAPClient(server.host, server.port, ssl=False, timeout=10) as client:
        client.login(server.user, server.password)
        return int(client.select_folder(folder, readonly=True)[b"UIDVALIDITY"])


def effects(report: ReadReport) -> list[tuple[str, str]]:
    return [(o.message_id, o.effect) for o in report.outcomes]


def open_touches(app: App, kind: TouchKind) -> list[TouchRecord]:
    return [r for r in app.planning.store.records(open_only=True) if r.touch.kind is kind]


def touches_of(app: App, kind: TouchKind) -> list[TouchRecord]:
    return [r for r in app.planning.store.records() if r.touch.kind is kind]


@dataclasses.dataclass
class Mailbox:
    """One test's mailbox user on the shared Dovecot, and the applications reading it."""

    server: DovecotServer
    db: str
    monkeypatch: pytest.MonkeyPatch
    apps: list[App] = dataclasses.field(default_factory=list)
    readers: list[MailReader] = dataclasses.field(default_factory=list)

    def app(self) -> App:
        """An application over this test's database, reading this mailbox, tracing every message."""
        self.monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", self.server.password)
        settings = Settings(
            db=self.db,
            tz="America/Chicago",
            country="US",
            name="Alex Morgan",
            from_=f"Alex Morgan <{ME}>",
            imap_host=self.server.host,
            imap_port=self.server.port,
            imap_security="none",
            imap_user=self.server.user,
            mail_timeout=10.0,
        )  # type: ignore[call-arg]
        app = build(settings, clock=FixedClock(NOW))
        app.reading.trace = True
        self.apps.append(app)
        return app

    def reader(self, app: App) -> MailReader:
        reader = app.mail_reader()
        self.readers.append(reader)
        return reader

    def append(self, folder: str, *messages: bytes, when: datetime = ARRIVED) -> None:
        append(self.server, folder, *messages, when=when)

    def close(self) -> None:
        for reader in self.readers:
            reader.close()
        for app in self.apps:
            app.close()


def new_mailbox(server: DovecotServer, db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A user of its own (INBOX and an empty Sent folder), so no test sees another's mail."""
    n = next(_users)
    user = server.add_user(f"sync{os.getpid()}x{n}", f"pass-{n}")
    with IMAPClient(user.host, user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        client.create_folder("Sent")
    box = Mailbox(user, db, monkeypatch)
    yield box
    box.close()


@pytest.fixture
def box(dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:  # noqa: F811
    """A fresh mailbox and an SQLite database."""
    yield from new_mailbox(dovecot, str(tmp_path / "followup.sqlite3"), monkeypatch)


@pytest.fixture
def any_db_box(
    dovecot: DovecotServer,  # noqa: F811
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Mailbox]:
    """A fresh mailbox, and a database of each kind (SQLite, PostgreSQL)."""
    yield from new_mailbox(dovecot, db_url, monkeypatch)


def applied_at_northwind(app: App) -> tuple[int, int]:
    """Alex applied to Northwind on Fri 6 Nov and mailed Jane Doe, its recruiter; nothing heard since
    (13 business days before NOW). Returns the opportunity's and Jane's ids."""
    t = app.tracker
    opportunity = t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    jane = t.add_person(PersonFields(name="Jane Doe", emails=[JANE], timezone="America/Chicago", country="US"))
    t.link("jane", "northwind", Role.RECRUITER)
    t.log(InteractionKind.APPLICATION, opportunity_ref="northwind", at="2026-11-06 10:00")
    t.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="2026-11-06 10:30",
          direction=Direction.OUT, subject="Data Engineer application", message_id=SENT_ID)  # fmt: skip
    app.planning.ensure_current()
    assert opportunity.opportunity.id is not None and jane.person.id is not None
    return opportunity.opportunity.id, jane.person.id


def pending_check_in(app: App) -> TouchRecord:
    (record,) = open_touches(app, TouchKind.CHECK_IN)
    assert record.touch.key.endswith("/1")  # the first nudge, due since Tue 17 Nov
    return record


def ledger(app: App, person_id: int) -> list[Interaction]:
    return app.context.repo.ledger_of_person(person_id)


# ---------------------------------------------------------------------------------------------------
# 1. Every third-party mail file, through the server

SISIMAI = "sisimai-set-of-emails"
# What became of each file: the effect in the trace. "ignored": read, about nobody known, no job mail.
THIRD_PARTY: dict[str, str] = {
    "cpython-test-email/msg_15.txt": "ignored",
    "cpython-test-email/msg_16.txt": "bounce",
    "cpython-test-email/msg_35.txt": "ignored",
    "cpython-test-email/msg_47.txt": "ignored",
    "cpython-test-email/msg_48.txt": "ignored",
    f"{SISIMAI}/dos-crlf-rfc3464-01.eml": "bounce",
    f"{SISIMAI}/lhost-exchange2007-01.eml": "bounce",
    f"{SISIMAI}/lhost-gmail-01.eml": "bounce",
    f"{SISIMAI}/lhost-office365-01.eml": "bounce",
    f"{SISIMAI}/lhost-office365-02.eml": "bounce",
    f"{SISIMAI}/lhost-outlook-01.eml": "bounce",
    f"{SISIMAI}/lhost-postfix-01.eml": "bounce",
    f"{SISIMAI}/lhost-yahoo-01.eml": "bounce",
    f"{SISIMAI}/not-bounce-01.eml": "ignored",
    f"{SISIMAI}/not-bounce-02.eml": "ignored",
    # the same report as dos-crlf-rfc3464-01 (same Message-ID), appended just after it: read once
    f"{SISIMAI}/rfc3464-01.eml": "known",
    f"{SISIMAI}/rfc3464-03.eml": "bounce",
    f"{SISIMAI}/rfc3834-01.eml": "auto-reply",
    f"{SISIMAI}/rfc3834-02.eml": "auto-reply",
    f"{SISIMAI}/rfc3834-03.eml": "auto-reply",
    f"{SISIMAI}/rfc3834-04.eml": "auto-reply",
    f"{SISIMAI}/rfc3834-05.eml": "auto-reply",
    f"{SISIMAI}/rfc3834-06.eml": "auto-reply",
    f"{SISIMAI}/rhost-apple-01.eml": "bounce",
    f"{SISIMAI}/rhost-google-01.eml": "bounce",
    "spamscope-mail-parser/mail_malformed_2.eml": "bounce",
    "spamscope-mail-parser/mail_test_12.eml": "ignored",
}
# Who the auto-replies come from (rfc3834-06: From noreply@, Reply-To the person) and whom the bounces
# name as failed recipients (as tests/domain/test_classify.py asserts them).
AUTO_REPLY_SENDERS = {
    "rfc3834-01.eml": "kijitora@example.net",
    "rfc3834-02.eml": "nekonyaan@example.org",
    "rfc3834-03.eml": "kijitora@apple.example.com",
    "rfc3834-04.eml": "kijitora@example.org",
    "rfc3834-05.eml": "foo@bar.net",
    "rfc3834-06.eml": "kijitora@example.com",
}
BOUNCED = {
    "msg_16.txt": "jangel1@cougar.noc.ucla.edu",
    "dos-crlf-rfc3464-01.eml": "userunknown@bouncehammer.jp",
    "rfc3464-01.eml": "userunknown@bouncehammer.jp",
    "rfc3464-03.eml": "kijitora@example.com",
    "lhost-gmail-01.eml": "userunknown@example.jp",
    "lhost-office365-01.eml": "kijitora@example.com",
    "lhost-office365-02.eml": "kijitora@example.onmicrosoft.com",
    "lhost-outlook-01.eml": "kijitora@example.jp",
    "lhost-postfix-01.eml": "kijitora@example.org",
    "lhost-exchange2007-01.eml": "mikeneko@example.co.jp",
    "lhost-yahoo-01.eml": "kijitora@example.org",
    "rhost-apple-01.eml": "kijitora@example.jp",
    "rhost-google-01.eml": "shironeko@example.ne.jp",
    "mail_malformed_2.eml": "abh@netpar.com.br",
}
# The two auto-replies that answer a thread: Alex's mail they answer is in the ledger.
THREADS = {
    "kijitora@apple.example.com": ("<25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org>", "2019-12-16 10:00"),
    "foo@bar.net": ("<foobar@dummy.org>", "2021-09-20 10:00"),
}


def third_party_files() -> list[str]:
    """Every whole message under tests/data/mail (the zapier files are reply bodies, not messages)."""
    found = [
        p.relative_to(MAIL).as_posix()
        for p in MAIL.rglob("*")
        if p.is_file()
        and (p.suffix == ".eml" or (p.suffix == ".txt" and p.parent.name == "cpython-test-email"))
    ]
    return sorted(found)


def test_every_third_party_mail_file_is_accounted_for(box: Mailbox) -> None:
    files = third_party_files()
    assert set(files) == set(THIRD_PARTY)  # a file added to tests/data/mail needs its line above
    app = box.app()
    people: dict[str, int] = {}
    for n, address in enumerate(sorted({*AUTO_REPLY_SENDERS.values(), *BOUNCED.values()})):
        summary = app.tracker.add_person(PersonFields(name=f"Person {n}", emails=[address]))
        assert summary.person.id is not None
        people[address] = summary.person.id
    for address, (message_id, at) in THREADS.items():
        app.tracker.log(InteractionKind.EMAIL, person_refs=[str(people[address])], at=at,
                        direction=Direction.OUT, subject="Hello", message_id=message_id)  # fmt: skip
    box.append("INBOX", *[(MAIL / name).read_bytes() for name in files])

    report = app.mail_sync.sync(box.reader(app))

    assert report.read == len(files)
    assert len(report.outcomes) == len(files)
    assert report.skipped == []
    by_place = {int(o.where.rpartition(" ")[2]): o for o in report.outcomes}  # "INBOX UID n"
    outcomes: dict[str, Outcome] = {name: by_place[uid] for uid, name in enumerate(files, start=1)}
    assert {name: o.effect for name, o in outcomes.items()} == THIRD_PARTY
    for name, outcome in outcomes.items():
        assert outcome.effect != "skipped", name
        if THIRD_PARTY[name] in {"bounce", "auto-reply"}:
            assert outcome.kind == THIRD_PARTY[name], name
        elif THIRD_PARTY[name] == "ignored":
            assert outcome.kind in {"human", "bulk"}, name
    repo = app.context.repo
    for name, address in BOUNCED.items():
        person = repo.get_person(people[address], now=NOW)
        assert person is not None
        assert [(e.address, e.bad) for e in person.person.emails] == [(address, True)], name
        assert InteractionKind.BOUNCE in {e.kind for e in ledger(app, people[address])}, name
    for name, address in AUTO_REPLY_SENDERS.items():
        entries = ledger(app, people[address])
        mine = [e for e in entries if e.message_id == outcomes[f"{SISIMAI}/{name}"].message_id]
        assert [(e.kind, e.direction) for e in mine] == [(InteractionKind.AUTO_REPLY, Direction.IN)], name
        assert not [e for e in entries if e.kind is InteractionKind.EMAIL and e.direction is Direction.IN]
    # Apple's vacation reply answers Alex's mail (In-Reply-To): still an out-of-office, with its end date
    (apple,) = [e for e in ledger(app, people["kijitora@apple.example.com"]) if e.direction is Direction.IN]
    assert apple.in_reply_to == THREADS["kijitora@apple.example.com"][0]
    assert (apple.kind, apple.returns_on) == (InteractionKind.AUTO_REPLY, date(2020, 1, 11))
    assert report.logged == 0
    assert not open_touches(app, TouchKind.REPLY_OWED)


# ---------------------------------------------------------------------------------------------------
# 2-4. Replies, out-of-office, bounces


REPLY_TEXT = (
    "Hi Alex,\n\nthank you for applying to the Data Engineer role. The hiring team has read your "
    "application with interest and would like to learn more about your work on streaming pipelines, "
    "in particular the migration from Kafka Streams to Flink you describe. Could you tell me which days "
    "next week suit you for a first call of about thirty minutes? Mornings work best on our side, but "
    "we can be flexible.\n\nBest,\nJane\n\n"
    "On Fri, Nov 6, 2026 at 10:30 AM Alex Morgan <alex@example.org> wrote:\n"
    "> Dear Jane,\n> please find my application for the Data Engineer role attached.\n"
)


def test_a_reply_cancels_the_pending_check_in(any_db_box: Mailbox) -> None:
    box = any_db_box
    app = box.app()
    _, jane = applied_at_northwind(app)
    check_in = pending_check_in(app)
    assert not open_touches(app, TouchKind.REPLY_OWED)
    box.append("INBOX", message(in_reply_to=SENT_ID, body=REPLY_TEXT))

    report = app.mail_sync.sync(box.reader(app))

    assert effects(report) == [("<reply-1@northwind.example>", "logged")]
    settled = app.planning.store.record(check_in.id)
    assert settled is not None
    assert settled.touch.status is TouchStatus.CANCELLED
    assert settled.touch.cancel_reason == "reply received 26 Nov"
    assert report.cancelled == ["check-in to Jane Doe cancelled: reply received 26 Nov"]
    (reply,) = [e for e in ledger(app, jane) if e.direction is Direction.IN]
    assert (reply.kind, reply.message_id, reply.in_reply_to) == (
        InteractionKind.EMAIL, "<reply-1@northwind.example>", SENT_ID
    )  # fmt: skip
    assert reply.occurred_at == ARRIVED
    assert len(reply.notes) <= 300
    assert reply.notes.startswith("Hi Alex, thank you for applying to the Data Engineer role.")
    assert reply.notes.endswith("…")
    assert "wrote:" not in reply.notes
    assert "please find my application" not in reply.notes
    (owed,) = open_touches(app, TouchKind.REPLY_OWED)
    assert owed.touch.person_id == jane
    assert owed.touch.trigger_id == reply.id


def test_an_out_of_office_with_a_return_date_moves_the_pending_check_in(box: Mailbox) -> None:
    app = box.app()
    _, jane = applied_at_northwind(app)
    check_in = pending_check_in(app)
    assert check_in.touch.due_from.date() < date(2026, 11, 26)
    box.append("INBOX", message(
        subject="Automatic reply: Data Engineer application",
        body="Hello,\n\nI am out of the office until 15 December 2026 with limited access to e-mail.\n",
        message_id="<ooo-1@northwind.example>",
        in_reply_to=SENT_ID,
        headers={"Auto-Submitted": "auto-replied"},
    ))  # fmt: skip

    report = app.mail_sync.sync(box.reader(app))

    assert [(o.kind, o.effect) for o in report.outcomes] == [("auto-reply", "auto-reply")]
    assert report.cancelled == []
    assert report.logged == 0
    (entry,) = [e for e in ledger(app, jane) if e.direction is Direction.IN]
    assert entry.kind is InteractionKind.AUTO_REPLY
    assert entry.returns_on == date(2026, 12, 16)  # "until 15 December": back the day after
    moved = app.planning.store.record(check_in.id)
    assert moved is not None
    assert moved.touch.status is TouchStatus.PENDING
    assert moved.touch.due_from.date() > date(2026, 12, 15)
    assert not open_touches(app, TouchKind.REPLY_OWED)  # a machine wrote it: nothing to answer


def delivery_report(failed: str, original_id: str) -> bytes:
    """A Postfix-style RFC 3464 report saying mail to `failed` could not be delivered."""
    boundary = "report-7f3a"
    body = (
        f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx.example.org.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{failed}>: host mx.northwind.example said: 550 5.1.1 <{failed}>: Recipient address "
        "rejected: User unknown in virtual mailbox table\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\nArrival-Date: Thu, 26 Nov 2026 13:59:58 +0000\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nOriginal-Recipient: rfc822;{failed}\r\nAction: failed\r\n"
        "Status: 5.1.1\r\nRemote-MTA: dns; mx.northwind.example\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{failed}>: Recipient address rejected\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: Alex Morgan <{ME}>\r\nTo: {failed}\r\nSubject: Data Engineer application\r\n"
        f"Message-ID: {original_id}\r\n\r\n--{boundary}--\r\n"
    )
    headers = (
        f"From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\nTo: {ME}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(ARRIVED)}\r\nMessage-ID: <bounce-1@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n\r\n'
    )
    return (headers + body).encode("ascii")


def test_a_bounce_marks_the_address_bad_and_asks_to_find_another(box: Mailbox) -> None:
    app = box.app()
    _, jane = applied_at_northwind(app)
    assert not open_touches(app, TouchKind.FIND_ADDRESS)
    box.append("INBOX", delivery_report(JANE, SENT_ID))

    report = app.mail_sync.sync(box.reader(app))

    assert [(o.kind, o.effect) for o in report.outcomes] == [("bounce", "bounce")]
    summary = app.context.repo.get_person(jane, now=NOW)
    assert summary is not None
    assert [(e.address, e.bad) for e in summary.person.emails] == [(JANE, True)]
    (entry,) = [e for e in ledger(app, jane) if e.kind is InteractionKind.BOUNCE]
    assert entry.message_id == "<bounce-1@mx.example.org>"
    assert entry.notes.startswith(f"{JANE}: 5.1.1 550 5.1.1")
    app.planning.ensure_current()
    (find,) = open_touches(app, TouchKind.FIND_ADDRESS)
    assert find.touch.person_id == jane
    assert find.touch.trigger_id == entry.id
    # the check-in is still pending (a bounce is no answer), but has nowhere to go until an address is found
    assert open_touches(app, TouchKind.CHECK_IN)
