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
from followup.ports import MailReader
from followup.services.fields import OpportunityFields, PersonFields
from followup.services.readreport import Outcome, ReadReport
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


@dataclasses.dataclass
class UserMailbox:
    """One test's mailbox user on the shared Dovecot, and the applications reading it."""

    server: DovecotServer
    db: str
    monkeypatch: pytest.MonkeyPatch
    apps: list[App] = dataclasses.field(default_factory=list)
    readers: list[MailReader] = dataclasses.field(default_factory=list)

    def app(self, *, keep: bool = True) -> App:
        """An application over this test's database, reading this mailbox, tracing every message;
        closed after the test when `keep` (else by whoever made it: its own thread)."""
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
        )
        app = build(settings, clock=FixedClock(NOW))
        app.reading.trace = True
        if keep:
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


def new_mailbox(server: DovecotServer, db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[UserMailbox]:
    """A user of its own (INBOX and an empty Sent folder), so no test sees another's mail."""
    n = next(_users)
    user = server.add_user(f"sync{os.getpid()}x{n}", f"pass-{n}")
    with IMAPClient(user.host, user.port, ssl=False, timeout=10) as client:
        client.login(user.user, user.password)
        client.create_folder("Sent")
    box = UserMailbox(user, db, monkeypatch)
    yield box
    box.close()


@pytest.fixture
def box(dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UserMailbox]:
    """A fresh mailbox and an SQLite database."""
    yield from new_mailbox(dovecot, str(tmp_path / "followup.sqlite3"), monkeypatch)


@pytest.fixture
def any_db_box(dovecot: DovecotServer, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[UserMailbox]:
    """A fresh mailbox, and a database of each kind (SQLite, PostgreSQL)."""
    yield from new_mailbox(dovecot, db_url, monkeypatch)


def applied_at_northwind(app: App) -> tuple[int, int]:
    """Alex applied to Northwind on Fri 6 Nov and mailed Jane Doe, its recruiter; nothing heard since
    (13 business days before NOW). Returns the opportunity's and Jane's ids."""
    t = app.tracker
    opportunity = t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    jane = t.add_person(
        PersonFields(name="Jane Doe", emails=[JANE], timezone="America/Chicago", country="US")
    )
    t.link("jane", "northwind", Role.RECRUITER)
    t.log(InteractionKind.APPLICATION, opportunity_ref="northwind", at="2026-11-06 10:00")
    t.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="2026-11-06 10:30",
          direction=Direction.OUT, subject="Data Engineer application", message_id=SENT_ID)  # fmt: skip
    app.planning.ensure_current()
    assert opportunity.opportunity.id is not None
    assert jane.person.id is not None
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
    "kijitora@apple.example.com": (
        "<25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org>",
        "2019-12-16 10:00",
    ),
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


def test_every_third_party_mail_file_is_accounted_for(box: UserMailbox) -> None:
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


def test_a_reply_cancels_the_pending_check_in(any_db_box: UserMailbox) -> None:
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
    assert settled.touch.cancel_reason == "reply received: Jane Doe replied on 26 Nov"
    assert report.cancelled == ["check-in to Jane Doe cancelled: reply received: Jane Doe replied on 26 Nov"]
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


def test_an_out_of_office_with_a_return_date_moves_the_pending_check_in(box: UserMailbox) -> None:
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


def test_a_bounce_marks_the_address_bad_and_asks_to_find_another(box: UserMailbox) -> None:
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
    assert open_touches(app, TouchKind.CHECK_IN)  # a bounce answers nothing


# ---------------------------------------------------------------------------------------------------
# 5. Invitations

UID = "interview-42@northwind.example"


def invitation(*, method: str, sequence: int, start: str, end: str, message_id: str, subject: str) -> bytes:
    """Jane's calendar invitation for Alex: a text part and a text/calendar part (as Outlook sends)."""
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Northwind Traders//Recruiting//EN", "VERSION:2.0",
        f"METHOD:{method}", "BEGIN:VEVENT", f"UID:{UID}", f"SEQUENCE:{sequence}",
        "DTSTAMP:20261126T140000Z", f"DTSTART;TZID=America/New_York:{start}",
        f"DTEND;TZID=America/New_York:{end}", "SUMMARY:Data Engineer interview",
        "LOCATION:https://meet.google.com/abc-defg-hij",
        f"ORGANIZER;CN=Jane Doe:mailto:{JANE}",
        f"ATTENDEE;CN=Alex Morgan;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{ME}",
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}", "END:VEVENT", "END:VCALENDAR", "",
    ])  # fmt: skip
    mail = EmailMessage()
    mail["From"] = f"Jane Doe <{JANE}>"
    mail["To"] = f"Alex Morgan <{ME}>"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(ARRIVED)
    mail["Message-ID"] = message_id
    mail.set_content("Jane Doe has invited you to: Data Engineer interview\n")
    mail.add_alternative(ics, subtype="calendar", params={"method": method})
    return mail.as_bytes(policy=SMTP)


