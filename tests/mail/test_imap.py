"""ImapMailbox against a real Dovecot: folder discovery, APPEND, search by Message-ID, failures."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import pytest
from imapclient import IMAPClient

from followup.errors import ConfigError, MailServerError
from followup.mail import imap
from followup.mail.imap import ImapMailbox, is_loopback
from followup.ports import FolderRole
from tests.conftest import free_port
from tests.mail.conftest import DovecotServer

WHEN = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
_users = itertools.count(1)

OpenMailbox = Callable[..., ImapMailbox]


def make_message(message_id: str, body: str = "Hello Bob,\n\njust checking in on the role.\n") -> bytes:
    message = EmailMessage()
    message["From"] = "Alice Example <alice@example.com>"
    message["To"] = "Bob Recruiter <bob@example.org>"
    message["Subject"] = "Following up on the platform engineer role"
    message["Date"] = "Thu, 26 Nov 2026 15:00:00 +0000"
    message["Message-ID"] = message_id
    message.set_content(body)
    return message.as_bytes(policy=SMTP)


def read_folder(server: DovecotServer, folder: str) -> list[dict[bytes, Any]]:
    """Every message of a folder as the server stores it, read over a connection of our own."""
    with IMAPClient(server.host, server.port, ssl=False, timeout=10) as client:
        client.normalise_times = False  # keep INTERNALDATE aware instead of local naive time
        client.login(server.user, server.password)
        client.select_folder(folder, readonly=True)
        uids = client.search(["ALL"])
        found = client.fetch(uids, [b"FLAGS", b"BODY.PEEK[]", b"INTERNALDATE"]) if uids else {}
        return [found[uid] for uid in sorted(found)]


def create_folders(server: DovecotServer, *names: str) -> None:
    with IMAPClient(server.host, server.port, ssl=False, timeout=10) as client:
        client.login(server.user, server.password)
        for name in names:
            client.create_folder(name)


@pytest.fixture
def open_mailbox() -> Iterator[OpenMailbox]:
    """Builds mailboxes for a server (plain IMAP on loopback) and closes them after the test."""
    opened: list[ImapMailbox] = []

    def open_(server: DovecotServer, **options: Any) -> ImapMailbox:
        options.setdefault("timeout", 10.0)
        mailbox = ImapMailbox(server.host, server.port, "none", server.user, server.password, **options)
        opened.append(mailbox)
        return mailbox

    yield open_
    for mailbox in opened:
        mailbox.close()


@pytest.fixture
def new_user(dovecot: DovecotServer) -> DovecotServer:
    """A user of her own, whose mailbox holds only INBOX."""
    n = next(_users)
    return dovecot.add_user(f"user{n}", f"pass-{n}")


def test_appended_message_is_found_in_sent(imap_folders: DovecotServer, open_mailbox: OpenMailbox) -> None:
    mailbox = open_mailbox(imap_folders)

    mailbox.append(FolderRole.SENT, make_message("<f1.2026@followup.example>"), flags=["\\Seen"], when=WHEN)

    assert mailbox.contains(FolderRole.SENT, "<f1.2026@followup.example>")
    assert not mailbox.contains(FolderRole.DRAFTS, "<f1.2026@followup.example>")
    [stored] = read_folder(imap_folders, "Sent")
    assert b"\\Seen" in stored[b"FLAGS"]
    assert stored[b"BODY[]"] == make_message("<f1.2026@followup.example>")


def test_unknown_message_id_is_not_found(imap_folders: DovecotServer, open_mailbox: OpenMailbox) -> None:
    mailbox = open_mailbox(imap_folders)
    mailbox.append(FolderRole.SENT, make_message("<re.known@followup.example>"), flags=[], when=WHEN)

    assert not mailbox.contains(FolderRole.SENT, "<unknown@followup.example>")
    # The server matches HEADER as a substring: the angle brackets keep "known" from matching "re.known".
    assert not mailbox.contains(FolderRole.SENT, "<known@followup.example>")
    assert mailbox.contains(FolderRole.SENT, "<re.known@followup.example>")


def test_draft_keeps_its_flag_content_and_time(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    mailbox = open_mailbox(imap_folders)
    draft = make_message("<draft-7@followup.example>", body="Hi Bob,\n\nany news? Grüße, Alice\n")

    mailbox.append(FolderRole.DRAFTS, draft, flags=["\\Draft"], when=WHEN)

    [stored] = read_folder(imap_folders, "Drafts")
    assert set(stored[b"FLAGS"]) - {b"\\Recent"} == {b"\\Draft"}
    assert stored[b"BODY[]"] == draft
    assert stored[b"INTERNALDATE"] == WHEN
    assert read_folder(imap_folders, "Sent") == []
    assert mailbox.contains(FolderRole.DRAFTS, "<draft-7@followup.example>")


def test_folders_are_found_by_special_use(bare_folders: DovecotServer, open_mailbox: OpenMailbox) -> None:
    # The test server marks these (unusual) names \Sent and \Drafts in its namespace settings.
    create_folders(bare_folders, "Gesendete Objekte", "Entwürfe")
    mailbox = open_mailbox(bare_folders)

    assert mailbox.folder(FolderRole.SENT) == "Gesendete Objekte"
    assert mailbox.folder(FolderRole.DRAFTS) == "Entwürfe"
    mailbox.append(FolderRole.DRAFTS, make_message("<utf7@followup.example>"), flags=["\\Draft"], when=WHEN)
    assert mailbox.contains(FolderRole.DRAFTS, "<utf7@followup.example>")
    assert len(read_folder(bare_folders, "Entwürfe")) == 1


def test_folder_is_found_by_usual_name_without_special_use(
    bare_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    create_folders(bare_folders, "Archive", "Sent Items")

    assert open_mailbox(bare_folders).folder(FolderRole.SENT) == "Sent Items"


def test_explicit_folder_name_wins(imap_folders: DovecotServer, open_mailbox: OpenMailbox) -> None:
    create_folders(imap_folders, "Outbox copies")
    mailbox = open_mailbox(imap_folders, sent_folder="Outbox copies")

    mailbox.append(FolderRole.SENT, make_message("<mine@followup.example>"), flags=[], when=WHEN)

    assert mailbox.folder(FolderRole.SENT) == "Outbox copies"
    assert mailbox.folder(FolderRole.DRAFTS) == "Drafts"
    assert len(read_folder(imap_folders, "Outbox copies")) == 1
    assert read_folder(imap_folders, "Sent") == []


def test_missing_explicit_folder_names_the_setting(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    mailbox = open_mailbox(imap_folders, drafts_folder="Entwürfe")

    with pytest.raises(ConfigError, match="'Entwürfe' does not exist") as caught:
        mailbox.append(FolderRole.DRAFTS, make_message("<x@followup.example>"), flags=[], when=WHEN)
    assert "imap_drafts_folder" in str(caught.value)
    assert "'Drafts'" in str(caught.value)  # the hint lists what the server has


def test_undiscoverable_folder_names_the_setting(new_user: DovecotServer, open_mailbox: OpenMailbox) -> None:
    # A user of her own (INBOX only), which also shows the fixture's add_user at work.
    mailbox = open_mailbox(new_user)

    with pytest.raises(ConfigError, match="Cannot find the sent folder") as caught:
        mailbox.contains(FolderRole.SENT, "<x@followup.example>")
    assert "imap_sent_folder" in str(caught.value)


def test_connection_is_reused_and_reopened_after_close(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    mailbox = open_mailbox(imap_folders)
    mailbox.append(FolderRole.SENT, make_message("<again@followup.example>"), flags=[], when=WHEN)
    mailbox.close()
    mailbox.close()  # closing twice is harmless

    assert mailbox.contains(FolderRole.SENT, "<again@followup.example>")


def test_a_search_on_a_connection_closed_by_the_server_reconnects(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    mailbox = open_mailbox(imap_folders)
    mailbox.append(FolderRole.SENT, make_message("<kicked@followup.example>"), flags=[], when=WHEN)
    imap_folders.kick("alice")

    assert mailbox.contains(FolderRole.SENT, "<kicked@followup.example>")


def test_an_append_on_a_connection_closed_by_the_server_fails_once_then_reconnects(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox
) -> None:
    # an APPEND is not repeated by itself: it might have been stored before the connection broke
    mailbox = open_mailbox(imap_folders)
    mailbox.append(FolderRole.SENT, make_message("<first@followup.example>"), flags=[], when=WHEN)
    imap_folders.kick("alice")
    message = make_message("<second@followup.example>")

    with pytest.raises(MailServerError, match="failed to store a message in the folder 'Sent'"):
        mailbox.append(FolderRole.SENT, message, flags=[], when=WHEN)
    mailbox.append(FolderRole.SENT, message, flags=[], when=WHEN)
    assert mailbox.contains(FolderRole.SENT, "<second@followup.example>")


def test_idle_connection_is_checked_before_reuse(
    imap_folders: DovecotServer, open_mailbox: OpenMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "STALE_AFTER_S", 0.0)  # every reuse counts as after a long pause
    mailbox = open_mailbox(imap_folders)
    mailbox.append(FolderRole.SENT, make_message("<idle@followup.example>"), flags=[], when=WHEN)
    imap_folders.kick("alice")

    assert mailbox.contains(FolderRole.SENT, "<idle@followup.example>")


def test_wrong_password_never_shows_the_password(
    dovecot: DovecotServer, open_mailbox: OpenMailbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # imapclient logs the whole conversation at DEBUG
    mailbox = ImapMailbox(dovecot.host, dovecot.port, "none", dovecot.user, "Tr0ub4dor&3", timeout=10)

    with pytest.raises(
        MailServerError, match=r"Cannot log in to the IMAP server .* as 'alice': \[AUTHENTICATIONFAILED\]"
    ) as caught:
        mailbox.contains(FolderRole.SENT, "<x@followup.example>")
    text = str(caught.value)
    assert f"{dovecot.host}:{dovecot.port}" in text
    assert "FOLLOWUP_IMAP_PASSWORD" in text
    assert "Tr0ub4dor&3" not in text
    assert "Tr0ub4dor&3" not in repr(caught.value.__cause__)
    assert "Tr0ub4dor&3" not in caplog.text


def test_clear_text_to_another_host_is_refused_before_connecting() -> None:
    # No DNS here: reaching for the network would fail differently (MailServerError), and later.
    with pytest.raises(ConfigError, match="clear text") as caught:
        ImapMailbox("imap.example.com", 143, "none", "alice", "s3cret")
    assert "imap_security" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_starttls_is_not_skipped_when_the_server_lacks_it(dovecot: DovecotServer) -> None:
    mailbox = ImapMailbox(dovecot.host, dovecot.port, "starttls", dovecot.user, dovecot.password, timeout=10)

    with pytest.raises(MailServerError, match="STARTTLS"):
        mailbox.contains(FolderRole.SENT, "<x@followup.example>")


def test_closed_port_is_a_mail_server_error() -> None:
    port = free_port()
    mailbox = ImapMailbox("127.0.0.1", port, "none", "alice", "s3cret", timeout=5)

    with pytest.raises(
        MailServerError, match=f"Cannot connect to the IMAP server 127.0.0.1:{port}"
    ) as caught:
        mailbox.append(FolderRole.SENT, make_message("<x@followup.example>"), flags=[], when=WHEN)
    assert "imap_port" in str(caught.value)


@pytest.mark.parametrize(
    ("security", "port"), [("ssl", 993), ("starttls", 143), ("none", 143)], ids=["ssl", "starttls", "none"]
)
def test_port_zero_means_the_default(security: str, port: int) -> None:
    assert ImapMailbox("localhost", 0, security, "alice", "s3cret").port == port


def test_unknown_security_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="imap_security"):
        ImapMailbox("localhost", 0, "tls", "alice", "s3cret")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("imap.example.com", False),
        ("localhost.example.com", False),
        ("10.0.0.1", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
