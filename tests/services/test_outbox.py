"""Drafting, approving and sending through the services, against a real aiosmtpd (and Dovecot)."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.domain.model import Direction, InteractionKind, Person, Role
from followup.domain.outbox import OutboxMessage, OutboxState
from followup.domain.touches import TouchKind
from followup.errors import ConflictError, InvalidInputError
from followup.services.fields import OpportunityFields, PersonFields
from followup.storage.outbox import SqlOutboxStore
from tests.conftest import NOW
from tests.mail.conftest import DovecotServer, dovecot, imap_folders  # noqa: F401 - fixtures
from tests.mail.smtp_server import (  # noqa: F401 - fixtures, registered by being imported
    PASSWORD,
    USER,
    SmtpServer,
    TlsCerts,
    smtp_plain_fixture,
    smtp_starttls_fixture,
    tls_certs_fixture,
)
from tests.services.conftest import MakeApp, apps

INVITE = "<invite-1@northwind.example>"


@pytest.fixture
def make_app(db_url: str, smtp_plain: SmtpServer) -> Iterator[MakeApp]:
    """An application whose clock the test can move, sending to the plain loopback server."""
    yield from apps(db_url, smtp_host="127.0.0.1", smtp_port=smtp_plain.port, smtp_security="none",
                    mail_timeout=10.0)  # fmt: skip


def interviewed_at_northwind(app: App) -> int:
    """Jane Doe invited Alex by e-mail, then interviewed them yesterday; returns the thank-you's id."""
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    t.add_person(PersonFields(name="Jane Doe", emails=["jane@northwind.example"], timezone="America/Chicago",
                              country="US", title="Engineering Manager"))  # fmt: skip
    t.link("jane", "northwind", Role.HIRING_MANAGER)
    t.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="2026-11-20 10:00",
          direction=Direction.IN, subject="Interview invitation", message_id=INVITE)  # fmt: skip
    t.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="2026-11-20 11:00",
          direction=Direction.OUT, subject="Re: Interview invitation")  # fmt: skip
    t.log_interview("northwind", at="2026-11-25 13:00", duration="45m", interviewer_refs=["jane"],
                    notes="Discussed the Kafka migration to Flink; on-call rota")  # fmt: skip
    return thank_you(app)


def thank_you(app: App) -> int:
    app.planning.ensure_current()
    records = [r for r in app.planning.store.records(open_only=True) if r.touch.kind is TouchKind.THANK_YOU]
    assert len(records) == 1
    return records[0].id


def test_a_thank_you_is_drafted_approved_sent_once_and_logged(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app()
    touch = interviewed_at_northwind(app)

    view = app.drafting.draft(str(touch))
    assert view.draft is not None
    assert view.state == "new"
    assert view.draft.to_address == "jane@northwind.example"
    assert "Data Engineer" in view.draft.subject
    assert "the Kafka migration to Flink" in view.draft.body
    assert view.draft.in_reply_to == INVITE  # answers the invitation's thread
    assert not [f for f in view.findings if f.severity == "error"]

    approved = app.drafting.approve(str(touch))
    message = approved.message
    assert message is not None
    assert message.state is OutboxState.APPROVED
    assert message.message_id is not None
    assert message.message_id.endswith("@example.org>")
    assert message.date == NOW
    # Thanksgiving (Thu 26 Nov) is a US holiday: the next moment in Jane's window is Fri 09:00 Chicago
    assert message.send_after is not None
    assert message.send_after.isoformat() == "2026-11-27T15:00:00+00:00"

    report = app.outbox.send()
    assert (report.sent, report.waiting) == ([], 1)
    assert smtp_plain.messages == []

    report = app.outbox.send(ignore_send_time=True)
    assert [m.message_id for m in report.sent] == [message.message_id]
    received = smtp_plain.messages
    assert len(received) == 1
    assert received[0].recipients == ["jane@northwind.example"]
    parsed = email.message_from_bytes(received[0].content, policy=email.policy.default)
    assert parsed["Message-ID"] == message.message_id
    assert parsed["In-Reply-To"] == INVITE
    assert "Kafka migration" in parsed.get_body().get_content()  # type: ignore[union-attr]

    # the note is in the ledger, so the planner settles the thank-you; a second run sends nothing
    ledger = app.context.repo.ledger_of_person(app.planning.touch(str(touch)).touch.person_id or 0)
    assert [e.message_id for e in ledger if e.direction is Direction.OUT][-1] == message.message_id
    assert app.planning.touch(str(touch)).state == "done"
    assert app.outbox.send(ignore_send_time=True).sent == []
    assert len(smtp_plain.messages) == 1


def test_edits_are_kept_and_approval_refuses_errors_unless_forced(make_app: MakeApp) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))

    view = app.drafting.edit(touch, "Subject: Thanks, John\n\nHi John,\n\nThanks for today. [YOUR ANSWER]\n")
    assert view.state == "draft"
    assert view.draft is not None
    assert view.draft.subject == "Thanks, John"
    codes = {f.code for f in view.findings}
    assert {"wrong-name", "placeholder", "too-short"} <= codes
    with pytest.raises(InvalidInputError, match="problem") as refused:
        app.drafting.approve(touch)
    assert "--force" in (refused.value.hint or "")
    assert app.drafting.approve(touch, force=True).state == "approved"

    # an approved note that is edited goes back to draft and loses its Message-ID until approved again
    view = app.drafting.edit(touch, "Subject: Thank you\n\nHi Jane,\n\nThank you.\n")
    assert view.message is not None
    assert view.message.state is OutboxState.DRAFT
    assert view.message.message_id is None
    app.drafting.discard(touch)
    assert app.drafting.draft(touch).state == "new"