def test_an_invitation_its_update_and_its_cancellation(any_db_box: UserMailbox) -> None:
    box = any_db_box
    app = box.app()
    opportunity, jane = applied_at_northwind(app)
    reader = box.reader(app)
    repo = app.context.repo

    box.append("INBOX", invitation(method="REQUEST", sequence=0, start="20261203T100000",
                                   end="20261203T104500", message_id="<invite-0@northwind.example>",
                                   subject="Invitation: Data Engineer interview"))  # fmt: skip
    report = app.mail_sync.sync(reader)
    assert [(o.kind, o.effect) for o in report.outcomes] == [("invitation", "invitation")]
    interview = repo.interview_with_uid(UID)
    assert interview is not None
    assert (interview.opportunity_id, interview.status, interview.sequence) == (
        opportunity, InterviewStatus.SCHEDULED, 0
    )  # fmt: skip
    assert interview.starts_at == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York
    assert interview.ends_at == datetime(2026, 12, 3, 15, 45, tzinfo=UTC)
    assert interview.interviewer_ids == (jane,)
    (suggestion,) = app.reading.store.suggestions()
    assert suggestion.kind is SuggestionKind.INTERVIEW
    assert suggestion.message_id == "<invite-0@northwind.example>"
    assert (suggestion.interview_id, suggestion.opportunity_id) == (interview.id, opportunity)

    box.append("INBOX", invitation(method="REQUEST", sequence=1, start="20261204T140000",
                                   end="20261204T144500", message_id="<invite-1@northwind.example>",
                                   subject="Updated invitation: Data Engineer interview"))  # fmt: skip
    report = app.mail_sync.sync(reader)
    assert [o.effect for o in report.outcomes] == ["invitation"]
    moved = repo.interview_with_uid(UID)
    assert moved is not None
    assert moved.id == interview.id
    assert (moved.starts_at, moved.sequence) == (datetime(2026, 12, 4, 19, 0, tzinfo=UTC), 1)
    assert moved.status is InterviewStatus.SCHEDULED

    # an update older than the one applied (delivered late) changes nothing
    box.append("INBOX", invitation(method="REQUEST", sequence=0, start="20261207T090000",
                                   end="20261207T094500", message_id="<invite-0b@northwind.example>",
                                   subject="Invitation: Data Engineer interview"))  # fmt: skip
    report = app.mail_sync.sync(reader)
    assert [o.effect for o in report.outcomes] == ["known"]
    assert repo.interview_with_uid(UID) == moved

    box.append("INBOX", invitation(method="CANCEL", sequence=2, start="20261204T140000",
                                   end="20261204T144500", message_id="<invite-2@northwind.example>",
                                   subject="Canceled: Data Engineer interview"))  # fmt: skip
    report = app.mail_sync.sync(reader)
    assert [o.effect for o in report.outcomes] == ["invitation"]
    cancelled = repo.interview_with_uid(UID)
    assert cancelled is not None
    assert (cancelled.id, cancelled.status, cancelled.sequence) == (
        interview.id, InterviewStatus.CANCELLED, 2
    )  # fmt: skip
    assert len(repo.all_interviews()) == 1
    assert [s.message_id for s in app.reading.store.suggestions()] == ["<invite-0@northwind.example>"]


