"""Bringing a search in and taking it out: `import linkedin|csv|vcard|json`, `export csv|vcard|json`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import Progress, echo, secho, style
from followup.errors import InvalidInputError

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


def report_json(r: ImportReport) -> dict[str, Any]:
    return {
        "file": r.file,
        "format": r.format,
        "dry_run": r.dry_run,
        "rows": r.rows,
        "created": r.counts("created"),
        "updated": r.counts("updated"),
        "unchanged": r.unchanged,
        "skipped": [
            {"line": p.line, "field": p.field, "message": p.message, "fix": p.fix} for p in r.skipped
        ],
        "changes": [
            {
                "line": c.line,
                "action": c.action,
                "kind": c.kind,
                "id": c.id,
                "label": c.label,
                "because": c.because,
            }
            for c in r.changes
        ],
        "notes": r.notes,
        "map_problems": [
            {"line": p.line, "where": p.where, "message": p.message, "fix": p.fix} for p in r.map_problems
        ],
        "encoding": r.encoding,
        "separator": r.separator,
        "header_line": r.header_line,
        "columns": r.columns,
        "ignored_columns": r.ignored_columns,
        "restored": r.tables,
    }


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
        echo("Restored " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in r.tables.items() if n) + ".")
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
        emit_json(report_json(report))
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
    JSON,
)
def import_json(runtime: Runtime, path: str, merge: bool, as_json: bool) -> None:
    """Restore a backup written by `followup export json`.

    Into an empty database the backup is restored exactly: every record, the whole ledger,
    interviews, planned follow-ups with your done/skip/snooze decisions, the outbox, suggestions,
    ids included. Into a database with records, only with --merge: people and opportunities are
    matched as any import's, the rest added unless already there, and the plan is made anew.

    Examples:
      followup --db ~/new.sqlite3 import json followup-backup.json
      followup import json laptop-backup.json --merge
    """
    data, source = _read(path)
    _show(runtime.app().transfer.import_backup(data, source, merge=merge), as_json)


# Exports -----------------------------------------------------------------------------------------


def _target(path: str, example: str, as_json: bool) -> Path | None:
    from followup.cli.export import checked

    if path == "-":
        if as_json:
            raise InvalidInputError("--json describes a file written; here the output goes to stdout.", hint=(
                f"Give a FILE (e.g. {example}) with --json, or leave --json out."))  # fmt: skip
        return None
    return checked(Path(path).expanduser(), example)


def _write(target: Path | None, data: bytes) -> None:
    from followup.cli.export import write_atomically

    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(target, data)


@command(
    "export csv",
    Arg(
        "folder", metavar="DIR", help="the folder to write opportunities.csv, people.csv, interactions.csv in"
    ),
    Arg(
        "--what",
        action="append",
        choices=("opportunities", "people", "interactions"),
        help="only these files (repeatable; default: all three)",
    ),
    JSON,
)
def export_csv(runtime: Runtime, folder: str, what: list[str] | None, as_json: bool) -> None:
    """Write your opportunities, people and ledger as CSV files for a spreadsheet.

    UTF-8 (with the byte-order mark Excel needs to show accents), commas, one row per record,
    times in your zone. opportunities.csv and people.csv come back in with `followup import csv`.

    Examples:
      followup export csv ~/followup-export
      followup export csv . --what opportunities
    """
    from followup.services.transfer import EXPORTS

    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInputError(
            f"{folder} is a file, not a folder.", hint="Give a folder to write the files in."
        )
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"Cannot create the folder {folder}: {exc.strerror}.", hint="Create it first, or choose another."
        ) from None
    files = runtime.app().transfer.export_sheets(what or EXPORTS)
    for name, (data, _rows) in files.items():
        _write(target / name, data)
    if as_json:
        emit_json({"files": [{"path": str(target / n), "rows": rows} for n, (_d, rows) in files.items()]})
        return
    for name, (_data, rows) in files.items():
        echo(f"Wrote {rows} rows to {target / name}")


@command(
    "export vcard",
    Arg(
        "path", nargs="?", default="-", metavar="FILE", help="the .vcf file to write (default, or -: stdout)"
    ),
    Arg(
        "--version", dest="version", choices=("3.0", "4.0"), default="3.0", help="vCard version (default 3.0)"
    ),
    JSON,
)
def export_vcard(runtime: Runtime, path: str, version: str, as_json: bool) -> None:
    """Write everyone as vCards for an address book (Google, Apple and Outlook read 3.0).

    Working e-mail addresses, phone, organisation, title, LinkedIn profile and notes; people in your
    network carry the category "network" (which `import vcard` reads back).

    Examples:
      followup export vcard ~/contacts.vcf
      followup export vcard --version 4.0 > contacts.vcf
    """
    target = _target(path, "contacts.vcf", as_json)
    data, count = runtime.app().transfer.export_cards(version=version)
    _write(target, data)
    if as_json:
        emit_json({"path": str(target), "cards": count, "version": version})
    elif target is not None:
        echo(f"Wrote {count} cards (vCard {version}) to {target}")


@command(
    "export json",
    Arg(
        "path",
        nargs="?",
        default="-",
        metavar="FILE",
        help="the backup file to write (default, or -: stdout)",
    ),
    JSON,
)
def export_json(runtime: Runtime, path: str, as_json: bool) -> None:
    """Write everything as one JSON backup, which `followup import json` restores exactly.

    Opportunities, people with all their addresses, roles, the whole ledger, interviews and their
    interviewers, planned follow-ups with your done/skip/snooze decisions, the outbox (drafts and
    sent notes), suggestions, mailbox sync state. Never a password: those are not in the database.
    The format is described in docs/json.md.

    Examples:
      followup export json ~/followup-backup.json
      followup export json | gzip > followup-backup.json.gz
    """
    target = _target(path, "followup-backup.json", as_json)
    data, counts = runtime.app().transfer.export_backup()
    _write(target, data)
    if as_json:
        emit_json({"path": str(target), "tables": counts})
    elif target is not None:
        echo(f"Wrote {_counted_tables(counts)} to {target}")


def _counted_tables(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if k != "meta") or "nothing"


COMMANDS = [import_linkedin, import_csv, import_vcard, import_json, export_csv, export_vcard, export_json]