def test_a_temporary_failure_is_retried_with_back_off_and_then_failed(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app(send_retries=2)
    touch = str(interviewed_at_northwind(app))
    app.drafting.approve(touch)
    smtp_plain.fail_data("451 4.3.0 Try again later")

    report = app.outbox.send(ignore_send_time=True)
    assert [m.attempts for m in report.retrying] == [1]
    message = app.outbox.message(touch)
    assert message.state is OutboxState.APPROVED
    assert "451" in (message.last_error or "")
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    assert app.outbox.send(ignore_send_time=True).retrying == []  # the back-off is not over

    clock = app.context.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(minutes=2))
    report = app.outbox.send(ignore_send_time=True)
    assert [m.state for m in report.failed] == [OutboxState.FAILED]
    assert app.outbox.message(touch).attempts == 2
    assert smtp_plain.messages == []

    # the user fixes what was wrong and sends it again
    smtp_plain.handler.data_reply = None
    app.outbox.resend(touch)
    assert len(app.outbox.send(ignore_send_time=True).sent) == 1


def test_a_refused_recipient_fails_at_once_with_the_servers_reply(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    app.drafting.approve(touch)
    smtp_plain.reject("jane@northwind.example")

    report = app.outbox.send(ignore_send_time=True)
    assert len(report.failed) == 1
    assert (report.failed[0].last_error or "").startswith("550")
    assert app.planning.touch(touch).state == "pending"  # nothing was sent, the touch stays open


def stuck_in_sending(app: App, touch: str) -> OutboxMessage:
    """What a crash between DATA and the server's reply leaves behind."""
    app.drafting.approve(touch)
    store = SqlOutboxStore(app.db)
    message = store.of_touch(int(touch))
    assert message is not None
    return store.save(dataclasses.replace(message, state=OutboxState.SENDING, attempts=1))


def test_a_note_left_in_sending_without_imap_becomes_uncertain_and_is_never_resent_by_itself(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    stuck_in_sending(app, touch)

    report = app.outbox.send(ignore_send_time=True)
    assert [m.state for m in report.uncertain] == [OutboxState.UNCERTAIN]
    assert app.outbox.send(ignore_send_time=True).sent == []
    assert smtp_plain.messages == []
    assert [m.touch_id for m in app.outbox.messages([OutboxState.UNCERTAIN])] == [int(touch)]

    sent = app.outbox.mark_sent(touch)
    assert sent.state is OutboxState.SENT
    assert app.planning.touch(touch).state == "done"
    with pytest.raises(ConflictError):
        app.outbox.resend(touch)


def test_an_uncertain_note_resent_by_the_user_goes_out_once(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    message = stuck_in_sending(app, touch)
    app.outbox.send()
    app.outbox.resend(touch)

    report = app.outbox.send(ignore_send_time=True)
    assert [m.message_id for m in report.sent] == [message.message_id]
    assert [r.message_id for r in smtp_plain.messages] == [message.message_id]


def imap_settings(server: DovecotServer) -> dict[str, object]:
    return {"imap_host": server.host, "imap_port": server.port, "imap_security": "none",
            "imap_user": server.user}  # fmt: skip


def test_a_note_left_in_sending_is_found_in_the_sent_folder_and_counts_as_sent(
    make_app: MakeApp,
    smtp_plain: SmtpServer,
    imap_folders: DovecotServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followup.domain.message import as_bytes
    from followup.mail.imap import ImapMailbox
    from followup.ports import FolderRole

    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", imap_folders.password)
    app = make_app(**imap_settings(imap_folders))
    touch = str(interviewed_at_northwind(app))
    message = stuck_in_sending(app, touch)
    # the provider stored its copy in Sent before the crash
    box = ImapMailbox(imap_folders.host, imap_folders.port, "none", imap_folders.user, imap_folders.password)
    box.append(FolderRole.SENT, as_bytes(message), flags=["\\Seen"], when=NOW)
    box.close()

    report = app.outbox.send(ignore_send_time=True)
    assert [m.message_id for m in report.recovered] == [message.message_id]
    assert report.uncertain == []
    assert smtp_plain.messages == []
    assert app.outbox.message(touch).state is OutboxState.SENT
    assert app.planning.touch(touch).state == "done"


def test_a_note_left_in_sending_and_missing_from_the_sent_folder_is_uncertain(
    make_app: MakeApp, imap_folders: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", imap_folders.password)
    app = make_app(**imap_settings(imap_folders))
    touch = str(interviewed_at_northwind(app))
    stuck_in_sending(app, touch)

    assert len(app.outbox.send(ignore_send_time=True).uncertain) == 1


def test_approved_notes_go_to_the_drafts_folder_and_a_sent_copy_is_kept(
    make_app: MakeApp, smtp_plain: SmtpServer, imap_folders: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imapclient import IMAPClient

    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", imap_folders.password)
    app = make_app(save_sent_copy=True, **imap_settings(imap_folders))
    touch = str(interviewed_at_northwind(app))
    app.drafting.approve(touch)

    report = app.outbox.to_drafts_folder()
    assert [m.state for m in report.sent] == [OutboxState.DRAFTS_FOLDER]
    assert smtp_plain.messages == []
    client = IMAPClient(imap_folders.host, imap_folders.port, ssl=False)
    client.login(imap_folders.user, imap_folders.password)
    client.select_folder("Drafts", readonly=True)
    uids = client.search(["HEADER", "Message-ID", app.outbox.message(touch).message_id or ""])
    assert len(uids) == 1
    assert b"\\Draft" in client.get_flags(uids)[uids[0]]

    # a second note, sent over SMTP, is copied to Sent
    app.tracker.log_interview("northwind", at="2026-11-25 15:00", duration="30m", interviewer_refs=["jane"])
    app.planning.ensure_current()
    (second,) = [
        str(r.id)
        for r in app.planning.store.records(open_only=True)
        if r.touch.kind is TouchKind.THANK_YOU and str(r.id) != touch  # the first waits in Drafts
    ]
    app.drafting.approve(second)
    app.outbox.send(ignore_send_time=True)
    client.select_folder("Sent", readonly=True)
    assert len(client.search(["HEADER", "Message-ID", app.outbox.message(second).message_id or ""])) == 1
    client.logout()


def test_header_injection_through_a_persons_name_adds_no_header_and_no_recipient(
    make_app: MakeApp, smtp_plain: SmtpServer
) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    jane = app.context.repo.get_people([app.planning.touch(touch).touch.person_id or 0])[0]
    # bypass the input checks, as an import or an old database might
    app.context.repo.update_person(dataclasses.replace(jane, name="Eve\r\nBcc: all@example.com"))
    app.drafting.approve(touch, force=True)

    app.outbox.send(ignore_send_time=True)
    (received,) = smtp_plain.messages
    assert received.recipients == ["jane@northwind.example"]
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["jane@northwind.example"]
    assert b"\nBcc:" not in received.content


def test_a_voicemail_script_is_shown_but_cannot_be_approved(make_app: MakeApp) -> None:
    app = make_app()
    interviewed_at_northwind(app)
    app.tracker.add_person(PersonFields(name="Raj Patel", phone="+1 312 555 0100"))
    app.tracker.log_interview("northwind", at="2026-11-25 16:00", interviewer_refs=["raj"])
    app.planning.ensure_current()
    (voicemail,) = [r for r in app.planning.store.records(open_only=True) if r.touch.channel == "voicemail"]

    view = app.drafting.draft(str(voicemail.id))
    assert view.draft is not None
    assert "this is Alex Morgan" in view.draft.body
    with pytest.raises(ConflictError, match="voicemail"):
        app.drafting.approve(str(voicemail.id))


def test_only_one_sender_works_at_a_time(make_app: MakeApp) -> None:
    app = make_app()
    other = make_app()
    with SqlOutboxStore(other.db).sender_lock(), pytest.raises(ConflictError, match="Another"):
        app.outbox.send()


def test_starttls_login_through_the_settings_keeps_the_password_out_of_the_database(
    db_url: str,
    smtp_starttls: SmtpServer,
    tls_certs: TlsCerts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the server's CA, trusted the way a user trusts a private CA: SSL_CERT_FILE
    ca_file = tmp_path / "ca.pem"
    tls_certs.ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)
    settings = Settings(db=db_url, tz="America/Chicago", country="US", name="Alex Morgan",
                        from_="Alex Morgan <alex@example.org>", smtp_host="localhost",
                        smtp_port=smtp_starttls.port, smtp_security="starttls", smtp_user=USER)  # fmt: skip
    app = build(settings, clock=FixedClock(NOW))
    try:
        touch = str(interviewed_at_northwind(app))
        app.drafting.approve(touch)
        assert len(app.outbox.send(ignore_send_time=True).sent) == 1
        assert smtp_starttls.messages[0].authenticated_as == USER
        if db_url.startswith("sqlite"):
            dump = "\n".join(sqlite3.connect(app.location.target).iterdump())
            assert PASSWORD not in dump
            assert "alex@example.org" in dump
    finally:
        app.close()


def test_a_person_without_an_address_gets_a_clear_error_on_approval(make_app: MakeApp) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    repo = app.context.repo
    jane: Person = repo.get_people([app.planning.touch(touch).touch.person_id or 0])[0]
    repo.update_person(dataclasses.replace(jane, emails=()))

    with pytest.raises(InvalidInputError, match="no e-mail address for Jane Doe"):
        app.drafting.approve(touch)


def test_a_batch_replans_once_at_the_end_and_a_crash_in_between_loses_no_replanning(
    make_app: MakeApp,
) -> None:
    from followup.domain.model import Interaction

    app = make_app()
    touch = str(interviewed_at_northwind(app))
    jane = app.planning.touch(touch).touch.person_id or 0
    note = Interaction(kind=InteractionKind.EMAIL, occurred_at=NOW, direction=Direction.OUT,
                       opportunity_id=1, person_ids=(jane,), subject="Thank you")  # fmt: skip

    states = []
    try:
        with app.tracker.deferred():
            app.tracker.append(note)
            states.append(app.planning.store.record(int(touch)).touch.status)  # type: ignore[union-attr]
            raise RuntimeError("an error before the batch ends")
    except RuntimeError:
        pass
    assert states == ["pending"]  # not re-planned inside the batch
    assert app.planning.touch(touch).state == "done"  # the end of the batch re-planned it

    # a process that dies inside the batch never reaches its end: the next run plans what was noted
    app.tracker.add_person(PersonFields(name="Raj Patel", emails=["raj@northwind.example"]))
    app.tracker.log_interview("northwind", at="2026-11-25 15:00", duration="30m", interviewer_refs=["raj"])
    raj = app.tracker.ctx.person("raj").person.id or 0
    second = str(thank_you(app))
    app.tracker.on_flush = None
    with app.tracker.deferred():
        app.tracker.append(dataclasses.replace(note, person_ids=(raj,)))
    assert app.planning.store.record(int(second)).touch.status == "pending"  # type: ignore[union-attr]
    app.planning.ensure_current()
    assert app.planning.touch(second).state == "done"


def test_each_sent_note_is_recorded_while_the_next_notes_envelope_is_on_its_way(
    make_app: MakeApp, smtp_plain: SmtpServer, db_url: str
) -> None:
    from followup.storage.database import Database, DatabaseLocation

    app = make_app()
    first = str(interviewed_at_northwind(app))
    app.tracker.add_person(PersonFields(name="Raj Patel", emails=["raj@northwind.example"]))
    app.tracker.log_interview("northwind", at="2026-11-25 15:00", duration="30m", interviewer_refs=["raj"])
    app.planning.ensure_current()
    second = next(str(r.id) for r in app.planning.store.records(open_only=True)
                  if r.touch.kind is TouchKind.THANK_YOU and str(r.id) != first)  # fmt: skip
    app.drafting.approve(first)
    app.drafting.approve(second)

    def notes_before_are_recorded(number: int) -> bool:
        """At the n-th RCPT command: the n-1 notes before it are `sent`, each with its ledger entry."""
        db = Database(DatabaseLocation.parse(db_url))  # another connection, as another process would
        try:
            sent = db.scalar("SELECT count(*) FROM outbox WHERE state = 'sent'")
            logged = db.scalar("SELECT count(*) FROM interactions WHERE subject LIKE 'Thank you%'")
        finally:
            db.close()
        return bool(sent == logged == number - 1)

    smtp_plain.handler.rcpt_probe = notes_before_are_recorded
    report = app.outbox.send(ignore_send_time=True)

    assert len(report.sent) == 2
    # the first note was recorded while the server held its answer to the second note's envelope
    assert smtp_plain.handler.probed == [True, True]
    assert {app.outbox.message(t).state for t in (first, second)} == {OutboxState.SENT}


@pytest.fixture
def hangs_up_after_data() -> Iterator[int]:
    """A scripted SMTP server on a real socket: greets, accepts the envelope, hangs up on DATA."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"220 scripted ESMTP\r\n")
                for line in lines:
                    command = line.split(b" ", 1)[0].strip().upper()
                    if command == b"DATA":
                        return  # the connection drops before the go-ahead, and before any content
                    if command == b"EHLO":
                        conn.sendall(b"250-scripted\r\n250 8BITMIME\r\n")
                    else:
                        conn.sendall(b"250 ok\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    listener.close()
    thread.join(timeout=5)


def test_a_connection_lost_before_the_content_puts_the_note_back_to_wait_not_in_doubt(
    db_url: str, hangs_up_after_data: int
) -> None:
    made = apps(db_url, smtp_host="127.0.0.1", smtp_port=hangs_up_after_data, smtp_security="none",
                mail_timeout=5.0)  # fmt: skip
    app = next(made)()
    touch = str(interviewed_at_northwind(app))
    app.drafting.approve(touch)

    report = app.outbox.send(ignore_send_time=True)

    assert report.server_error is not None
    assert report.uncertain == []
    assert report.sent == []
    message = app.outbox.message(touch)
    # `sending` was committed once DATA went out; the content never did, so it is tried again later
    assert message.state is OutboxState.APPROVED
    assert message.attempts == 1
    assert "broke" in (message.last_error or "")
    assert message.next_attempt_at is not None
    next(made, None)  # closes the application


def test_each_wait_for_the_server_gets_one_piece_of_the_outboxs_work() -> None:
    from followup.services.outbox import _Records

    done: list[str] = []

    def record() -> Iterator[None]:
        done.append("state and ledger rows")
        yield
        done.append("stage, re-planning note, commit")

    records = _Records()
    records.add(record())
    records.spare(lambda: done.append("next note composed"))
    for wait in ("MAIL", "RCPT", "content", "next MAIL"):
        records.step()
        done.append(f"-- {wait} answered")

    assert done == [
        "state and ledger rows", "-- MAIL answered",
        "stage, re-planning note, commit", "-- RCPT answered",
        "next note composed", "-- content answered",
        "-- next MAIL answered",
    ]  # fmt: skip