# ---------------------------------------------------------------------------------------------------
# 6-7. What the sync remembers per folder


def sent_by_alex(message_id: str, to: str, subject: str) -> bytes:
    return message(sender=f"Alex Morgan <{ME}>", to=to, subject=subject, message_id=message_id,
                   body="Hello,\n\na short note from my phone.\n")  # fmt: skip


def test_a_renumbered_folder_is_read_again_without_duplicates(box: UserMailbox) -> None:
    app = box.app()
    _, jane = applied_at_northwind(app)
    app.tracker.add_person(PersonFields(name="Sam Lee", emails=["sam@acme.example"]))
    sent = [
        sent_by_alex("<note-1@example.org>", JANE, "Following up"),
        sent_by_alex("<note-2@example.org>", "sam@acme.example", "Coffee next week?"),
    ]
    box.append("Sent", *sent)
    box.append("INBOX", message(in_reply_to=SENT_ID))
    reader = box.reader(app)
    first = app.mail_sync.sync(reader)
    assert sorted(effects(first)) == [
        ("<note-1@example.org>", "logged"), ("<note-2@example.org>", "logged"),
        ("<reply-1@northwind.example>", "logged"),
    ]  # fmt: skip
    counts = app.context.repo.counts()
    before = uidvalidity(box.server, "Sent")
    assert app.reading.store.folder_state(reader.account, "Sent") is not None

    # the server renumbers Sent (a restore, a migration): deleted and made again with the same mail
    with IMAPClient(box.server.host, box.server.port, ssl=False, timeout=10) as client:
        client.login(box.server.user, box.server.password)
        client.delete_folder("Sent")
        client.create_folder("Sent")
    box.append("Sent", *sent)
    after = uidvalidity(box.server, "Sent")
    assert after != before

    again = app.mail_sync.sync(reader)
    assert sorted(effects(again)) == [("<note-1@example.org>", "known"), ("<note-2@example.org>", "known")]
    assert app.context.repo.counts() == counts
    state = app.reading.store.folder_state(reader.account, "Sent")
    assert state is not None
    assert (state.uidvalidity, state.highest_uid) == (after, 2)
    assert len([e for e in ledger(app, jane) if e.message_id == "<note-1@example.org>"]) == 1


def test_a_sync_with_nothing_new_reads_nothing_and_then_only_what_is_new(box: UserMailbox) -> None:
    app = box.app()
    applied_at_northwind(app)
    digest = message(sender="Weekly Digest <digest@news.example>", subject="This week in data",
                     message_id="<digest-1@news.example>",
                     headers={"List-Id": "<digest.news.example>"})  # fmt: skip
    box.append("INBOX", message(in_reply_to=SENT_ID), digest)
    reader = box.reader(app)
    assert app.mail_sync.sync(reader).read == 2

    nothing = app.mail_sync.sync(reader)
    assert (nothing.read, nothing.outcomes, nothing.skipped) == (0, [], [])

    box.append("INBOX", message(message_id="<reply-2@northwind.example>", subject="Re: call on Monday",
                                in_reply_to="<reply-1@northwind.example>"))  # fmt: skip
    # mail moved into INBOX keeps its old date: older than the window, it is not read
    box.append("INBOX", message(message_id="<old@northwind.example>", in_reply_to=SENT_ID),
               when=ARRIVED - timedelta(days=400))  # fmt: skip
    third = app.mail_sync.sync(reader)
    assert third.read == 1
    assert effects(third) == [("<reply-2@northwind.example>", "logged")]
    assert app.mail_sync.sync(reader).read == 0
    assert app.context.repo.entries_with_message_ids(["<old@northwind.example>"]) == []


# ---------------------------------------------------------------------------------------------------
# 8. The Sent folder


