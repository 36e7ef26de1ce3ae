"""What importers hand to the service: rows of other programs' files, read and checked, with their lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import compress
from typing import Any, NamedTuple, TypeVar, cast

T = TypeVar("T")


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


class ConnectionTable(NamedTuple):
    """The connections that read well, column by column, in the file's order: a network runs to tens
    of thousands, and an object a row would cost more than reading the file."""

    lines: list[int]
    names: list[str]
    urls: list[str | None]
    emails: list[str | None]
    companies: list[str | None]
    positions: list[str | None]
    connected_on: list[date | None]

    def row(self, index: int) -> Connection:
        return Connection._make(column[index] for column in self)

    def put(self, index: int, row: Connection) -> None:
        for column, value in zip(self, row, strict=True):
            cast(list[Any], column)[index] = value

    def keep(self, wanted: Sequence[bool]) -> ConnectionTable:
        """The rows marked True."""
        return ConnectionTable._make(list(compress(column, wanted)) for column in self)


class Connections(NamedTuple):
    sheet: Sheet
    table: ConnectionTable
    problems: list[RowProblem]  # the rows left out, each with its line, field and fix

    @property
    def rows(self) -> list[Connection | RowProblem]:
        """Every row of the file, read or left out, in the file's order."""
        found: list[Connection | RowProblem] = [*map(self.table.row, range(len(self.table.lines)))]
        return sorted([*found, *self.problems], key=lambda r: r.line)


class PeopleColumns(NamedTuple):
    """New people given column by column (an import creates thousands at once), each with one e-mail
    address at most."""

    names: Sequence[str]
    emails: Sequence[str | None]
    organisations: Sequence[str | None]
    titles: Sequence[str | None]
    linkedin_urls: Sequence[str | None]
    created_at: Sequence[datetime]
    in_network: bool = False
    cadence_days: int | None = None

    def keep(self, wanted: Sequence[bool]) -> PeopleColumns:
        """The people marked True."""

        def kept(column: Sequence[T]) -> list[T]:
            return list(compress(column, wanted))

        return PeopleColumns(
            kept(self.names),
            kept(self.emails),
            kept(self.organisations),
            kept(self.titles),
            kept(self.linkedin_urls),
            kept(self.created_at),
            self.in_network,
            self.cadence_days,
        )


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
