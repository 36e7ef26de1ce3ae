"""File roles: calendar files, note templates, and the files of other programs (importers/): spreadsheets,
LinkedIn exports, vCards, backups."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from followup.domain.agenda import TouchRecord
from followup.domain.imported import Backup, Card, Cards, Connections, Sheet
from followup.domain.model import (
    Interview,
)


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


class Templates(Protocol):
    """Note templates by name: the user's own folder first, then the shipped defaults."""

    def render(self, name: str, context: Mapping[str, Any]) -> tuple[str, str]:
        """(subject, body) of the template filled in; TemplateError when it cannot be."""
        ...

    def source(self, name: str) -> str:
        """Where the template comes from (a path), for messages."""
        ...


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
