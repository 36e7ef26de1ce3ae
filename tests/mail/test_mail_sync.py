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
