"""Which column of a spreadsheet holds what: headers recognised, `--map` options, map files."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from followup.domain.cells import DATE_ORDERS, DateOrder, status_key
from followup.domain.model import Role, Stage
from followup.domain.playbook import Problem
from followup.errors import InvalidInputError


class Field(StrEnum):
    """What a column can hold; the words `--map` and map files use."""

    COMPANY = "company"
    TITLE = "title"
    STATUS = "status"
    APPLIED = "applied"
    URL = "url"
    NOTES = "notes"
    LOCATION = "location"
    SOURCE = "source"
    CONTACT = "contact"
    CONTACT_EMAIL = "contact_email"
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    PHONE = "phone"
    LINKEDIN = "linkedin"
    TIMEZONE = "timezone"
    COUNTRY = "country"
    NETWORK = "network"  # yes/no: in the user's network


class Kind(StrEnum):
    """What the rows of a spreadsheet are."""

    OPPORTUNITIES = "opportunities"
    PEOPLE = "people"


# Header names as other trackers, job boards and people's own spreadsheets write them (compared in
# lower case, punctuation as spaces: "E-mail Address" is "e mail address").
HEADERS: dict[Field, tuple[str, ...]] = {
    Field.COMPANY: ("company", "company name", "employer", "organisation", "organization", "org",
                    "firm", "business"),
    Field.TITLE: ("title", "job title", "position", "role", "job", "job position", "position title",
                  "job name", "role title", "job role", "opening"),
    Field.STATUS: ("status", "stage", "application status", "state", "progress", "outcome"),
    Field.APPLIED: ("date applied", "applied", "applied on", "applied date", "application date",
                    "date of application", "applied at", "date submitted", "submitted on"),
    Field.URL: ("url", "link", "job link", "job url", "posting", "job posting", "posting url",
                "posting link", "listing", "job ad", "ad link", "website"),
    Field.NOTES: ("notes", "note", "comments", "comment", "description", "remarks"),
    Field.LOCATION: ("location", "city", "place", "office", "job location"),
    Field.SOURCE: ("source", "found via", "found on", "found through", "channel", "where found",
                   "job board", "how found"),
    Field.CONTACT: ("contact", "contact name", "contact person", "recruiter", "recruiter name",
                    "hiring manager", "referrer", "referred by", "point of contact"),
    Field.CONTACT_EMAIL: ("contact email", "contact e mail", "recruiter email", "recruiter e mail"),
    Field.NAME: ("name", "full name", "display name", "contact full name"),
    Field.FIRST_NAME: ("first name", "given name", "firstname", "forename"),
    Field.LAST_NAME: ("last name", "family name", "surname", "lastname"),
    Field.EMAIL: ("email", "e mail", "email address", "e mail address", "mail", "e mail 1 value",
                  "email 1", "primary email", "work email"),
    Field.PHONE: ("phone", "phone number", "mobile", "mobile phone", "telephone", "tel", "cell",
                  "phone 1 value", "work phone"),
    Field.LINKEDIN: ("linkedin", "linkedin url", "linkedin profile", "profile url", "profile"),
    Field.TIMEZONE: ("timezone", "time zone", "tz"),
    Field.COUNTRY: ("country", "country code"),
    Field.NETWORK: ("in network", "network", "keep in touch"),
}  # fmt: skip
_BY_HEADER = {header: f for f, headers in HEADERS.items() for header in headers}
REQUIRED: dict[Kind, tuple[tuple[Field, ...], ...]] = {
    Kind.OPPORTUNITIES: ((Field.COMPANY,), (Field.TITLE,)),
    Kind.PEOPLE: ((Field.NAME, Field.FIRST_NAME),),  # one of each tuple
}
_JOB_FIELDS = frozenset({Field.STATUS, Field.APPLIED, Field.SOURCE, Field.CONTACT, Field.CONTACT_EMAIL})
_PERSON_FIELDS = frozenset({Field.NAME, Field.FIRST_NAME, Field.LAST_NAME, Field.EMAIL, Field.PHONE,
                            Field.LINKEDIN})  # fmt: skip


def header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", header.casefold()).strip()


def recognised(headers: Sequence[str]) -> int:
    """How many cells of a row are header names followup knows (finds the header row of a file)."""
    return sum(1 for h in headers if header_key(h) in _BY_HEADER)


@dataclass(frozen=True)
class MapFile:
    """What a map file (or `--map`) says: columns by field, extra status words, how dates are written."""

    columns: dict[Field, str] = field(default_factory=dict)
    status: dict[str, Stage] = field(default_factory=dict)
    kind: Kind | None = None
    dates: DateOrder | None = None
    contact_role: Role | None = None


@dataclass(frozen=True)
class Columns:
    """Where each field is in the rows (an index), and how each header was taken."""

    kind: Kind
    index: dict[Field, int]
    ignored: tuple[str, ...]  # headers that hold nothing followup keeps

    def describe(self, headers: Sequence[str]) -> list[str]:
        return [f"{f.value} ← {headers[i]!r}" for f, i in self.index.items()]


def choose_columns(headers: Sequence[str], given: MapFile, *, kind: Kind | None) -> Columns:
    """The columns for a file: the map's first, recognised headers for the rest; InvalidInputError
    when the map names a column the file does not have, or a needed field has no column."""
    keys = [header_key(h) for h in headers]
    index: dict[Field, int] = {}
    for wanted, header in given.columns.items():
        try:
            index[wanted] = keys.index(header_key(header))
        except ValueError:
            raise InvalidInputError(
                f"The map says {wanted.value} is in the column {header!r}, but the file has no such column.",
                hint="Its columns are: " + ", ".join(repr(h) for h in headers if h.strip()) + ".",
            ) from None
    taken = set(index.values())
    for position, key in enumerate(keys):
        found = _BY_HEADER.get(key)
        if found is not None and found not in index and position not in taken:
            index[found] = position
            taken.add(position)
    chosen = kind or given.kind or _guess_kind(index)
    if chosen is Kind.PEOPLE:
        # in a list of people, "Company" and "Title" are theirs, and a URL is most often a profile
        url = index.pop(Field.URL, None)
        if url is not None:
            index.setdefault(Field.LINKEDIN, url)
    for options in REQUIRED[chosen]:
        if not any(o in index for o in options):
            names = " or ".join(o.value for o in options)
            raise InvalidInputError(
                f"No column holds the {names} of the {chosen.value} (the file's columns: "
                + ", ".join(repr(h) for h in headers if h.strip())
                + ").",
                hint=f'Name it with --map, e.g. --map {options[0].value}="{_example(options[0])}".',
            )
    used = set(index.values())
    ignored = tuple(h for i, h in enumerate(headers) if i not in used and h.strip())
    return Columns(chosen, index, ignored)


def _guess_kind(index: Mapping[Field, int]) -> Kind:
    """A job's status, application date or contact says opportunities; otherwise a name, an address or
    a profile says people; otherwise (company and title alone) opportunities."""
    fields = set(index)
    if fields & _JOB_FIELDS:
        return Kind.OPPORTUNITIES
    if fields & _PERSON_FIELDS:
        return Kind.PEOPLE
    return Kind.OPPORTUNITIES


def _example(f: Field) -> str:
    return {Field.COMPANY: "Employer", Field.TITLE: "Job Title", Field.NAME: "Full Name"}.get(f, "Header")


# `--map company=Company,title="Job Title"` ---------------------------------------------------------

_PAIR = re.compile(r"""\s*([A-Za-z_ -]+?)\s*=\s*("([^"]*)"|'([^']*)'|([^,]*))\s*(?:,|$)""")


