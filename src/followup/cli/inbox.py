"""Reading mail: `sync`, `watch`, `import mbox|maildir|eml|ics`, and the suggestions it leaves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import Progress, echo, secho, style
from followup.errors import InvalidInputError
from followup.shapes import report_json, suggestion_json

if TYPE_CHECKING:
    from followup.services.readreport import ReadReport

TRACE = Arg("--trace", action="store_true", help="one line per message: what it was, why, and what it did")
SUGGESTION = Arg(
    "suggestion", type=int, metavar="N", help="the suggestion's number from `followup suggestions`"
)


class _Bars:
    """One progress bar per folder or file, drawn only for long work on a terminal."""

    def __init__(self, label: str) -> None:
        self.label, self.what = label, ""
        self.bar: Progress | None = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None or what != self.what:
            self.close()
            self.what = what
            self.bar = Progress(f"{self.label} {what}", total=total, enabled=total >= 1000)
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__()
            self.bar = None


def print_report(report: ReadReport, *, quiet_when_empty: bool = False) -> None:
    for o in report.outcomes:
        why = f"{o.kind} ({o.because})" if o.because else o.kind or "-"
        echo(f"{o.where}  {o.message_id}  {why} → {o.effect}")
    for line in report.events:
        echo(line)
    for line in report.cancelled:
        echo(style("  → ", fg="green") + line)
    for line in report.skipped:
        secho(f"Skipped {line}", fg="yellow", err=True)
    if quiet_when_empty and not (report.events or report.skipped):
        return
    parts = [
        f"{report.read} read",
        f"{report.logged} logged",
        f"{report.auto_replies} out-of-office",
        f"{report.bounces} bounced",
        f"{report.invitations} invitation(s)",
        f"{report.suggestions} suggestion(s)",
    ]
    if report.known:
        parts.append(f"{report.known} already known")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    echo(", ".join(parts) + ".")
    if report.suggestions:
        echo("See them with `followup suggestions`; `followup confirm N` records one.")


@command("sync", TRACE, JSON)
def sync(runtime: Runtime, trace: bool, as_json: bool) -> None:
    """Read new mail in INBOX and Sent once (read-only): replies stop nudges, and more.

    A reply from someone in your job search is logged and cancels the pending check-ins of that
    conversation; an out-of-office is logged but answers nothing (a stated return date moves your
    next note after it); a bounce marks the address bad; an invitation puts the interview in your
    calendar; mail you sent from your phone counts as sent. Rejections, offers and other news
    become suggestions for you to confirm. The first sync reads the last `sync_days` (180) days.

    Examples:
      followup sync
      followup sync --trace
    """
    app = runtime.app()
    app.reading.trace = trace
    bars = _Bars("Reading")
    reader = app.mail_reader()
    try:
        report = app.mail_sync.sync(reader, progress=bars)
    finally:
        bars.close()
        reader.close()
    if as_json:
        emit_json(report_json(report))
    else:
        print_report(report)


@command("watch")
def watch(runtime: Runtime) -> None:
    """Keep reading mail as it arrives (IMAP IDLE) until interrupted with Ctrl-C.

    The connection is renewed before the server's 30-minute limit, and a dropped one is re-opened
    with growing pauses (1 s up to 5 min).

    Example:
      followup watch
    """
    app = runtime.app()
    app.mail_reader()  # the settings are checked before anything starts
    echo("Watching your mailbox (Ctrl-C stops).")
    try:
        app.mail_sync.watch(
            app.mail_reader,
            on_report=lambda r: print_report(r, quiet_when_empty=True),
            on_problem=lambda message: secho(message, fg="yellow", err=True),
        )
    except KeyboardInterrupt:
        echo("Stopped watching.")


_KIND_HELP = {
    "mbox": "an mbox file (a Gmail Takeout export, Thunderbird's folders)",
    "maildir": "a Maildir folder (the one holding cur/ and new/)",
    "eml": "one .eml file, or a folder of them",
}


def _import_mail(kind: str) -> Any:
    @command(f"import {kind}", Arg("path", metavar="PATH", help=_KIND_HELP[kind]), TRACE, JSON)
    def handler(runtime: Runtime, path: str, trace: bool, as_json: bool) -> None:
        app = runtime.app()
        app.reading.trace = trace
        bars = _Bars("Importing")
        try:
            report = app.mail_sync.import_files(app.mail_files, kind, Path(path), progress=bars)
        finally:
            bars.close()
        if as_json:
            emit_json(report_json(report))
        else:
            print_report(report)

    handler.help = (
        f"Read the mail in {_KIND_HELP[kind]} the way `sync` reads your mailbox.\n\n"
        "Importing the same file again changes nothing.\n\n"
        f"Example:\n  followup import {kind} {'~/Takeout/Mail/All mail.mbox' if kind == 'mbox' else 'PATH'}"
    )
    return handler


import_mbox = _import_mail("mbox")
import_maildir = _import_mail("maildir")
import_eml = _import_mail("eml")


@command("import ics", Arg("path", metavar="FILE", help="an .ics file with one or more invitations"), JSON)
def import_ics(runtime: Runtime, path: str, as_json: bool) -> None:
    """Read interview invitations from a calendar file, as if they had come by mail.

    A new event for one of your opportunities' people or organisations becomes an interview; an
    update (same UID, higher SEQUENCE) moves it; a cancellation cancels it.

    Example:
      followup import ics ~/Downloads/invite.ics
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    app = runtime.app()
    report = app.mail_sync.import_ics(data, Path(path).name, app.reading.invitations)
    if as_json:
        emit_json(report_json(report))
    else:
        print_report(report)


