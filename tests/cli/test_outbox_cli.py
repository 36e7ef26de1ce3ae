"""Writing, approving and sending notes from the command line, to a real aiosmtpd server."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.mail.smtp_server import SmtpServer, smtp_plain_fixture  # noqa: F401 - fixture

NOTE = """Subject: Thank you for yesterday's conversation

Hi Jane,

Thank you for walking me through the Kafka migration yesterday. Hearing how the team plans to move
its streaming jobs to Flink made me even more keen on the Data Engineer role at Northwind Traders,
and I came away with a clear picture of the first months of the work and the people I would learn from.

If it would help, I am glad to send the notebook from the billing-pipeline project I mentioned.

Best regards,
Alex Morgan
"""


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch, smtp_plain: SmtpServer) -> SmtpServer:
    monkeypatch.setenv("FOLLOWUP_FROM", "Alex Morgan <alex@example.org>")
    monkeypatch.setenv("FOLLOWUP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FOLLOWUP_SMTP_PORT", str(smtp_plain.port))
    monkeypatch.setenv("FOLLOWUP_SMTP_SECURITY", "none")
    return smtp_plain


def interview_yesterday(run: Run) -> str:
    assert run("add", "opportunity", "Northwind Traders", "Data Engineer").code == 0
    assert run("add", "person", "Jane Doe", "--email", "jane@northwind.example", "--org", "Northwind Traders",
               "--tz", "America/Chicago", "--country", "US").code == 0  # fmt: skip
    assert run("log", "interview", "northwind", "--with", "jane", "--at", "yesterday 10:00",
               "--duration", "45m", "--notes", "Discussed the Kafka migration to Flink",
               ).code == 0  # fmt: skip
    agenda = json.loads(run("upcoming", "--json").out)
    touches = [t for section in ("overdue", "today", "upcoming") for t in agenda[section]]
    (thank_you,) = [t for t in touches if t["kind"] == "thank-you"]
    return str(thank_you["id"])


def test_draft_edit_approve_and_send_a_thank_you(run: Run, mail_env: SmtpServer, tmp_path: Path) -> None:
    touch = interview_yesterday(run)

    shown = run("draft", touch)
    assert shown.code == 0, shown.err
    assert "Subject: Thank you for yesterday's conversation about the Data Engineer role" in shown.out
    assert "Hi Jane," in shown.out
    assert "the Kafka migration to Flink" in shown.out

    (tmp_path / "note.txt").write_text(NOTE)
    edited = json.loads(run("draft", touch, "--file", str(tmp_path / "note.txt"), "--json").out)
    assert edited["state"] == "draft"
    assert edited["subject"] == "Thank you for yesterday's conversation"
    assert [f["code"] for f in edited["findings"] if f["severity"] == "error"] == []

    approved = run("approve", touch, "--json")
    assert approved.code == 0, approved.err
    assert json.loads(approved.out)["message_id"].endswith("@example.org>")
    outbox = json.loads(run("outbox", "--json").out)
    assert [(m["touch"], m["state"]) for m in outbox] == [(int(touch), "approved")]

    sent = run("send", "--now", "--json")
    assert sent.code == 0, sent.err
    assert [m["state"] for m in json.loads(sent.out)["sent"]] == ["sent"]
    (received,) = mail_env.messages
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert parsed["Subject"] == "Thank you for yesterday's conversation"
    assert "billing-pipeline" in parsed.get_body().get_content()  # type: ignore[union-attr]

    assert "sent" in run("outbox").out
    assert run("send", "--now").out.startswith("Nothing to send now.")
    assert len(mail_env.messages) == 1
    assert all(t["kind"] != "thank-you" for t in json.loads(run("today", "--json").out)["overdue"])


def test_approval_names_what_is_missing(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    touch = interview_yesterday(run)

    no_name = run("approve", touch)
    assert no_name.code == 2
    assert "me.name has no value" in no_name.err
    assert "FOLLOWUP_NAME" in no_name.err

    monkeypatch.setenv("FOLLOWUP_NAME", "Alex Morgan")
    no_sender = run("approve", touch)
    assert no_sender.code == 7
    assert "FOLLOWUP_FROM" in no_sender.err


def test_send_without_a_server_says_how_to_set_one_up(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_FROM", "Alex Morgan <alex@example.org>")
    touch = interview_yesterday(run)
    assert run("approve", touch).code == 0

    result = run("send", "--now")
    assert result.code == 7
    assert "No outgoing mail server is set up" in result.err
    assert "followup mail setup" in result.err
    assert json.loads(run("outbox", "--json").out)[0]["state"] == "approved"  # nothing lost


def test_a_refused_note_is_reported_with_the_servers_reply(run: Run, mail_env: SmtpServer) -> None:
    touch = interview_yesterday(run)
    run("approve", touch)
    mail_env.reject("jane@northwind.example")

    result = run("send", "--now")
    assert result.code == 9
    assert "550" in result.err
    assert "failed" in run("outbox", "--state", "failed").out


def test_mail_setup_without_a_keyring_writes_nothing_and_names_the_variable(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    import keyring.core
    from keyring.backends import fail

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())  # a machine without a keyring
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-app-password\n"))
    result = run("mail", "setup", "--from", "Alex Morgan <alex@example.org>",
                 "--smtp-host", "smtp.example.org", "--smtp-security", "ssl", "--password-stdin")  # fmt: skip
    assert result.code == 7
    assert "FOLLOWUP_SMTP_PASSWORD" in result.err
    assert "s3cret-app-password" not in result.out + result.err
    assert not (tmp_path / "config.toml").exists()


def test_mail_setup_writes_the_config_and_mail_test_sends_to_yourself(
    run: Run, tmp_path: Path, smtp_plain: SmtpServer
) -> None:
    result = run("mail", "setup", "--from", "Alex Morgan <alex@example.org>", "--smtp-host", "127.0.0.1",
                 "--smtp-port", str(smtp_plain.port), "--smtp-security", "none")  # fmt: skip
    assert result.code == 0, result.err
    config = (tmp_path / "config.toml").read_text()
    assert 'smtp_host = "127.0.0.1"' in config
    assert 'from = "Alex Morgan <alex@example.org>"' in config
    assert "password" not in config

    tested = run("mail", "test")
    assert tested.code == 0, tested.err
    (received,) = smtp_plain.messages
    assert received.recipients == ["alex@example.org"]
    assert b"Subject: followup test message" in received.content


def test_mail_setup_refuses_a_bad_value_before_writing(run: Run, tmp_path: Path) -> None:
    result = run("mail", "setup", "--smtp-host", "smtp.example.org", "--smtp-security", "tls")
    assert result.code == 2
    assert "ssl, starttls, none" in result.err
    assert not (tmp_path / "config.toml").exists()


def test_today_shows_an_uncertain_note_with_the_two_ways_out(
    run: Run, mail_env: SmtpServer, tmp_path: Path
) -> None:
    import dataclasses

    from followup.bootstrap import build
    from followup.config import Settings
    from followup.domain.outbox import OutboxState
    from followup.storage.outbox import SqlOutboxStore

    touch = interview_yesterday(run)
    assert run("approve", touch).code == 0
    app = build(Settings.load())  # what a crash between DATA and the reply leaves behind
    store = SqlOutboxStore(app.db)
    message = store.of_touch(int(touch))
    assert message is not None
    store.save(dataclasses.replace(message, state=OutboxState.SENDING))
    app.close()

    sent = run("send", "--now")
    assert "Uncertain" in sent.err
    assert mail_env.messages == []
    today = run("today")
    assert "Notes that need you (1)" in today.out
    assert f"followup mark-sent {touch}" in today.out
    assert json.loads(run("today", "--json").out)["notes"][0]["state"] == "uncertain"
    assert run("mark-sent", touch).code == 0
    assert "Notes that need you" not in run("today").out