def test_mail_sent_from_the_users_own_client_settles_the_thank_you(box: UserMailbox) -> None:
    app = box.app()
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    jane = t.add_person(
        PersonFields(name="Jane Doe", emails=[JANE], timezone="America/Chicago", country="US")
    )
    t.log_interview("northwind", at="2026-11-25 13:00", duration="45m", interviewer_refs=["jane"])
    app.planning.ensure_current()
    (thank_you,) = open_touches(app, TouchKind.THANK_YOU)
    box.append("Sent", message(
        sender=f"Alex Morgan <{ME}>", to=f"Jane Doe <{JANE}>", subject="Thank you for today",
        body="Hi Jane,\n\nthank you for the conversation today.\n\nAlex\n\nSent from my iPhone\n",
        message_id="<thanks-1@example.org>", written=datetime(2026, 11, 25, 22, 30, tzinfo=UTC),
    ))  # fmt: skip

    report = app.mail_sync.sync(box.reader(app))

    assert [(o.where, o.kind, o.effect) for o in report.outcomes] == [("Sent UID 1", "outgoing", "logged")]
    (sent,) = [e for e in ledger(app, jane.person.id or 0) if e.kind is InteractionKind.EMAIL]
    assert (sent.direction, sent.message_id, sent.subject) == (
        Direction.OUT, "<thanks-1@example.org>", "Thank you for today"
    )  # fmt: skip
    assert sent.notes == "Hi Jane, thank you for the conversation today. Alex"
    done = app.planning.store.record(thank_you.id)
    assert done is not None
    assert done.touch.status is TouchStatus.DONE
    assert not open_touches(app, TouchKind.REPLY_OWED)


# ---------------------------------------------------------------------------------------------------
# 9. Mail files


def test_the_same_mbox_imported_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    app = build(Settings(db=str(tmp_path / "followup.sqlite3"), tz="America/Chicago", country="US",
                         from_=f"Alex Morgan <{ME}>"), clock=FixedClock(NOW))  # fmt: skip
    try:
        app.reading.trace = True
        _, jane = applied_at_northwind(app)
        app.tracker.add_person(PersonFields(name="Sam Lee", emails=["sam@acme.example"]))
        path = tmp_path / "All mail.mbox"
        mbox = mailbox.mbox(path)
        for data in (
            message(in_reply_to=SENT_ID, body=REPLY_TEXT),
            message(subject="Automatic reply: Data Engineer application", message_id="<ooo-1@acme.example>",
                    sender="Sam Lee <sam@acme.example>", headers={"Auto-Submitted": "auto-replied"},
                    body="I am away until Monday 30 November.\n"),
            delivery_report("sam@acme.example", "<coffee@example.org>"),
            message(sender="Weekly Digest <digest@news.example>", subject="This week in data",
                    message_id="<digest-1@news.example>",
                    headers={"List-Id": "<digest.news.example>"},
                    body="From the archives: ten years of streaming.\n"),  # mbox quotes it as >From
            message(message_id=None, subject="Re: your call", sender=f"Jane Doe <{JANE}>",
                    body="Alex, I tried to call you: when suits you?\n",
                    written=ARRIVED - timedelta(hours=2)),
            invitation(method="REQUEST", sequence=0, start="20261203T100000", end="20261203T104500",
                       message_id="<invite-0@northwind.example>", subject="Invitation: interview"),
        ):  # fmt: skip
            mbox.add(mailbox.mboxMessage(data))
        mbox.close()
        repo = app.context.repo

        first = app.mail_sync.import_files(app.mail_files, "mbox", path)

        assert [o.effect for o in first.outcomes] == [
            "logged", "auto-reply", "bounce", "ignored", "logged", "invitation"
        ]  # fmt: skip
        assert (first.read, first.skipped) == (6, [])
        synthetic = first.outcomes[4].message_id
        assert synthetic.endswith("@followup.invalid>")
        assert synthetic in {e.message_id for e in ledger(app, jane)}
        counts, suggestions = repo.counts(), app.reading.store.suggestions()
        assert (counts["interviews"], len(suggestions)) == (1, 2)
        touches = [(r.touch.key, r.touch.status) for r in app.planning.store.records()]

        second = app.mail_sync.import_files(app.mail_files, "mbox", path)

        # (the trace lists messages read before first, then the others)
        assert dict(effects(second)) == {
            o.message_id: "ignored" if o.effect == "ignored" else "known" for o in first.outcomes
        }
        assert (second.read, second.known, second.ignored, second.skipped) == (6, 5, 1, [])
        assert (second.logged, second.auto_replies, second.bounces) == (0, 0, 0)
        assert (second.invitations, second.suggestions) == (0, 0)
        assert (second.events, second.cancelled) == ([], [])
        assert repo.counts() == counts
        assert app.reading.store.suggestions() == suggestions
        assert [(r.touch.key, r.touch.status) for r in app.planning.store.records()] == touches
    finally:
        app.close()


