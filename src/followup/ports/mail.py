"""Mail roles: sending (SMTP), the mailbox (IMAP), mail files, what reading keeps, and secrets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from followup.domain.inbound import FolderState
from followup.domain.suggestions import Suggestion, SuggestionStatus


class MailSession(Protocol):
    """One open connection to the outgoing mail server, for a batch of messages."""

    def send(
        self,
        message: bytes,
        *,
        sender: str,
        recipients: Sequence[str],
        before_content: Callable[[], None],
        meanwhile: Callable[[], None] | None = None,
    ) -> str:
        """Deliver one message; returns the server's reply to the content (e.g. "250 2.0.0 Ok").

        `meanwhile` is called after each command of the envelope (MAIL, each RCPT) and after the
        content went out, while the server's answer is on its way: a step of the caller's other work
        (recording the last message, preparing the next) costs no time of its own there.

        `before_content` is called once the server accepted the envelope and the DATA command went
        out (its go-ahead, 354, still on the way), before the content: the last moment before the
        server could accept the message. Raises DeliveryError (this message, DATA refused included)
        or MailServerError (the connection; `content_sent` says whether the content had gone out).
        """
        ...


class MailSender(Protocol):
    """The outgoing mail server (SMTP)."""

    def session(self) -> AbstractContextManager[MailSession]:
        """Connect, secure and log in once; the session sends a whole batch."""
        ...


class FolderRole(StrEnum):
    INBOX = "inbox"
    SENT = "sent"
    DRAFTS = "drafts"


class Mailbox(Protocol):
    """The user's mailbox (IMAP): the Sent and Drafts folders as the outbox needs them."""

    def contains(self, role: FolderRole, message_id: str) -> bool:
        """Whether a message with this Message-ID header is in the folder."""
        ...

    def append(self, role: FolderRole, message: bytes, *, flags: Sequence[str], when: datetime) -> None:
        """Store a message in the folder (IMAP APPEND) with flags such as "\\Seen" or "\\Draft"."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class FolderStatus:
    """What EXAMINE says about a folder: enough to tell, without a search, whether anything is new."""

    uidvalidity: int
    uidnext: int | None
    highest_modseq: int | None  # None when the server does not offer CONDSTORE
    messages: int


class MailReader(Protocol):
    """The user's mailbox, read-only (IMAP EXAMINE): folders, new UIDs, headers, then a few bodies."""

    @property
    def account(self) -> str:
        """Who reads where ("user@host:port"): the key of the stored sync state."""
        ...

    def folder(self, role: FolderRole) -> str: ...
    def examine(self, folder: str) -> FolderStatus: ...
    def uids(self, folder: str, *, above: int, since: date | None) -> list[int]:
        """UIDs greater than `above` (and received on or after `since`), ascending."""
        ...

    def headers(self, folder: str, uids: Sequence[int], fields: Sequence[str]) -> list[tuple[int, bytes]]:
        """The named header fields of these messages (one FETCH)."""
        ...

    def headers_ahead(self, folder: str, uids: Sequence[int], fields: Sequence[str]) -> None:
        """Ask for these headers now, while the caller works on the last ones: `headers` with the same
        arguments then gives them. Other calls in between still work. Doing nothing is allowed."""
        ...

    def contents(self, folder: str, uids: Sequence[int], *, limit: int) -> dict[int, bytes]:
        """The first `limit` bytes of each message, headers included (one FETCH)."""
        ...

    def wait(self, folder: str, timeout: float) -> bool:
        """Stay connected until the server announces a change (IMAP IDLE) or `timeout` seconds pass;
        True when something changed."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class MailFile:
    """One message read from a file: where it is (for messages) and its bytes."""

    where: str  # "Takeout.mbox, message 12 (line 3410)"
    data: bytes
    position: int  # bytes of the source read so far, for progress


class MailFiles(Protocol):
    """Messages from files: an mbox, a Maildir folder, single .eml files."""

    def size(self, kind: str, path: Path) -> int:
        """How many bytes reading will go through (for the progress bar); InvalidInputError when the
        path cannot be read as that kind."""
        ...

    def messages(self, kind: str, path: Path) -> Iterator[MailFile]: ...


class MailStore(Protocol):
    """What reading mail keeps besides the ledger: each folder's sync state, and the suggestions."""

    def transaction(self) -> AbstractContextManager[None]: ...
    def folder_state(self, account: str, folder: str) -> FolderState | None: ...
    def save_folder_state(self, account: str, folder: str, state: FolderState, *, now: datetime) -> None: ...
    def known_message_ids(self, message_ids: Sequence[str]) -> set[str]:
        """Which of these messages were read before (they are in the ledger or the suggestions)."""
        ...

    def add_suggestion(self, suggestion: Suggestion) -> int | None:
        """Store it; None when this message already gave a suggestion of this kind."""
        ...

    def suggestion(self, suggestion_id: int) -> Suggestion | None: ...
    def suggestions(self, statuses: Iterable[SuggestionStatus] = ...) -> list[Suggestion]: ...
    def update_suggestion(self, suggestion: Suggestion) -> None: ...


class SecretStore(Protocol):
    """Passwords: read from the environment or the OS keyring, never from the database."""

    def get(self, name: str) -> str | None:
        """The secret called `name` ("smtp" or "imap"), or None when none is stored."""
        ...

    def set(self, name: str, value: str) -> str:
        """Store a secret; returns where it went (for the confirmation message)."""
        ...
