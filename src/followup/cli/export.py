"""Exports: `export ics` (follow-ups and interviews for a calendar), `export csv|vcard|json`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import echo
from followup.errors import InvalidInputError


@command(
    "export ics",
    Arg(
        "path", nargs="?", default="-", metavar="PATH", help="the .ics file to write (default, or -: stdout)"
    ),
)
def ics(runtime: Runtime, path: str) -> None:
    """Write every follow-up as a to-do and every interview as an event, in one iCalendar file.

    Pending touches carry an alarm; done, skipped and cancelled ones are written too (COMPLETED or
    CANCELLED), so a calendar that re-imports or subscribes to the file updates instead of keeping
    stale items. Run it again whenever you like: UIDs stay the same and SEQUENCE rises on changes.

    Example: followup export ics ~/followup.ics
    """
    target = None if path == "-" else checked(Path(path).expanduser(), "followup.ics")
    app = runtime.app()
    feed = app.calendar_export.feed(app.context.now())
    if target is None:
        sys.stdout.write(feed.text)
        sys.stdout.flush()
        return
    write_atomically(target, feed.text.encode("utf-8"))
    echo(f"Wrote {feed.todos} to-dos and {feed.events} events to {target}", err=True)


def checked(target: Path, example: str) -> Path:
    """A file to write: not a folder, in a folder that exists."""
    if target.is_dir():
        raise InvalidInputError(f"{target} is a folder.", hint=f"Give a file name, e.g. {target / example}.")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInputError(
            f"The folder {folder} does not exist.",
            hint=f"Create it first (mkdir -p {folder}), choose another PATH, or give - for standard output.",
        )
    return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write a temporary file beside the target, then rename it over the target: a calendar that reads
    the file meanwhile sees the old or the new version, never half of one."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o600  # it holds contact details: readable by the user only, unless they chose otherwise
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InvalidInputError(
            f"Cannot write in {target.parent}: {exc.strerror}.", hint="Choose a folder you can write to."
        ) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInputError(
            f"Cannot write {target}: {exc.strerror}.", hint="Choose a file you can write to."
        ) from exc


# Spreadsheets, address books and the backup ---------------------------------------------------------


def _target(path: str, example: str, as_json: bool) -> Path | None:
    if path == "-":
        if as_json:
            raise InvalidInputError("--json describes a file written; here the output goes to stdout.", hint=(
                f"Give a FILE (e.g. {example}) with --json, or leave --json out."))  # fmt: skip
        return None
    return checked(Path(path).expanduser(), example)


def _write(target: Path | None, data: bytes) -> None:
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(target, data)


@command(
    "export csv",
    Arg(
        "folder",
        nargs="?",
        default=".",
        metavar="DIR",
        help="the folder to write opportunities.csv, people.csv, interactions.csv in (default: here)",
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


COMMANDS = [ics, export_csv, export_vcard, export_json]
