"""The `followup` command line: one parser, one error wrapper, services built once per run."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from types import ModuleType

from followup import __version__
from followup.cli import term
from followup.cli.parsing import Formatter, add_commands, call
from followup.cli.runtime import Runtime
from followup.errors import EXIT_CODES, FollowupError

# Each command's module is imported only when that command runs, so that `followup list` does not pay
# for the modules of `log`, `demo` or `add` (start-up time is most of what a listing costs). A group
# whose kinds live in several modules names them all (`import`: mail files in inbox.py, other programs'
# files and backups in transfer.py).
COMMANDS: dict[str, str | tuple[str, ...]] = {
    "init": "admin",
    "demo": "admin",
    "backup": "admin",
    "add": "records",
    "edit": "records",
    "delete": "records",
    "link": "records",
    "unlink": "records",
    "stage": "records",
    "log": "ledger",
    "list": "browse",
    "show": "browse",
    "playbook": "playbook",
    "today": "agenda",
    "upcoming": "agenda",
    "done": "agenda",
    "skip": "agenda",
    "snooze": "agenda",
    "why": "agenda",
    "export": "export",
    "draft": "outbox",
    "approve": "outbox",
    "outbox": "outbox",
    "send": "outbox",
    "resend": "outbox",
    "mark-sent": "outbox",
    "mail": "mail",
    "sync": "inbox",
    "watch": "inbox",
    "import": ("inbox", "transfer"),
    "suggestions": "inbox",
    "confirm": "inbox",
    "dismiss": "inbox",
    "serve": "serve",
    "stats": "stats",
}
GROUPS = {
    "add": "Record a new opportunity or person.",
    "edit": "Change the details of an opportunity or a person (only the options given).",
    "delete": "Delete an opportunity (with its roles, ledger and interviews) or a person.",
    "log": """Record an interaction: what happened, with whom, when.

Examples:
  followup log application northwind --at "2026-11-02"
  followup log interview northwind --with jane --with raj --at "tue 14:00" --duration 45m
  followup log call jane --no-answer
  followup log email-in jane --subject "Next steps"
  followup log outcome northwind filled""",
    "export": """Take your search out: a calendar, spreadsheets, an address book, a full backup.

Examples:
  followup export ics ~/followup.ics               # follow-ups and interviews for your calendar
  followup export csv ~/followup-export            # opportunities.csv, people.csv, interactions.csv
  followup export vcard ~/contacts.vcf             # everyone, for an address book
  followup export json ~/followup-backup.json      # everything; `import json` restores it""",
    "import": """Bring your search in: LinkedIn, spreadsheets, address books, backups, mail files.

Your LinkedIn network, a spreadsheet or another tracker's CSV export, vCards, a followup backup;
mail and invitations from files are read the way `sync` reads your mailbox.

Importing the same file twice changes nothing; `--dry-run` (linkedin, csv, vcard) shows what would
happen and writes nothing.

Examples:
  followup import linkedin ~/Downloads/Connections.csv
  followup import csv applications.csv --map company=Employer,title="Job Title" --dry-run
  followup import vcard contacts.vcf
  followup import json ~/followup-backup.json
  followup import mbox "~/Takeout/Mail/All mail Including Spam and Trash.mbox"
  followup import ics ~/Downloads/invite.ics""",
    "mail": """Set up sending (your address, the servers, the password) and try it.

Example:
  followup mail setup && followup mail test""",
    "playbook": """See, check or edit the rules that decide when each follow-up is due.

The built-in playbook applies until you create your own copy with `playbook init` (in your config
folder, or FOLLOWUP_PLAYBOOK); `playbook check` reports each problem with its line and a fix.

Example:
  followup playbook init && followup playbook check && followup playbook show""",
}
DESCRIPTION = """Keep every conversation of your job search alive.

Record opportunities, people and every interaction; see whose move it is.

Quick start:
  followup add opportunity "Northwind Traders" "Data Engineer" --source referral
  followup add person "Jane Doe" --email jane@northwind.example --org "Northwind Traders"
  followup link jane northwind --role hiring-manager
  followup log application northwind --at 2026-11-02
  followup list
  followup show northwind

References (OPP, PERSON) take the id printed by listings or a unique part of a name."""
EPILOG = "Exit codes:\n" + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())


def modules(names: list[str] | None = None) -> list[ModuleType]:
    """The command modules for these command names (all of them when None), each imported once."""
    wanted: dict[str, None] = {}
    for name in names if names is not None else list(COMMANDS):
        found = COMMANDS[name]
        wanted.update(dict.fromkeys((found,) if isinstance(found, str) else found))
    return [importlib.import_module(f"followup.cli.{m}") for m in wanted]


def parser(names: list[str] | None = None) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="followup", description=DESCRIPTION, epilog=EPILOG, formatter_class=Formatter
    )
    top.add_argument(
        "--db",
        metavar="URL",
        help="database: an SQLite file or a postgresql:// URL [env FOLLOWUP_DB; default: your data folder]",
    )
    top.add_argument("--version", action="version", version=f"followup {__version__}")
    sub = top.add_subparsers(title="commands", metavar="COMMAND")
    # one call for all modules: a group (`import`) gets its parser once, whichever modules fill it
    commands = [c for m in modules(names) for c in m.COMMANDS if c.name.split()[0] in (names or COMMANDS)]
    add_commands(sub, commands, GROUPS)
    return top


def _negative_dates(argv: list[str]) -> list[str]:
    """`--at -2w` → `--at=-2w`: argparse would take "-2w" for an option of its own."""
    out: list[str] = []
    for word in argv:
        previous = out[-1] if out else ""
        if previous.startswith("--") and "=" not in previous and _RELATIVE.match(word):
            out[-1] = f"{previous}={word}"
        else:
            out.append(word)
    return out


_RELATIVE = re.compile(r"^-\d+(\.\d+)?\s*[a-z]", re.IGNORECASE)


def _command_name(argv: list[str]) -> str | None:
    """The first word that is not a global option (or its value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a FollowupError becomes its message on stderr and its exit code, never a traceback."""
    args = _negative_dates(sys.argv[1:] if argv is None else argv)
    name = _command_name(args)
    runtime: Runtime | None = None
    try:
        namespace = parser([name] if name in COMMANDS else None).parse_args(args)
        if not hasattr(namespace, "_command"):
            parser().print_help()
            return
        runtime = Runtime(namespace.db)
        call(namespace._command, namespace, runtime)
    except FollowupError as exc:
        term.secho(f"Error: {exc.message}", fg="red", err=True)
        if exc.hint:
            term.echo(exc.hint, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        term.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `followup list | head`: the reader left; not an error
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # the last line of defence: a bug must not dump a traceback on the user
        if os.environ.get("FOLLOWUP_DEBUG"):
            raise
        term.secho(f"Unexpected error: {type(exc).__name__}: {exc}", fg="red", err=True)
        term.echo("This is a bug in followup; FOLLOWUP_DEBUG=1 shows the details for a report.", err=True)
        sys.exit(1)
    finally:
        if runtime is not None:
            runtime.close()
