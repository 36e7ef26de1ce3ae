"""LinkedIn's Connections.csv ("Get a copy of your data" > Connections) as connections.

The file opens with a few "Notes:" lines about missing e-mail addresses, then the header row
`First Name,Last Name,URL,Email Address,Company,Position,Connected On`; dates read `12 Mar 2024`; most
e-mail cells are empty (members choose whether their connections see the address). The header row is
found, not counted, since LinkedIn has changed the preamble over the years.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import itemgetter, methodcaller

from followup.domain.cells import read_date
from followup.domain.columns import header_key
from followup.domain.imported import Connection, Connections, ConnectionTable, RowProblem
from followup.domain.validation import check_email, check_url, clean_line
from followup.errors import InvalidInputError
from followup.importers.delimited import read_sheet

HEADERS = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
_KEYS = {header_key(h): h for h in HEADERS}
_NEEDED = ("First Name", "Last Name")
_LONGEST = 300  # characters in a cell that `_line` takes as it is
_HTTPS = methodcaller("startswith", "https://")
_NO_HOST = methodcaller("startswith", "https:///")
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
        table, problems = _read_table(sheet.rows, _RowReader([where.get(h) for h in HEADERS]))
        return Connections(sheet, table, problems)


def _read_table(
    rows: list[tuple[int, list[str]]], reader: _RowReader
) -> tuple[ConnectionTable, list[RowProblem]]:
    """Every row as `reader.read` reads it, but column by column: each column is checked whole at C
    speed (printable, no doubled spaces, short enough, profile addresses in the usual form), and only
    the rows that a check leaves in doubt (and those with an e-mail address or a date that does not
    read) are read one at a time, by `reader`, which says what is wrong with them."""
    if not rows:
        return ConnectionTable([], [], [], [], [], [], []), []
    lines = [line for line, _ in rows]
    cells = [c for _, c in rows]
    width = reader.width
    if min(map(len, cells)) < width:
        cells = [c + [""] * (width - len(c)) if len(c) < width else c for c in cells]
    count = len(cells)
    by_position = list(zip(*cells, strict=False))  # as long as the shortest row: every column there
    first, last, urls, emails, companies, positions, connected = (
        by_position[p] if p is not None else ("",) * count for p in reader.positions
    )
    doubtful: set[int] = set()

    names = list(map(" ".join, zip(map(str.strip, first), map(str.strip, last), strict=True)))
    doubtful.update(_not_plain(names))
    names = list(map(str.strip, names))
    if "" in names:  # no name at all: the row is a problem, and the reader says which
        doubtful.update(i for i, name in enumerate(names) if not name)
    doubtful.update(_not_plain(companies))
    doubtful.update(_not_plain(positions))
    profiles = list(map(str.strip, urls))
    doubtful.update(_not_plain_profiles(profiles))
    addresses: list[str | None] = [None] * count
    for i, email in enumerate(emails):
        if email and email.strip():  # most are empty: LinkedIn members choose to show theirs
            try:
                addresses[i] = check_email(email)
            except InvalidInputError:
                doubtful.add(i)
    days: list[date | None] = [None] * count
    if any(connected):
        known = {text: reader.day(text) for text in set(connected)}
        wrong = {text for text, day in known.items() if isinstance(day, tuple)}
        if wrong:  # read again, row by row, to say what is wrong with each
            doubtful.update(i for i, text in enumerate(connected) if text in wrong)
            known.update(dict.fromkeys(wrong))
        days = list(map(known.__getitem__, connected))  # type: ignore[arg-type]

    table = ConnectionTable(
        lines,
        names,
        _or_none(profiles),
        addresses,
        _or_none(list(map(str.strip, companies))),
        _or_none(list(map(str.strip, positions))),
        days,
    )
    problems: list[RowProblem] = []
    for i in sorted(doubtful):
        read = reader.read(lines[i], cells[i])
        if isinstance(read, RowProblem):
            problems.append(read)
        else:
            table.put(i, read)
    if problems:
        left_out = {p.line for p in problems}
        table = table.keep([line not in left_out for line in lines])
    return table, problems


def _or_none(values: list[str]) -> list[str | None]:
    """Empty cells as None."""
    if "" not in values:
        return list[str | None](values)
    return [v or None for v in values]


def _not_plain(values: Sequence[str]) -> list[int]:
    """The cells that `_line` would do more to than strip (the whole column is checked at once)."""
    joined = "".join(values)
    if not values or (joined.isprintable() and "  " not in joined and max(map(len, values)) <= _LONGEST):
        return []
    return [i for i, v in enumerate(values) if not _plain(v)]


def _not_plain_profiles(values: Sequence[str]) -> list[int]:
    """The profile addresses (stripped) that `_url` would not take as they are: checked as one text,
    each address after a space (which no address that `_url` takes as it is holds)."""
    given = [v for v in values if v]
    joined = " " + " ".join(given)
    if (
        joined.count(" ") == len(given)
        and joined.count(" https://") == len(given)
        and " https:///" not in joined
        and "https:// " not in joined + " "
        and joined.isprintable()
    ):
        return []
    return [i for i, v in enumerate(values) if v and not _plain_url(v)]


class _RowReader:
    """One row at a time, as cheaply as it can be: a LinkedIn network runs to tens of thousands."""

    def __init__(self, positions: list[int | None]) -> None:
        self.positions = positions
        # a column the file lacks reads as the empty cell appended to every row
        self.cells = itemgetter(*(p if p is not None else -1 for p in positions))
        self.width = max((p for p in positions if p is not None), default=0) + 1
        self.dates: dict[str, date | tuple[str, str | None] | None] = {}  # a network has few distinct days

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
        found = self.day(text)
        if isinstance(found, tuple):
            raise InvalidInputError(found[0], hint=found[1])
        return found

    def day(self, text: str) -> date | tuple[str, str | None] | None:
        """The day a "Connected On" cell names, None when it is blank, or (why not, the fix)."""
        if text in self.dates:
            return self.dates[text]
        try:
            found: date | tuple[str, str | None] | None = (
                read_date(text, order="dmy") if text.strip() else None
            )
        except InvalidInputError as exc:
            found = (exc.message, exc.hint)
        self.dates[text] = found
        return found


def _line(value: str, field: str) -> str:
    """clean_line's result, without its cost for the usual cell (printable, single spaces, short)."""
    if _plain(value):
        return value.strip()
    return clean_line(value, field=field, required=False)


def _plain(value: str) -> bool:
    return value.isprintable() and "  " not in value and len(value) <= _LONGEST


def _url(value: str) -> str | None:
    """check_url's result, without its cost for the usual profile address."""
    if not value:
        return None
    if _plain_url(value):
        return value
    return check_url(value, field="LinkedIn URL")


def _plain_url(value: str) -> bool:
    return (
        _HTTPS(value) and not _NO_HOST(value) and len(value) > 8 and value.isprintable() and " " not in value
    )
