"""Storage roles: the records, the planned touches, the outbox, the whole database as data (for
backups), and the clock."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from followup.domain.agenda import TouchRecord
from followup.domain.imported import PeopleColumns
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

    def add_people_columns(self, people: PeopleColumns) -> list[int]:
        """Many people without addresses, column by column (an import's bulk); their ids in order."""
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

    def restore(
        self, tables: Mapping[str, Sequence[Any]], source: str, *, dry_run: bool = False
    ) -> dict[str, int]:
        """Write every row as given, ids included, in one transaction. For a dry run (rolled back by
        the caller) nothing that a rollback cannot undo is touched (PostgreSQL's sequences)."""
        ...