def parse_map_option(text: str) -> dict[Field, str]:
    """`field=Header` pairs separated by commas; headers with commas or spaces may be quoted."""
    found: dict[Field, str] = {}
    position = 0
    text = text.strip()
    while position < len(text):
        m = _PAIR.match(text, position)
        if m is None or m.end() == position:
            raise InvalidInputError(
                f"Cannot read --map {text!r} from {text[position:]!r} on.",
                hint='Write field=Header pairs separated by commas: --map company=Employer,title="Job Title"',
            )
        header = next(g for g in (m[3], m[4], m[5]) if g is not None).strip()
        found[field_named(m[1])] = header
        position = m.end()
    return found


def field_named(word: str) -> Field:
    key = word.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {
        "role": Field.TITLE,
        "job_title": Field.TITLE,
        "stage": Field.STATUS,
        "date_applied": Field.APPLIED,
        "link": Field.URL,
        "organisation": Field.COMPANY,
        "organization": Field.COMPANY,
        "e_mail": Field.EMAIL,
        "linkedin_url": Field.LINKEDIN,
    }
    if key in aliases:
        return aliases[key]
    try:
        return Field(key)
    except ValueError:
        raise InvalidInputError(
            f"{word.strip()!r} is not a field followup imports.",
            hint="Fields: " + ", ".join(f.value for f in Field) + ".",
        ) from None


