"""Exports: `export ics` writes the follow-ups and interviews as an iCalendar file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

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


COMMANDS = [ics]
