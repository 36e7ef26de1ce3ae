"""SmtpSender against a real aiosmtpd server (STARTTLS, implicit TLS, plain), and the secrets store."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from followup.errors import ConfigError, DeliveryError, MailServerError
from followup.mail.secrets import EnvKeyringSecrets
from followup.mail.smtp import SmtpSender, is_loopback
from tests.conftest import free_port
from tests.mail.smtp_server import (  # noqa: F401 - fixtures, registered by being imported
    PASSWORD,
    USER,
    SmtpServer,
    TlsCerts,
    smtp_plain_fixture,
    smtp_ssl_fixture,
    smtp_starttls_fixture,
    tls_certs_fixture,
)

ME = "alice@example.com"
RECRUITER = "jo.recruiter@example.org"


def message(
    number: int = 1, *, sender: str = ME, to: str = RECRUITER, body: str = "Hello Jo,\n", utf8: bool = False
) -> bytes:
    # The SMTPUTF8 policy writes headers in raw UTF-8; the SMTP policy encodes them (RFC 2047).
    mail = EmailMessage(policy=SMTPUTF8 if utf8 else SMTP)
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = f"Following up ({number})"
    mail["Message-ID"] = f"<followup-{number}@example.com>"
    mail.set_content(body)
    return mail.as_bytes()


def sender_for(server: SmtpServer, certs: TlsCerts | None, **kwargs: object) -> SmtpSender:
    security = {"starttls": "starttls", "ssl": "ssl", "plain": "none"}[server.mode]
    options: dict[str, object] = {"user": USER, "password": PASSWORD, "timeout": 5.0}
    options.update(kwargs)
    return SmtpSender(
        str(options.pop("host", "127.0.0.1")),
        server.port,
        security,
        ssl_context=certs.client_context if certs else None,
        **options,  # type: ignore[arg-type]
    )


def nothing() -> None:
    pass


def connect(sender: SmtpSender) -> None:
    """Open a session and close it again."""
    with sender.session():
        pass


def test_starttls_login_delivers_the_exact_message(smtp_starttls: SmtpServer, tls_certs: TlsCerts) -> None:
    raw = message()
    with sender_for(smtp_starttls, tls_certs).session() as session:
        reply = session.send(raw, sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert reply == "250 2.0.0 Ok: queued as TEST1"
    [got] = smtp_starttls.messages
    assert (got.sender, got.recipients) == (ME, [RECRUITER])
    assert got.message_id == "<followup-1@example.com>"
    assert got.content == raw
    assert got.authenticated_as == USER


def test_implicit_tls_login_delivers(smtp_ssl: SmtpServer, tls_certs: TlsCerts) -> None:
    # "localhost" checks the certificate by name, not by address.
    with sender_for(smtp_ssl, tls_certs, host="localhost").session() as session:
        session.send(message(), sender=ME, recipients=[RECRUITER, "cc@example.net"], before_content=nothing)

    [got] = smtp_ssl.messages
    assert got.recipients == [RECRUITER, "cc@example.net"]
    assert got.authenticated_as == USER


def test_plain_to_loopback_without_auth() -> None:
    server = SmtpServer("plain", auth=False).start()
    try:
        # A password is given but the server offers no AUTH: send without logging in.
        with sender_for(server, None).session() as session:
            session.send(message(), sender=ME, recipients=[RECRUITER], before_content=nothing)
        with SmtpSender("127.0.0.1", server.port, "none", None, None).session() as session:
            session.send(message(2), sender=ME, recipients=[RECRUITER], before_content=nothing)
    finally:
        server.stop()

    assert [m.message_id for m in server.messages] == ["<followup-1@example.com>", "<followup-2@example.com>"]
    assert [m.authenticated_as for m in server.messages] == [None, None]


def test_plain_logs_in_when_the_server_offers_auth(smtp_plain: SmtpServer) -> None:
    with sender_for(smtp_plain, None).session() as session:
        session.send(message(), sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert smtp_plain.messages[0].authenticated_as == USER


def test_a_batch_uses_one_connection_and_calls_before_content_just_before_the_content(
    smtp_starttls: SmtpServer, tls_certs: TlsCerts
) -> None:
    received_at_call: list[int] = []
    replies = []
    with sender_for(smtp_starttls, tls_certs).session() as session:
        for number in (1, 2, 3):
            replies.append(
                session.send(
                    message(number),
                    sender=ME,
                    recipients=[RECRUITER],
                    before_content=lambda: received_at_call.append(len(smtp_starttls.messages)),
                )
            )

    assert received_at_call == [0, 1, 2]
    assert [r.rsplit(" ", 1)[-1] for r in replies] == ["TEST1", "TEST2", "TEST3"]
    assert len(smtp_starttls.messages) == 3
    assert smtp_starttls.connections == 1


def test_content_is_dot_stuffed_and_line_ends_normalised(smtp_plain: SmtpServer) -> None:
    raw = b"Message-ID: <dots@example.com>\nSubject: dots\n\n.\n..two\nlast line"
    with sender_for(smtp_plain, None).session() as session:
        session.send(raw, sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert smtp_plain.messages[0].content == raw.replace(b"\n", b"\r\n") + b"\r\n"


def test_a_refused_recipient_is_a_permanent_delivery_error(
    smtp_starttls: SmtpServer, tls_certs: TlsCerts
) -> None:
    smtp_starttls.reject("nobody@example.org")
    calls: list[int] = []
    with sender_for(smtp_starttls, tls_certs).session() as session:
        with pytest.raises(DeliveryError) as refused:
            session.send(
                message(),
                sender=ME,
                recipients=[RECRUITER, "nobody@example.org"],
                before_content=lambda: calls.append(1),
            )
        # RSET cleared the transaction: the same connection sends the next message.
        session.send(message(2), sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert refused.value.permanent
    assert refused.value.reply.startswith("550 5.1.1 <nobody@example.org>: Recipient address rejected")
    assert "nobody@example.org" in str(refused.value)
    assert calls == []
    assert [m.recipients for m in smtp_starttls.messages] == [[RECRUITER]]
    assert smtp_starttls.connections == 1


def test_a_temporary_refusal_of_the_content_is_not_permanent(
    smtp_ssl: SmtpServer, tls_certs: TlsCerts
) -> None:
    smtp_ssl.fail_data("451 4.3.0 Temporary failure, try again later")
    with (
        sender_for(smtp_ssl, tls_certs).session() as session,
        pytest.raises(DeliveryError) as refused,
    ):
        session.send(message(), sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert not refused.value.permanent
    assert refused.value.reply == "451 4.3.0 Temporary failure, try again later"


def test_a_failing_before_content_sends_nothing(smtp_plain: SmtpServer) -> None:
    def refuse() -> None:
        raise RuntimeError("cannot record the attempt")

    with sender_for(smtp_plain, None).session() as session:
        with pytest.raises(RuntimeError):
            session.send(message(), sender=ME, recipients=[RECRUITER], before_content=refuse)
        # The connection is gone now, and says so.
        with pytest.raises(MailServerError, match="closed after an earlier failure"):
            session.send(message(2), sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert smtp_plain.messages == []


def test_a_wrong_password_is_a_server_error_without_the_password(
    smtp_starttls: SmtpServer, tls_certs: TlsCerts
) -> None:
    with pytest.raises(MailServerError) as failed:
        connect(sender_for(smtp_starttls, tls_certs, password="not-the-pass-42"))

    text = str(failed.value)
    assert "not-the-pass-42" not in text
    assert "not-the-pass-42" not in repr(failed.value.args)
    assert f"refused the login of {USER}" in text
    assert "535" in text
    assert "app password" in text
    assert "followup mail setup" in text


def test_starttls_is_required_when_asked(smtp_plain: SmtpServer) -> None:
    sender = SmtpSender("127.0.0.1", smtp_plain.port, "starttls", USER, PASSWORD, timeout=5.0)
    with pytest.raises(MailServerError, match="does not offer STARTTLS") as failed:
        connect(sender)

    assert "smtp_security" in str(failed.value)
    assert smtp_plain.messages == []


def test_an_untrusted_certificate_is_refused(smtp_ssl: SmtpServer) -> None:
    # The system's CAs do not know the test CA.
    sender = SmtpSender("localhost", smtp_ssl.port, "ssl", USER, PASSWORD, timeout=5.0)
    with pytest.raises(MailServerError, match="certificate cannot be verified"):
        connect(sender)


def test_clear_text_to_a_remote_host_is_refused_before_connecting() -> None:
    with pytest.raises(ConfigError, match="clear text") as refused:
        SmtpSender("smtp.example.com", 25, "none", USER, PASSWORD)

    assert "smtp_security" in str(refused.value)
    assert PASSWORD not in str(refused.value)


def test_a_closed_port_is_a_server_error() -> None:
    port = free_port()
    with pytest.raises(MailServerError, match=f"127.0.0.1:{port}: connection refused") as failed:
        connect(SmtpSender("127.0.0.1", port, "none", None, None, timeout=5.0))

    assert "smtp_port" in str(failed.value)


def test_a_silent_server_is_a_server_error() -> None:
    with socket.socket() as silent:  # the kernel completes the connection; no greeting ever comes
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(MailServerError, match=f"127.0.0.1:{port}"):
            connect(SmtpSender("127.0.0.1", port, "none", None, None, timeout=0.2))


def test_a_user_without_password_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="FOLLOWUP_SMTP_PASSWORD"):
        connect(SmtpSender("127.0.0.1", free_port(), "none", USER, None))


def test_utf8_addresses_and_display_names(smtp_starttls: SmtpServer, tls_certs: TlsCerts) -> None:
    me = "jörg@bücher.example"
    raw = message(sender=f"Jörg Müller <{me}>", to=f"Zoë Ångström <{RECRUITER}>", body="Grüße!\n", utf8=True)
    with sender_for(smtp_starttls, tls_certs).session() as session:
        session.send(raw, sender=me, recipients=[RECRUITER], before_content=nothing)

    [got] = smtp_starttls.messages
    assert got.sender == me
    assert {"SMTPUTF8", "BODY=8BITMIME"} <= set(got.mail_options)
    assert "Jörg Müller".encode() in got.content


def test_a_utf8_display_name_alone_needs_no_smtputf8(smtp_plain: SmtpServer) -> None:
    raw = message(sender=f"Zoë Ångström <{ME}>")
    with sender_for(smtp_plain, None).session() as session:
        session.send(raw, sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert smtp_plain.messages[0].mail_options == []


def test_utf8_addresses_need_a_server_with_smtputf8() -> None:
    server = SmtpServer("plain", auth=False, smtputf8=False).start()
    try:
        with SmtpSender("127.0.0.1", server.port, "none", None, None).session() as session:
            with pytest.raises(DeliveryError, match="SMTPUTF8") as refused:
                session.send(
                    message(), sender="jörg@bücher.example", recipients=[RECRUITER], before_content=nothing
                )
            session.send(message(2), sender=ME, recipients=[RECRUITER], before_content=nothing)
    finally:
        server.stop()

    assert refused.value.permanent
    assert [m.message_id for m in server.messages] == ["<followup-2@example.com>"]


@pytest.mark.parametrize(("security", "port"), [("ssl", 465), ("starttls", 587), ("none", 25)])
def test_port_zero_means_the_usual_port(security: str, port: int) -> None:
    assert SmtpSender("localhost", 0, security, None, None).port == port


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("10.0.0.1", False),
        ("smtp.example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# Secrets


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_the_environment_wins_over_the_keyring(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[("followup", f"smtp:{ME}")] = "from-keyring"
    secrets = EnvKeyringSecrets({"FOLLOWUP_SMTP_PASSWORD": "from-env"}, account=ME)

    assert secrets.get("smtp") == "from-env"
    assert secrets.get("imap") is None


def test_a_stored_password_is_read_back_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    secrets = EnvKeyringSecrets({}, account=ME)

    where = secrets.set("smtp", "app-pass-123")

    assert where.startswith("the system keyring (")
    assert memory_keyring.passwords == {("followup", f"smtp:{ME}"): "app-pass-123"}
    assert secrets.get("smtp") == "app-pass-123"
    assert EnvKeyringSecrets({}, account="someone@else.example").get("smtp") is None


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_set_names_the_environment_variable() -> None:
    secrets = EnvKeyringSecrets({}, account=ME)

    assert secrets.get("smtp") is None  # quietly
    with pytest.raises(ConfigError, match="No system keyring") as refused:
        secrets.set("smtp", "app-pass-123")
    assert "FOLLOWUP_SMTP_PASSWORD" in str(refused.value)
    with pytest.raises(ConfigError, match="FOLLOWUP_IMAP_PASSWORD"):
        secrets.set("imap", "app-pass-123")


def test_meanwhile_runs_while_the_server_answers_each_envelope_command(smtp_plain: SmtpServer) -> None:
    # The server holds its answer to MAIL until `meanwhile` opens the gate: a session that waited for
    # the answer before calling it would get "451" five seconds later instead of a delivery.
    gate = smtp_plain.handler.mail_gate = threading.Event()
    calls: list[str] = []

    def meanwhile() -> None:
        calls.append("meanwhile")
        gate.set()

    with sender_for(smtp_plain, None).session() as session:
        for number in (1, 2):
            session.send(
                message(number),
                sender=ME,
                recipients=[RECRUITER],
                before_content=lambda: calls.append("before content"),
                meanwhile=meanwhile,
            )

    # after MAIL and RCPT, then after the content
    assert calls == ["meanwhile", "meanwhile", "before content", "meanwhile"] * 2
    assert [m.message_id for m in smtp_plain.messages] == [
        "<followup-1@example.com>",
        "<followup-2@example.com>",
    ]


def test_a_failure_in_meanwhile_closes_the_connection_and_delivers_nothing(smtp_plain: SmtpServer) -> None:
    def meanwhile() -> None:
        raise RuntimeError("the database is gone")

    with sender_for(smtp_plain, None).session() as session:
        with pytest.raises(RuntimeError, match="database is gone"):
            session.send(
                message(), sender=ME, recipients=[RECRUITER], before_content=nothing, meanwhile=meanwhile
            )
        with pytest.raises(MailServerError, match="closed after an earlier failure"):
            session.send(message(2), sender=ME, recipients=[RECRUITER], before_content=nothing)

    assert smtp_plain.messages == []
