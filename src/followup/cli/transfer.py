"""Bringing a search in: `import linkedin|csv|vcard|json` (the exports are in export.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import Progress, echo, secho, style
from followup.errors import InvalidInputError
from followup.shapes import import_report_json

if TYPE_CHECKING:
    from followup.services.importing import ImportReport

DRY_RUN = Arg("--dry-run", action="store_true", help="show what the import would do, and write nothing")
ENCODING = Arg(
    "--encoding", metavar="NAME", help="the file's encoding when it is not found out (e.g. cp1252, utf-16)"
)
SHOWN_CHANGES = 200  # lines of a dry run shown on a terminal; --json has them all


class _Bar:
    """A progress bar for a long import on a terminal, drawn from the service's (done, total) calls."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Progress | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = Progress(self.label, total=total, enabled=total >= 1000)
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.total)
            self.bar.__exit__()


def _read(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "standard input"
    file = Path(path).expanduser()
    try:
        return file.read_bytes(), file.name
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder.", hint="Give the file itself.") from None
    except OSError as exc:
        raise InvalidInputError(
            f"Cannot read {path}: {exc.strerror or exc}.", hint="Check the path (and that you may read it)."
        ) from None


_NOUNS = {
    "person": ("person", "people"),
    "opportunity": ("opportunity", "opportunities"),
    "role": ("role", "roles"),
    "interaction": ("ledger entry", "ledger entries"),
    "interview": ("interview", "interviews"),
    "suggestion": ("suggestion", "suggestions"),
}


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {_NOUNS.get(k, (k, k + 's'))[n != 1]}" for k, n in counts.items())


def print_report(r: ImportReport, map_source: str | None = None) -> None:
    if r.encoding:
        above = " (the lines above it left out)" if (r.header_line or 0) > 1 else ""
        echo(
            f"Read {r.file}: {r.encoding}, separated by {r.separator}, header on line {r.header_line}{above}."
        )
    if r.columns:
        echo("Columns: " + ", ".join(f"{k} ← {v!r}" for k, v in r.columns.items()) + ".")
    if r.ignored_columns:
        echo("Not imported: " + ", ".join(repr(c) for c in r.ignored_columns) + ".")
    for note in r.notes:
        echo(note)
    for p in r.map_problems:
        secho(f"{map_source or 'map file'}: {p}", fg="yellow", err=True)
    if r.dry_run:
        shown = [c for c in r.changes if c.action != "unchanged"]
        for c in shown[:SHOWN_CHANGES]:
            at = f"line {c.line}: " if c.line else ""
            noun = _NOUNS.get(c.kind, (c.kind,))[0]
            echo(f"{at}would {c.action.removesuffix('d')} {noun} {c.label} ({c.because})")
        if len(shown) > SHOWN_CHANGES:
            echo(f"… and {len(shown) - SHOWN_CHANGES} more (--json lists them all).")
    for skipped in r.skipped:
        secho(f"Skipped {r.file}, {skipped}", fg="yellow", err=True)
    if r.tables:
        restored = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in r.tables.items() if n)
        echo(f"{'Would restore' if r.dry_run else 'Restored'} {restored}.")
        if r.dry_run:
            echo("Dry run: nothing was written.")
        return
    created, updated = r.counts("created"), r.counts("updated")
    verb = ("Would create", "would update") if r.dry_run else ("Created", "updated")
    parts = [f"{verb[0]} {_counted(created) or 'nothing'}"]
    if updated:
        parts.append(f"{verb[1]} {_counted(updated)}")
    if r.unchanged:
        parts.append(f"{r.unchanged} already there")
    if r.skipped:
        parts.append(style(f"{len(r.skipped)} skipped", fg="yellow"))
    echo("; ".join(parts) + ".")
    if r.dry_run:
        echo("Dry run: nothing was written.")


def _planned(runtime: Runtime, report: ImportReport) -> ImportReport:
    """Plan the follow-ups of what came in (the import left it noted), saying so when it takes a while."""
    if not report.dry_run:
        if report.rows >= 1000 and sys.stderr.isatty():
            echo(f"Planning the follow-ups of {report.rows:,} imported rows…", err=True)
        runtime.app().planning.ensure_current()
    return report


def _show(report: ImportReport, as_json: bool, map_source: str | None = None) -> None:
    if as_json:
        emit_json(import_report_json(report))
    else:
        print_report(report, map_source)


FILE = Arg("path", metavar="FILE", help="the file to import (- reads standard input)")


@command(
    "import linkedin",
    FILE,
    Arg("--cadence", type=int, metavar="DAYS", help="stay-in-touch cadence for these people (default: 90)"),
    ENCODING,
    DRY_RUN,
    JSON,
)
def import_linkedin(
    runtime: Runtime, path: str, cadence: int | None, encoding: str | None, dry_run: bool, as_json: bool
) -> None:
    """Bring in your LinkedIn network: Connections.csv from "Get a copy of your data".

    Each connection becomes a person in your network (name, company, position, profile, the e-mail
    address when LinkedIn gives it), so the keep-in-touch rule plans a note to them every 90 days
    (or --cadence), counted from the day you connected until you log a conversation. Someone already
    here (the same profile, e-mail address, or name and company) is completed, never overwritten or
    doubled: importing the same file again changes nothing.

    Examples:
      followup import linkedin ~/Downloads/Connections.csv --dry-run
      followup import linkedin ~/Downloads/Connections.csv --cadence 180
    """
    data, source = _read(path)
    bar = _Bar("Importing connections")
    try:
        report = runtime.app().transfer.import_linkedin(
            data, source, dry_run=dry_run, cadence=cadence, encoding=encoding, progress=bar, plan=False
        )
    finally:
        bar.close()
    _show(_planned(runtime, report), as_json)