# Map files (TOML) ---------------------------------------------------------------------------------

MAP_FILE_EXAMPLE = """\
kind = "opportunities"        # or "people"; guessed from the columns when left out
dates = "dmy"                 # how 03/04/2024 is meant: "mdy", "dmy" or "ymd"
contact_role = "recruiter"    # the part of the person in the Contact column

[columns]                     # field = "the header in your file"
company = "Employer"
title = "Job Title"
applied = "Applied On"

[status]                      # your words = a stage
"Waiting to hear" = "applied"
"Tech test" = "screening"
"""


def parse_map_file(text: str) -> tuple[MapFile, list[Problem]]:
    """A map file: what it says and its problems, each on its line with a fix; the rest still applies."""
    import tomllib

    problems: list[Problem] = []
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        line = int(where[1]) if where else None
        fix = 'Correct the TOML: one `key = "value"` a line, text in double quotes, [columns], [status].'
        return MapFile(), [Problem(line, "TOML", message + ".", fix)]
    lines = _key_lines(text)

    def problem(path: tuple[str, ...], message: str, fix: str) -> None:
        line = next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), None)
        problems.append(Problem(line, ".".join(path), message, fix))

    columns: dict[Field, str] = {}
    status: dict[str, Stage] = {}
    kind = dates = role = None
    for key, value in data.items():
        if key == "columns" and isinstance(value, dict):
            for name, header in value.items():
                try:
                    wanted = field_named(name)
                except InvalidInputError as exc:
                    problem(("columns", name), exc.message, exc.hint or "")
                    continue
                if not isinstance(header, str) or not header.strip():
                    problem(
                        ("columns", name), "The header must be text.", f'Write {name} = "Header in the file".'
                    )
                    continue
                columns[wanted] = header
        elif key == "status" and isinstance(value, dict):
            for word, stage in value.items():
                if not isinstance(stage, str) or stage.strip().lower() not in set(Stage):
                    problem(("status", word), f"{stage!r} is not a stage.",
                            "Give one of: " + ", ".join(s.value for s in Stage) + ".")  # fmt: skip
                    continue
                status[status_key(word)] = Stage(stage.strip().lower())
        elif key == "kind":
            kind = _choice(value, Kind, ("kind",), problem)
        elif key == "dates":
            dates = value if value in DATE_ORDERS else None
            if dates is None:
                problem(("dates",), f"{value!r} is not a date order.", 'Give "mdy", "dmy" or "ymd".')
        elif key == "contact_role":
            role = _choice(value, Role, ("contact_role",), problem)
        else:
            problem((key,), f"Unknown key {key!r}.", "Keys: kind, dates, contact_role, [columns], [status].")
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return MapFile(columns, status, kind, dates, role), problems


def _choice(value: Any, enum: type[Kind] | type[Role], path: tuple[str, ...], problem: Any) -> Any:
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        problem(path, f"{value!r} is not one of {', '.join(e.value for e in enum)}.",
                f"Write {path[-1]} = \"{next(iter(enum)).value}\".")  # fmt: skip
        return None


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each key (tomllib gives values without positions): the current [table], then keys."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if m := re.match(r"^\[\s*([^\]]+?)\s*\]", stripped):
            table = (m[1].strip('"'),)
            lines.setdefault(table, number)
        elif m := re.match(r"""^("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""", stripped):
            lines.setdefault((*table, m[1].strip("\"'")), number)
    return lines
