"""LinkedIn's Connections.csv ("Get a copy of your data" > Connections) as connections.

The file opens with a few "Notes:" lines about missing e-mail addresses, then the header row
`First Name,Last Name,URL,Email Address,Company,Position,Connected On`; dates read `12 Mar 2024`; most
e-mail cells are empty (members choose whether their connections see the address). The header row is
found, not counted, since LinkedIn has changed the preamble over the years.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import itemgetter

from followup.domain.cells import read_date
from followup.domain.columns import header_key
from followup.domain.imported import Connection, Connections, RowProblem
from followup.domain.validation import check_email, check_url, clean_line
from followup.errors import InvalidInputError
from followup.importers.delimited import read_sheet

HEADERS = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
_KEYS = {header_key(h): h for h in HEADERS}
_NEEDED = ("First Name", "Last Name")
EXPORT_HINT = (
    "Download it again from LinkedIn (Settings > Data privacy > Get a copy of your data > Connections); "
    "for another kind of file use `followup import csv` (with --map when its headers differ)."
)


def _score(cells: Sequence[str]) -> int:
    return sum(1 for c in cells if header_key(c) in _KEYS)


class LinkedInConnections:
    """Reads the file; each row becomes a Connection or a RowProblem that says what to fix."""

    def connections(self, data: bytes, source: str, *, encoding: str | None = None) -> Connections:
        sheet = read_sheet(data, source, header_score=_score, encoding=encoding, delimiter=None)
        where = {_KEYS[k]: i for i, h in enumerate(sheet.headers) if (k := header_key(h)) in _KEYS}
        missing = [h for h in _NEEDED if h not in where]
        if missing:
            raise InvalidInputError(
                f"{source} is not LinkedIn's Connections.csv: no header row with "
                + ", ".join(repr(h) for h in missing)
                + f" (the best candidate, on line {sheet.header_line}, was "
                + ", ".join(repr(h) for h in sheet.headers[:8])
                + ").",
                hint=EXPORT_HINT,
            )
        reader = _RowReader([where.get(h) for h in HEADERS])
        return Connections(sheet, [reader.read(line, cells) for line, cells in sheet.rows])


class _RowReader:
    """One row at a time, as cheaply as it can be: a LinkedIn network runs to tens of thousands."""

    def __init__(self, positions: list[int | None]) -> None:
        # a column the file lacks reads as the empty cell appended to every row
        self.cells = itemgetter(*(p if p is not None else -1 for p in positions))
        self.width = max((p for p in positions if p is not None), default=0) + 1
        self.dates: dict[str, date | tuple[str, str | None]] = {}  # a network has few distinct days

    def read(self, line: int, cells: list[str]) -> Connection | RowProblem:
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        cells.append("")
        first, last, url, email, company, position, connected = self.cells(cells)
        field = "First Name"
        try:
            name = _line(f"{first.strip()} {last.strip()}", "name")
            if not name:
                return RowProblem(
                    line,
                    "First Name",
                    "the connection has no name (LinkedIn leaves it empty for some members).",
                    "Add the name in the file, or leave the row out.",
                )
            field = "URL"
            profile = _url(url.strip()) if url else None
            field = "Email Address"
            address = check_email(email) if email.strip() else None
            field = "Company"
            organisation = _line(company, "company") or None
            field = "Position"
            title = _line(position, "position") or None
            field = "Connected On"
            day = self._date(connected) if connected else None
        except InvalidInputError as exc:
            return RowProblem(line, field, exc.message, exc.hint or "Correct the cell.")
        return Connection(line, name, profile, address, organisation, title, day)

    def _date(self, text: str) -> date | None:
        found = self.dates.get(text)
        if found is None:
            try:
                found = read_date(text, order="dmy") if text.strip() else None
            except InvalidInputError as exc:
                found = (exc.message, exc.hint)
            self.dates[text] = found  # type: ignore[assignment]
        if isinstance(found, tuple):
            raise InvalidInputError(found[0], hint=found[1])
        return found


def _line(value: str, field: str) -> str:
    """clean_line's result, without its cost for the usual cell (printable, single spaces, short)."""
    if value.isprintable() and "  " not in value and len(value) <= 300:
        return value.strip()
    return clean_line(value, field=field, required=False)


def _url(value: str) -> str | None:
    """check_url's result, without its cost for the usual profile address."""
    if not value:
        return None
    if (
        value.startswith("https://")
        and value[8:9] not in ("", "/")
        and value.isprintable()
        and " " not in value
    ):
        return value
    return check_url(value, field="LinkedIn URL")
