"""What importers hand to the service: rows of other programs' files, read and checked, with their lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or card) of a file was left out: where it is, which field, and how to fix it."""

    line: int
    field: str | None  # the column or property, as the file names it
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message} Fix: {self.fix}"


class Sheet(NamedTuple):
    """A delimited text file (CSV, semicolon or tab separated) as rows of cells."""

    encoding: str  # how it was decoded, in words: "UTF-8", "Windows-1252", "UTF-16"
    delimiter: str
    header_line: int  # 1-based; lines above it (a title, LinkedIn's notes) are not data
    headers: tuple[str, ...]
    rows: list[tuple[int, list[str]]]  # (first line of the row, its cells); blank rows left out


class Connection(NamedTuple):
    """One row of LinkedIn's Connections.csv. A NamedTuple: an import makes tens of thousands."""

    line: int
    name: str
    url: str | None
    email: str | None
    company: str | None
    position: str | None
    connected_on: date | None


class Connections(NamedTuple):
    sheet: Sheet
    rows: list[Connection | RowProblem]


class Card(NamedTuple):
    """One contact of a vCard file (any version), reduced to what followup keeps."""

    line: int  # where its BEGIN:VCARD is
    name: str
    emails: tuple[str, ...] = ()
    phone: str | None = None
    organisation: str | None = None
    title: str | None = None
    linkedin_url: str | None = None
    notes: str = ""
    categories: tuple[str, ...] = ()


class Cards(NamedTuple):
    version: str  # the versions seen, e.g. "3.0" or "2.1, 3.0"
    rows: list[Card | RowProblem]


class Backup(NamedTuple):
    """A backup file as read: its format version, the schema it was written with, and every table's
    rows as plain JSON values (see storage/snapshot.py for the tables)."""

    version: int
    schema: str
    exported_at: str
    tables: dict[str, list[dict[str, Any]]]