# ---------------------------------------------------------------------------------------------------
# 10-11. Watching with IDLE, and dropped connections


@dataclasses.dataclass
class Watcher:
    """`MailSync.watch` in a thread of its own, with an App of its own (an SQLite connection belongs to
    the thread that opened it); reports and problems are kept with the moment they came."""

    box: UserMailbox
    rounds: int
    sleep: Callable[[float], object] = lambda _s: None
    reports: list[tuple[float, ReadReport]] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    errors: list[BaseException] = dataclasses.field(default_factory=list)
    on_first: Callable[[], object] = lambda: None
    changed: threading.Condition = dataclasses.field(default_factory=threading.Condition)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        app = self.box.app(keep=False)
        try:
            app.mail_sync.watch(app.mail_reader, on_report=self._report, on_problem=self._problem,
                                renew_s=60.0, sleep=self.sleep, rounds=self.rounds)  # fmt: skip
        except BaseException as exc:  # handed to the test, which fails on it
            self.errors.append(exc)
        finally:
            app.close()
            with self.changed:
                self.changed.notify_all()

    def _report(self, report: ReadReport) -> None:
        if not self.reports:
            self.on_first()
        with self.changed:
            self.reports.append((time.monotonic(), report))
            self.changed.notify_all()

    def _problem(self, text: str) -> None:
        with self.changed:
            self.problems.append(text)
            self.changed.notify_all()

    def wait_for(self, reports: int, timeout: float) -> float:
        """When the `reports`-th report came (monotonic); fails after `timeout` seconds."""
        with self.changed:
            arrived = self.changed.wait_for(lambda: len(self.reports) >= reports or self.errors, timeout)
        assert not self.errors, self.errors
        assert arrived, f"report {reports} did not come within {timeout} s ({self.problems})"
        return self.reports[reports - 1][0]


def test_idle_wakes_the_watch_within_seconds(box: UserMailbox) -> None:
    app = box.app()
    _, jane = applied_at_northwind(app)
    # the worst moment first: mail that arrives once INBOX was read, before IDLE begins
    watcher = Watcher(box, rounds=3, on_first=lambda: box.append("INBOX", message(in_reply_to=SENT_ID)))
    thread = watcher.start()

    first = watcher.wait_for(1, timeout=10)
    assert watcher.reports[0][1].read == 0
    second = watcher.wait_for(2, timeout=5)
    assert second - first < 5
    assert effects(watcher.reports[1][1]) == [("<reply-1@northwind.example>", "logged")]

    time.sleep(0.3)  # by now the watch waits in IDLE: the server's EXISTS must wake it
    box.append("INBOX", message(message_id="<reply-2@northwind.example>", subject="Re: call on Monday",
                                in_reply_to="<reply-1@northwind.example>"))  # fmt: skip
    appended = time.monotonic()
    third = watcher.wait_for(3, timeout=5)
    assert third - appended < 5
    assert effects(watcher.reports[2][1]) == [("<reply-2@northwind.example>", "logged")]
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert watcher.problems == []
    replies = [e.message_id for e in ledger(app, jane) if e.direction is Direction.IN]
    assert replies == ["<reply-1@northwind.example>", "<reply-2@northwind.example>"]