@command("suggestions", Arg("--all", dest="everything", action="store_true", help="also decided ones"), JSON)
def suggestions(runtime: Runtime, everything: bool, as_json: bool) -> None:
    """What the mailbox reader believes and you should confirm or dismiss.

    Examples:
      followup suggestions
      followup confirm 3
      followup dismiss 4
    """
    views = runtime.app().suggestions.pending(everything=everything)
    if as_json:
        emit_json([suggestion_json(v) for v in views])
        return
    if not views:
        echo("No suggestions." if everything else "No suggestions waiting.")
        return
    for v in views:
        s = v.suggestion
        state = "" if s.status.value == "pending" else f" [{s.status}]"
        echo(style(f"{s.id:>4}  {v.line}{state}", bold=True))
        echo(f"      {s.occurred_at:%d %b} from {s.sender_name or s.sender} <{s.sender}>: “{s.subject}”")
        echo(f"      because: {s.because}")
        if s.snippet:
            echo(f"      “{s.snippet}”")


@command(
    "confirm",
    SUGGESTION,
    Arg("--opp", dest="opportunity", metavar="OPP", help="the opportunity it is about, when none was found"),
    Arg("--company", help="mail about a new job: the company (default: guessed from the sender)"),
    Arg("--title", help="mail about a new job: the role (default: the subject)"),
    JSON,
)
def confirm(
    runtime: Runtime, suggestion: int, opportunity: str | None, company: str | None, title: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Confirm a suggestion: record the outcome, stage, application or interview it describes.

    Examples:
      followup confirm 3
      followup confirm 5 --opp northwind
      followup confirm 6 --company "Contoso" --title "Platform Engineer"
    """
    done = runtime.app().suggestions.confirm(
        suggestion, opportunity_ref=opportunity, company=company, title=title
    )
    if as_json:
        emit_json({**suggestion_json(done.view), "recorded": done.done})
    else:
        echo(f"Confirmed {suggestion}: {done.view.line} — {done.done}.")


@command("dismiss", SUGGESTION, JSON)
def dismiss(runtime: Runtime, suggestion: int, as_json: bool) -> None:
    """Dismiss a suggestion: nothing is recorded, and the same mail never suggests it again.

    Example:
      followup dismiss 4
    """
    view = runtime.app().suggestions.dismiss(suggestion)
    if as_json:
        emit_json(suggestion_json(view))
    else:
        echo(f"Dismissed {suggestion}: {view.line}.")


COMMANDS = [sync, watch, import_mbox, import_maildir, import_eml, import_ics, suggestions, confirm, dismiss]