@command(
    "import csv",
    FILE,
    Arg(
        "--kind",
        choices=("opportunities", "people"),
        help="what the rows are (default: guessed from headers)",
    ),
    Arg(
        "--map",
        dest="maps",
        action="append",
        default=[],
        metavar="FIELD=HEADER,…",
        help='which column holds what, e.g. --map company=Employer,title="Job Title" (repeatable)',
    ),
    Arg("--map-file", metavar="FILE", help="a TOML file of columns, status words and date order"),
    Arg("--dates", choices=("mdy", "dmy", "ymd"), help="how 03/04/2024 is meant (default: by your country)"),
    Arg(
        "--contact-role", metavar="ROLE", help="the part of the Contact column's person (default: recruiter)"
    ),
    Arg("--network", action="store_true", help="people: put them in your network (keep-in-touch notes)"),
    ENCODING,
    DRY_RUN,
    JSON,
)
def import_csv(
    runtime: Runtime, path: str, kind: str | None, maps: list[str], map_file: str | None, dates: str | None,
    contact_role: str | None, network: bool, encoding: str | None, dry_run: bool, as_json: bool,
) -> None:  # fmt: skip
    """Bring in opportunities (or people) from a spreadsheet or another tracker's CSV export.

    Common headers are recognised (Company, Job Title/Position/Role, Status/Stage, Date Applied,
    URL/Link, Notes, Contact, Contact Email, Location, Source; for people Name or First/Last Name,
    Email, Phone, Company, Title, LinkedIn); --map or --map-file name the others. Status words
    ("Applied", "Phone screen", "Interviewing", "Offer", "Rejected", "Ghosted" …) become stages, moving
    an opportunity forward, never back; a Date Applied becomes the application in the ledger. Files
    from Excel in Windows-1252 or UTF-16, separated by semicolons or tabs, are read as they are.
    Rows that cannot be used are skipped with their line and a fix; the others go in.

    Examples:
      followup import csv applications.csv --dry-run
      followup import csv export.csv --map company=Employer,title="Job Title",applied="Applied On"
      followup import csv tracker.csv --map-file tracker-map.toml
      followup import csv contacts.csv --kind people --network
    """
    from followup.domain.columns import Kind
    from followup.domain.model import Role
    from followup.services.transfer import SheetOptions

    role = None
    if contact_role is not None:
        try:
            role = Role(contact_role.strip().lower())
        except ValueError:
            raise InvalidInputError(
                f"{contact_role!r} is not a role.",
                hint="Give one of: " + ", ".join(r.value for r in Role) + ".",
            ) from None
    map_text = None
    if map_file is not None:
        raw, name = _read(map_file)
        map_text = (name, raw.decode("utf-8-sig", errors="replace"))
    options = SheetOptions(
        kind=Kind(kind) if kind else None,
        maps=maps,
        map_file=map_text,
        dates=dates,  # type: ignore[arg-type]
        contact_role=role,
        network=network,
        encoding=encoding,
    )
    data, source = _read(path)
    bar = _Bar("Importing rows")
    try:
        report = runtime.app().transfer.import_sheet(
            data, source, options, dry_run=dry_run, progress=bar, plan=False
        )
    finally:
        bar.close()
    _show(_planned(runtime, report), as_json, map_text[0] if map_text else None)


@command(
    "import vcard",
    FILE,
    Arg("--network", action="store_true", help="put them in your network (keep-in-touch notes)"),
    DRY_RUN,
    JSON,
)
def import_vcard(runtime: Runtime, path: str, network: bool, dry_run: bool, as_json: bool) -> None:
    """Bring in contacts from a vCard file (Google, Apple, Outlook; vCard 2.1, 3.0 or 4.0).

    Name, every e-mail address, a phone number, organisation, title, a LinkedIn profile (URL or
    X-SOCIALPROFILE) and notes are kept. Someone already here is completed, never doubled. A card
    that cannot be read is skipped with its line; the others go in.

    Examples:
      followup import vcard contacts.vcf --dry-run
      followup import vcard "iCloud vCard.vcf" --network
    """
    data, source = _read(path)
    bar = _Bar("Importing contacts")
    try:
        report = runtime.app().transfer.import_cards(
            data, source, dry_run=dry_run, network=network, progress=bar, plan=False
        )
    finally:
        bar.close()
    _show(_planned(runtime, report), as_json)


@command(
    "import json",
    FILE,
    Arg("--merge", action="store_true", help="bring the backup in beside records already here"),
    DRY_RUN,
    JSON,
)
def import_json(runtime: Runtime, path: str, merge: bool, dry_run: bool, as_json: bool) -> None:
    """Restore a backup written by `followup export json`.

    Into an empty database the backup is restored exactly: every record, the whole ledger,
    interviews, planned follow-ups with your done/skip/snooze decisions, the outbox, suggestions,
    ids included. Into a database with records, only with --merge: people and opportunities are
    matched as any import's, the rest added unless already there, and the plan is made anew.

    With --dry-run the whole import is made and then undone: it shows what would come in, and
    writes nothing.

    Examples:
      followup --db ~/new.sqlite3 import json followup-backup.json
      followup import json laptop-backup.json --merge --dry-run
    """
    data, source = _read(path)
    _show(runtime.app().transfer.import_backup(data, source, merge=merge, dry_run=dry_run), as_json)


COMMANDS = [import_linkedin, import_csv, import_vcard, import_json]