def test_a_sync_after_the_server_dropped_the_connection_reconnects(box: UserMailbox) -> None:
    app = box.app()
    applied_at_northwind(app)
    reader = box.reader(app)
    assert app.mail_sync.sync(reader).read == 0
    box.server.kick(box.server.user)  # as a server restart would
    box.append("INBOX", message(in_reply_to=SENT_ID))

    report = app.mail_sync.sync(reader)

    assert effects(report) == [("<reply-1@northwind.example>", "logged")]
    assert report.skipped == []
    assert app.mail_sync.sync(reader).read == 0


def test_a_watch_whose_connection_drops_reports_it_and_resumes(box: UserMailbox) -> None:
    app = box.app()
    _, jane = applied_at_northwind(app)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:  # no pause; mail arrives while the watch is disconnected
        pauses.append(seconds)
        box.append("INBOX", message(in_reply_to=SENT_ID))

    watcher = Watcher(box, rounds=2, sleep=sleep)
    thread = watcher.start()
    watcher.wait_for(1, timeout=10)
    time.sleep(0.2)  # in IDLE by now
    box.server.kick(box.server.user)

    watcher.wait_for(2, timeout=10)
    thread.join(timeout=10)
    assert not thread.is_alive()
    (problem,) = watcher.problems
    server = f"127.0.0.1:{box.server.port}"
    assert problem.startswith(f"The IMAP server {server} failed to watch the folder 'INBOX'")
    assert problem.endswith("trying again in 1 s")
    assert pauses == [1.0]
    assert effects(watcher.reports[1][1]) == [("<reply-1@northwind.example>", "logged")]
    assert [e.message_id for e in ledger(app, jane) if e.direction is Direction.IN] == [
        "<reply-1@northwind.example>"
    ]


def test_headers_asked_for_ahead_come_back_after_other_calls_and_a_sync_in_batches_reads_all(
    box: UserMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.domain.inbound import HEADER_FIELDS
    from followup.services import mailsync

    box.append("INBOX", *(message(subject=f"Note {n}", message_id=f"<n{n}@x.example>") for n in range(5)))
    app = box.app()
    reader = box.reader(app)
    reader.examine("INBOX")
    uids = reader.uids("INBOX", above=0, since=None)
    reader.headers_ahead("INBOX", uids[2:], HEADER_FIELDS)
    # a body asked for meanwhile: its answer comes after the headers', which are read off first
    body = reader.contents("INBOX", uids[:1], limit=10_000)
    assert b"Subject: Note 0" in body[uids[0]]
    ahead = reader.headers("INBOX", uids[2:], HEADER_FIELDS)
    assert [
        (uid, b"Subject: Note %d" % n in data) for (uid, data), n in zip(ahead, (2, 3, 4), strict=True)
    ] == [(uid, True) for uid in uids[2:]]
    # other UIDs than those asked for ahead: fetched then
    assert b"Note 1" in reader.headers("INBOX", uids[1:2], HEADER_FIELDS)[0][1]
    reader.headers_ahead("INBOX", uids[:2], HEADER_FIELDS)
    assert reader.uids("INBOX", above=0, since=None) == uids  # imapclient's own reading meets no stray answer
    assert [uid for uid, _ in reader.headers("INBOX", uids[:2], HEADER_FIELDS)] == uids[:2]
    reader.headers_ahead("INBOX", uids[:2], HEADER_FIELDS)
    reader.close()  # with an answer still unread: LOGOUT goes through

    monkeypatch.setattr(mailsync, "BATCH", 2)  # three batches, each asked for while the last is read
    report = app.mail_sync.sync(box.reader(app))
    assert report.read == 5
    assert sorted(o.message_id for o in report.outcomes) == [f"<n{n}@x.example>" for n in range(5)]
