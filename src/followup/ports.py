"""The roles the services depend on; adapters in storage/ (and later mail/, calendar/) fill them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from followup.domain.agenda import TouchRecord
from followup.domain.imported import Backup, Card, Cards, Connections, Sheet
from followup.domain.inbound import FolderState
from followup.domain.model import (
    Interaction,
    Interview,
    Link,
    Opportunity,
    OpportunitySummary,
    Person,
    PersonSummary,
    Role,
    Stage,
)
from followup.domain.outbox import OutboxMessage, OutboxState
from followup.domain.suggestions import Suggestion, SuggestionStatus
from followup.domain.touches import Decision, StaleNote, Touch


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...


class TouchStore(Protocol):
    """Planned touches (keyed by the planner's identity), the user's decisions, planning metadata."""

    def transaction(self) -> AbstractContextManager[None]: ...
    def records(
        self,
        *,
        person_ids: Iterable[int] | None = None,
        opportunity_ids: Iterable[int] | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[TouchRecord]: ...
    def open_records(self, *, due_before: datetime) -> Iterator[TouchRecord]:
        """Open touches in the order they come due, read in batches."""
        ...

    def record(self, touch_id: int) -> TouchRecord | None: ...
    def save_plan(
        self, touches: Sequence[Touch], *, stale_scope: Sequence[TouchRecord], now: datetime
    ) -> int: ...
    def decide(
        self, touch_id: int, decision: Decision | None, *, at: datetime, until: datetime | None
    ) -> None: ...
    def note_stale(
        self, opportunity_ids: Iterable[int], person_ids: Iterable[int], *, everything: bool
    ) -> None:
        """Note conversations to re-plan, in the caller's transaction; noting one twice is harmless."""
        ...

    def stale(self) -> StaleNote | None: ...
    def clear_stale(self) -> None: ...
    def meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


class Repository(Protocol):
    """Everything followup stores. Times go in aware and come back aware, in UTC."""

    def transaction(self) -> AbstractContextManager[None]:
        """A unit of work: everything inside commits together or not at all (nestable)."""
        ...

    def write_run(self) -> AbstractContextManager[None]:
        """Many transactions in a row, each committed on its own: the storage may put off its
        housekeeping (SQLite's checkpoints) to the end of the run."""
        ...

    def close(self) -> None: ...

    def revision(self) -> tuple[int, int]:
        """A value that changes whenever stored data may have changed (for caches of pages)."""
        ...

    # Opportunities
    def add_opportunity(self, opportunity: Opportunity) -> int: ...
    def update_opportunity(self, opportunity: Opportunity) -> None: ...
    def delete_opportunity(self, opportunity_id: int) -> None: ...
    def set_stage(self, opportunity_id: int, stage: Stage) -> None:
        """Store the stage derived from the ledger (a projection, rewritten on every ledger write)."""
        ...

    def stage_of(self, opportunity_id: int) -> Stage | None:
        """The stored stage (the projection), without the rest of the summary."""
        ...

    def get_opportunity(self, opportunity_id: int, *, now: datetime) -> OpportunitySummary | None: ...
    def find_opportunities(self, text: str, *, now: datetime) -> list[OpportunitySummary]:
        """Opportunities whose company or title contains `text` (case-insensitive)."""
        ...

    def list_opportunities(
        self,
        *,
        now: datetime,
        stages: Sequence[Stage] = (),
        organisation: str | None = None,
        role: Role | None = None,
        search: str | None = None,
    ) -> list[OpportunitySummary]: ...

    # People
    def add_person(self, person: Person) -> int: ...
    def add_people(self, people: Sequence[Person]) -> list[int]:
        """Many people at once (an import); their new ids in the same order."""
        ...

    def all_people(self) -> list[Person]: ...
    def update_person(self, person: Person) -> None: ...
    def delete_person(self, person_id: int) -> None: ...
    def get_person(self, person_id: int, *, now: datetime) -> PersonSummary | None: ...
    def get_people(self, person_ids: Sequence[int]) -> list[Person]: ...
    def person_with_email(self, address: str) -> Person | None: ...
    def find_people(self, text: str, *, now: datetime) -> list[PersonSummary]:
        """People whose name, organisation or an address contains `text` (case-insensitive)."""
        ...

    def list_people(
        self,
        *,
        now: datetime,
        organisation: str | None = None,
        role: Role | None = None,
        search: str | None = None,
    ) -> list[PersonSummary]: ...

    # Roles
    def add_link(self, link: Link) -> bool:
        """Returns False when the link already existed."""
        ...

    def remove_link(self, link: Link) -> bool: ...
    def links_of_opportunity(self, opportunity_id: int) -> list[Link]: ...
    def links_of_person(self, person_id: int) -> list[Link]: ...

    # The ledger (append-only) and interviews
    def append(self, entry: Interaction) -> int: ...
    def ledger_of_opportunity(self, opportunity_id: int) -> list[Interaction]: ...
    def ledger_of_person(self, person_id: int) -> list[Interaction]: ...
    def add_interview(self, interview: Interview) -> int: ...
    def update_interview(self, interview: Interview) -> None: ...
    def interview_with_uid(self, uid: str) -> Interview | None: ...
    def entries_with_message_ids(self, message_ids: Sequence[str]) -> list[Interaction]:
        """The ledger's entries with one of these Message-IDs (the thread a reply answers)."""
        ...

    def interviews_of_opportunity(self, opportunity_id: int) -> list[Interview]: ...
    def interviews_of_person(self, person_id: int) -> list[Interview]: ...
    def all_interviews(self) -> list[Interview]:
        """Every interview of the database, held, upcoming or cancelled, by start time."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per kind of record, for `init`, `demo` and the delete confirmation."""
        ...

    def labels(
        self, *, person_ids: Iterable[int], opportunity_ids: Iterable[int]
    ) -> tuple[dict[int, str], dict[int, str]]: ...
    def planning_data(
        self, *, opportunity_ids: Iterable[int] | None = None, person_ids: Iterable[int] | None = None
    ) -> tuple[
        dict[int, Person],
        dict[int, tuple[Opportunity, Stage]],
        list[Link],
        list[Interaction],
        list[Interview],
    ]:
        """What the planner reads: all of it, or the conversations around some opportunities and people."""
        ...

    def backup(self, target: Path) -> None:
        """A consistent copy of the whole database, taken while it may be in use."""
        ...


@dataclass(frozen=True)
class CalendarTodo:
    """A stored touch as a calendar to-do: the record and the words the service chose for it."""

    record: TouchRecord
    summary: str
    description: str


@dataclass(frozen=True)
class CalendarEvent:
    """An interview as a calendar event, with its words."""

    interview: Interview
    summary: str
    description: str


class CalendarWriter(Protocol):
    """Renders to-dos and events as one calendar file (iCalendar text)."""

    def render(
        self, todos: Sequence[CalendarTodo], events: Sequence[CalendarEvent], *, now: datetime
    ) -> str: ...


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


class OutboxStore(Protocol):
    """The outbox's messages. `save` commits at once (outside a transaction): a state written before
    the mail server is told anything must be on disk before that."""

    def transaction(self) -> AbstractContextManager[None]: ...
    def save(self, message: OutboxMessage) -> OutboxMessage: ...
    def save_delivery(self, message: OutboxMessage) -> None:
        """A stored message's delivery fields only (state, attempts, errors and their times)."""
        ...

    def delete(self, message_id: int) -> None: ...
    def get(self, message_id: int) -> OutboxMessage | None: ...
    def of_touch(self, touch_id: int) -> OutboxMessage | None: ...
    def of_touches(self, touch_ids: Iterable[int]) -> dict[int, OutboxMessage]: ...
    def in_states(self, states: Iterable[OutboxState]) -> list[OutboxMessage]: ...
    def ready(self, now: datetime, *, ignore_send_time: bool = False) -> list[OutboxMessage]: ...
    def count_ready(self, now: datetime) -> int:
        """How many are ready when their send time is not waited for (past their back-off)."""
        ...

    def sender_lock(self) -> AbstractContextManager[None]:
        """Held by the one sender working on this database; ConflictError when another holds it."""
        ...


class Templates(Protocol):
    """Note templates by name: the user's own folder first, then the shipped defaults."""

    def render(self, name: str, context: Mapping[str, Any]) -> tuple[str, str]:
        """(subject, body) of the template filled in; TemplateError when it cannot be."""
        ...

    def source(self, name: str) -> str:
        """Where the template comes from (a path), for messages."""
        ...


# Files of other programs (importers/) and the whole database as data (storage/snapshot.py) ----------


class SheetFiles(Protocol):
    """Delimited text (CSV, semicolons, tabs) in any of the encodings spreadsheets write, and CSV out."""

    def read(
        self,
        data: bytes,
        source: str,
        *,
        header_score: Callable[[Sequence[str]], int],
        encoding: str | None = None,
    ) -> Sheet:
        """The rows below the header row: the row among the first ones `header_score` likes best.
        InvalidInputError when the file cannot be read as text at all."""
        ...

    def write(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes: ...


class LinkedInExport(Protocol):
    """LinkedIn's Connections.csv."""

    def connections(self, data: bytes, source: str, *, encoding: str | None = None) -> Connections: ...


class CardFiles(Protocol):
    """vCard files: any version in, 3.0 or 4.0 out."""

    def read(self, data: bytes, source: str) -> Cards: ...
    def write(self, cards: Sequence[Card], *, version: str) -> bytes: ...


class BackupFormat(Protocol):
    """The backup file: a header and every table's rows."""

    def encode(
        self, tables: Mapping[str, list[dict[str, Any]]], *, schema: str, exported_at: datetime
    ) -> bytes: ...
    def decode(self, data: bytes, source: str) -> Backup: ...


class Snapshots(Protocol):
    """Every table as plain values and back, ids included: the backup's exact copy. Never a secret."""

    @property
    def schema(self) -> str: ...
    def counts(self) -> dict[str, int]:
        """Rows per table of data (planning metadata aside)."""
        ...

    def is_empty(self) -> bool: ...
    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row, times as ISO-8601 UTC text: ready for JSON."""
        ...

    def check(self, tables: Mapping[str, Sequence[Any]], source: str) -> dict[str, list[dict[str, Any]]]:
        """Rows as `dump` writes them, read back as Python values; InvalidInputError names a bad one."""
        ...

    def restore(self, tables: Mapping[str, Sequence[Any]], source: str) -> dict[str, int]:
        """Write every row as given, ids included, in one transaction."""
        ...
