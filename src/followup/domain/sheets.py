"""Rows of a spreadsheet as opportunities or people, by its columns: each row read or told what to fix."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from followup.domain.cells import (
    DateOrder,
    has_numeric_dates,
    numeric_order,
    read_date,
    read_source,
    read_status,
)
from followup.domain.columns import Columns, Field, Kind
from followup.domain.imported import RowProblem
from followup.domain.model import EmailAddress, Opportunity, Person, Stage
from followup.domain.validation import (
    check_country,
    check_email,
    check_timezone,
    check_url,
    clean_line,
    clean_text,
)
from followup.errors import InvalidInputError

_ADDRESSES = re.compile(r"[;,\s]+")
_YES = frozenset({"yes", "y", "true", "1", "x", "\u2713", "ja", "oui", "si", "sí"})


@dataclass(frozen=True)
class OpportunityRow:
    line: int
    opportunity: Opportunity
    stage: Stage | None  # from the status column
    applied_on: date | None
    contact: Person | None  # from the contact columns: a name, perhaps an address


@dataclass(frozen=True)
class PersonRow:
    line: int
    person: Person


def date_order(
    rows: Sequence[tuple[int, list[str]]], columns: Columns, *, given: DateOrder | None, default: DateOrder
) -> tuple[DateOrder, str | None]:
    """How 03/04/2024 is read in this file, and a note for the report when it was a guess."""
    if given is not None:
        return given, None
    at = columns.index.get(Field.APPLIED)
    if at is None:
        return default, None
    values = [cells[at] for _, cells in rows if at < len(cells)]
    found = numeric_order(values)
    if found is not None:
        return found, None
    if has_numeric_dates(values):
        way = "month first (03/04 is 4 March)" if default == "mdy" else "day first (03/04 is 3 April)"
        other = "dmy" if default == "mdy" else "mdy"
        return default, f"Dates such as 03/04/2024 were read {way}; --dates {other} reads them the other way."
    return default, None


class RowReader:
    """Reads the rows of one file with its columns; a bad cell makes its row a RowProblem."""

    def __init__(
        self,
        headers: Sequence[str],
        columns: Columns,
        *,
        order: DateOrder,
        status_words: Mapping[str, Stage] | None = None,
        network: bool = False,
    ) -> None:
        self.headers, self.columns, self.order = headers, columns, order
        self.status_words, self.network = status_words or {}, network

    def read(self, line: int, cells: list[str]) -> OpportunityRow | PersonRow | RowProblem:
        self._cells, self._line = cells, line
        self._field: Field | None = None
        try:
            if self.columns.kind is Kind.OPPORTUNITIES:
                return self._opportunity()
            return self._person()
        except InvalidInputError as exc:
            header = self.headers[self.columns.index[self._field]] if self._field is not None else None
            return RowProblem(line, header, _lower_first(exc.message), exc.hint or "Correct the cell.")

    def _cell(self, f: Field) -> str:
        self._field = f
        at = self.columns.index.get(f)
        return self._cells[at].strip() if at is not None and at < len(self._cells) else ""

    def _opportunity(self) -> OpportunityRow:
        # each cell is checked as soon as it is read, so a problem names the right column
        company = self._required(Field.COMPANY, "company")
        title = self._required(Field.TITLE, "role title")
        url = check_url(u) if (u := self._cell(Field.URL)) else None
        source = read_source(s) if (s := self._cell(Field.SOURCE)) else None
        location = clean_line(self._cell(Field.LOCATION), field="location", required=False) or None
        notes = clean_text(self._cell(Field.NOTES))
        stage = read_status(s, self.status_words) if (s := self._cell(Field.STATUS)) else None
        applied_on = read_date(a, order=self.order) if (a := self._cell(Field.APPLIED)) else None
        name = clean_line(self._cell(Field.CONTACT), field="contact", required=False)
        if "@" in name:  # a Contact column holding an address
            self._field = Field.CONTACT
            address, name = EmailAddress(check_email(name)), ""
            addresses = tuple(dict.fromkeys((address, *self._addresses(Field.CONTACT_EMAIL))))
        else:
            addresses = self._addresses(Field.CONTACT_EMAIL)
        contact = None
        if name or addresses:
            fallback = addresses[0].address.split("@")[0] if addresses else ""
            contact = Person(name=name or fallback, emails=addresses, organisation=company)
        opportunity = Opportunity(company, title, url, source, location, notes=notes)
        return OpportunityRow(self._line, opportunity, stage, applied_on, contact)

    def _person(self) -> PersonRow:
        name = self._cell(Field.NAME)
        if not name:
            name = f"{self._cell(Field.FIRST_NAME)} {self._cell(Field.LAST_NAME)}"
            self._field = Field.FIRST_NAME if Field.FIRST_NAME in self.columns.index else Field.NAME
        if not name.strip():
            raise InvalidInputError("the name is empty.", hint="Fill in the name, or leave the row out.")
        person = Person(
            name=clean_line(name, field="name"),
            emails=self._addresses(Field.EMAIL),
            phone=clean_line(self._cell(Field.PHONE), field="phone", required=False) or None,
            organisation=clean_line(self._cell(Field.COMPANY), field="organisation", required=False) or None,
            title=clean_line(self._cell(Field.TITLE), field="title", required=False) or None,
            timezone=check_timezone(tz) if (tz := self._cell(Field.TIMEZONE)) else None,
            country=check_country(country) if (country := self._cell(Field.COUNTRY)) else None,
            linkedin_url=check_url(u, field="LinkedIn URL") if (u := self._cell(Field.LINKEDIN)) else None,
            in_network=self.network or self._cell(Field.NETWORK).casefold() in _YES,
            notes=clean_text(self._cell(Field.NOTES)),
        )
        return PersonRow(self._line, person)

    def _required(self, f: Field, label: str) -> str:
        value = clean_line(self._cell(f), field=label, required=False)
        if not value:
            raise InvalidInputError(
                f"the {label} is empty.", hint=f"Fill in the {label}, or leave the row out."
            )
        return value

    def _addresses(self, f: Field) -> tuple[EmailAddress, ...]:
        found: dict[str, EmailAddress] = {}
        for word in _ADDRESSES.split(self._cell(f)):
            if word:
                address = EmailAddress(check_email(word.strip("<>")))
                found.setdefault(address.key, address)
        return tuple(found.values())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
