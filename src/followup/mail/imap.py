"""The user's mailbox over IMAP: find and store messages in the Sent and Drafts folders."""

from __future__ import annotations

import imaplib
import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from followup.errors import ConfigError, MailServerError
from followup.mail import is_loopback
from followup.ports import FolderRole

if TYPE_CHECKING:
    import ssl
    from datetime import datetime

    from imapclient import IMAPClient

log = logging.getLogger(__name__)

SECURITY_MODES = ("ssl", "starttls", "none")
SPECIAL_USE = {FolderRole.SENT: b"\\sent", FolderRole.DRAFTS: b"\\drafts"}
USUAL_NAMES = {
    FolderRole.SENT: ("Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail", "INBOX.Sent"),
    FolderRole.DRAFTS: ("Drafts", "[Gmail]/Drafts", "INBOX.Drafts"),
}
FOLDER_SETTING = {FolderRole.SENT: "imap_sent_folder", FolderRole.DRAFTS: "imap_drafts_folder"}
CONNECTION_HINT = (
    "Check imap_host, imap_port and imap_security, or the password in the keyring / FOLLOWUP_IMAP_PASSWORD."
)
# Every failure imapclient raises (LoginError, IMAPClientError, its abort) derives from imaplib's error;
# socket timeouts and ssl errors are OSErrors. Catching these needs no import of imapclient.
IMAP_FAILURES = (OSError, imaplib.IMAP4.error)
# A connection left unused this long may have been dropped by the server: check it with a NOOP first.
STALE_AFTER_S = 60.0


class ImapMailbox:
    """The Mailbox port over one IMAP connection, opened on first use and reused until `close()`."""

    def __init__(
        self,
        host: str,
        port: int,
        security: str,
        user: str,
        password: str,
        *,
        sent_folder: str = "",
        drafts_folder: str = "",
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SECURITY_MODES:
            raise ConfigError(
                f"Unknown IMAP security {security!r}.", hint="Set imap_security to ssl, starttls or none."
            )
        if security == "none" and not is_loopback(host):
            raise ConfigError(
                f"Refusing to log in to {host} without encryption: the password would travel in clear text.",
                hint='Set imap_security to ssl or starttls ("none" is only allowed for localhost).',
            )
        self.host = host
        self.port = port or (993 if security == "ssl" else 143)
        self.security = security
        self.user = user
        self._password = password
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._explicit = {FolderRole.SENT: sent_folder, FolderRole.DRAFTS: drafts_folder}
        self._folders: dict[FolderRole, str] = {}
        self._client: IMAPClient | None = None
        self._last_used = 0.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def contains(self, role: FolderRole, message_id: str) -> bool:
        folder = self.folder(role)
        # A search changes nothing, so a connection the server dropped meanwhile is retried once.
        for attempt in (1, 2):
            try:
                with self._talking(f"search the folder {folder!r}") as client:
                    client.select_folder(folder, readonly=True)
                    # Dovecot matches HEADER as a substring; the angle brackets keep that an exact match.
                    uids = client.search(["HEADER", "Message-ID", message_id])
                return len(uids) > 0
            except MailServerError:
                if attempt == 2:
                    raise
        return False

    def append(self, role: FolderRole, message: bytes, *, flags: Sequence[str], when: datetime) -> None:
        folder = self.folder(role)
        with self._talking(f"store a message in the folder {folder!r}") as client:
            client.append(folder, message, flags=list(flags), msg_time=when)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except IMAP_FAILURES:
            log.debug("IMAP logout from %s failed; the connection is dropped anyway", self.where)

    def folder(self, role: FolderRole) -> str:
        """The folder's name on the server: the setting, else its SPECIAL-USE flag, else a usual name."""
        if role is FolderRole.INBOX:
            return "INBOX"  # the one name every server has (RFC 3501 §5.1)
        if role in self._folders:
            return self._folders[role]
        with self._talking("list the folders") as client:
            listing = client.list_folders()
        names = [str(name) for _flags, _delimiter, name in listing]
        setting = FOLDER_SETTING[role]
        known = ", ".join(repr(name) for name in names[:12]) + (" …" if len(names) > 12 else "")
        found: str | None
        if explicit := self._explicit[role]:
            if explicit not in names:
                raise ConfigError(
                    f"The IMAP folder {explicit!r} does not exist on {self.where}.",
                    hint=f"Set {setting} to one of the server's folders: {known}.",
                )
            found = explicit
        else:
            marked = (name for flags, _delimiter, name in listing if _has_flag(flags, SPECIAL_USE[role]))
            usual = (name for name in USUAL_NAMES[role] if name in names)
            found = next(marked, None) or next(usual, None)
            if found is None:
                raise ConfigError(
                    f"Cannot find the {role} folder on {self.where}: no folder is marked as such"
                    " and none has a usual name.",
                    hint=f"Set {setting} to the folder's name; the server has {known}.",
                )
        self._folders[role] = str(found)
        log.debug("IMAP %s folder on %s: %r", role, self.where, found)
        return self._folders[role]

    @contextmanager
    def _talking(self, action: str) -> Iterator[IMAPClient]:
        """The logged-in client; a failure drops the connection (the next call reconnects)."""
        client = self._connected()
        try:
            yield client
            self._last_used = time.monotonic()
        except IMAP_FAILURES as exc:
            self._client = None
            _shutdown(client)
            raise self._failure(f"The IMAP server {self.where} failed to {action}", exc) from exc

    def _connected(self) -> IMAPClient:
        if self._client is not None and self._still_open(self._client):
            return self._client
        from imapclient import IMAPClient

        client: IMAPClient | None = None
        step = f"Cannot connect to the IMAP server {self.where} ({self.security})"
        try:
            client = IMAPClient(
                self.host,
                self.port,
                ssl=self.security == "ssl",
                ssl_context=self._ssl_context,
                timeout=self._timeout,
            )
            if self.security == "starttls":
                step = f"Cannot secure the connection to {self.where} with STARTTLS"
                client.starttls(self._ssl_context)
            step = f"Cannot log in to the IMAP server {self.where} as {self.user!r}"
            client.login(self.user, self._password)
        except IMAP_FAILURES as exc:
            if client is not None:
                _shutdown(client)
            raise self._failure(step, exc) from exc
        log.debug("Logged in to IMAP %s as %s", self.where, self.user)
        self._client, self._last_used = client, time.monotonic()
        return client

    def _still_open(self, client: IMAPClient) -> bool:
        """Whether a reused connection still works; servers drop idle ones (Dovecot after 30 min)."""
        if time.monotonic() - self._last_used < STALE_AFTER_S:
            return True
        try:
            client.noop()
        except IMAP_FAILURES:
            log.debug("The IMAP connection to %s was closed; reconnecting", self.where)
            _shutdown(client)
            self._client = None
            return False
        return True

    def _failure(self, what: str, exc: BaseException) -> MailServerError:
        """The error to raise; the server's words are kept, the password blanked should one echo it."""
        reason = re.sub(r"\bb'(.*?)'", r"\1", str(exc)) or type(exc).__name__
        if self._password:
            reason = reason.replace(self._password, "********")
        return MailServerError(f"{what}: {reason}", hint=CONNECTION_HINT)


def _has_flag(flags: Sequence[bytes | str], wanted: bytes) -> bool:
    return any((flag.encode() if isinstance(flag, str) else flag).lower() == wanted for flag in flags)


def _shutdown(client: IMAPClient) -> None:
    with suppress(*IMAP_FAILURES):
        client.shutdown()
