"""Notes: `draft`, `approve`, `outbox`, `send`, and deciding about uncertain notes (`resend`, `mark-sent`)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING, Any

from followup.cli.output import JSON, emit_json, when
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import Progress, echo, secho, style
from followup.domain.outbox import OutboxState
from followup.errors import DeliveryError, InvalidInputError
from followup.shapes import draft_json, message_json

if TYPE_CHECKING:
    from followup.services.drafting import DraftView
    from followup.services.outbox import SendReport

TOUCH = Arg("touch", metavar="TOUCH", help="the touch id shown by `today`, `upcoming` or `outbox`")


def _show(runtime: Runtime, view: DraftView) -> None:
    ctx = runtime.app().context
    now, record, d = ctx.now(), view.record, view.draft
    head = f"Touch {record.id} · {record.touch.kind} · {view.state}"
    if d is not None:
        head += f" · to {d.to_name} <{d.to_address or 'no address'}>"
    echo(style(head, bold=True))
    echo(f"  {record.touch.reason}")
    if view.send_after is not None and record.touch.channel.value == "email":
        echo(f"  sends {when(view.send_after, ctx.tz, now=now)} (the next good moment in their time zone)")
    if view.problem is not None:
        secho(f"The note cannot be written: {view.problem}", fg="red", err=True)
        return
    if d is None:
        return
    if d.in_reply_to:
        echo(f"  in reply to {d.in_reply_to}")
    echo()
    echo(f"Subject: {d.subject}")
    echo()
    echo(d.body.rstrip())
    if view.findings:
        echo()
        for f in view.findings:
            colour = "red" if f.severity.value == "error" else "yellow"
            secho(f"{f.severity}: {f.message}", fg=colour)
            echo(f"  {f.hint}")


@command(
    "draft",
    TOUCH,
    Arg("--edit", action="store_true", help="open the note in $EDITOR (on a terminal)"),
    Arg(
        "--file",
        metavar="PATH",
        help="take the note from a file (- for stdin): Subject: line, blank line, text",
    ),
    Arg("--discard", action="store_true", help="forget your changes; the template writes the note anew"),
    JSON,
)
def draft(runtime: Runtime, touch: str, edit: bool, file: str | None, discard: bool, as_json: bool) -> None:
    """Show the note for a touch, with the etiquette check; edit it or start over.

    Examples:
      followup draft 12
      followup draft 12 --edit
      followup draft 12 --file note.txt
    """
    drafting = runtime.app().drafting
    if discard:
        drafting.discard(touch)
    if file is not None:
        text = sys.stdin.read() if file == "-" else _read(file)
        view = drafting.edit(touch, text)
    elif edit:
        view = drafting.edit(touch, _edit_in_editor(drafting.draft(touch)))
    else:
        view = drafting.draft(touch)
    if as_json:
        emit_json(draft_json(view))
    else:
        _show(runtime, view)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc}", hint="Give a UTF-8 text file.") from None


def _edit_in_editor(view: DraftView) -> str:
    from followup.domain.drafts import as_text

    if not sys.stdin.isatty():
        raise InvalidInputError(
            "--edit needs a terminal.", hint="In a script, give the note with --file PATH (or --file -)."
        )
    text = as_text("", "") if view.draft is None else as_text(view.draft.subject, view.draft.body)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="followup-note-", delete=False) as handle:
        handle.write(text)
        path = handle.name
    try:
        result = subprocess.run([*shlex.split(editor), path], check=False)  # noqa: S603 - the user's editor
        if result.returncode != 0:
            raise InvalidInputError(
                f"The editor ({editor}) exited with {result.returncode}; nothing changed."
            )
        return _read(path)
    finally:
        os.unlink(path)


@command(
    "approve",
    TOUCH,
    Arg("--force", action="store_true", help="approve even though the etiquette check found errors"),
    Arg("--at", metavar="WHEN", help="send at this time instead of the next good moment for them"),
    JSON,
)
def approve(runtime: Runtime, touch: str, force: bool, at: str | None, as_json: bool) -> None:
    """Approve a touch's note: its Message-ID and Date are fixed and `send` delivers it on time.

    Examples:
      followup approve 12
      followup approve 12 --at "tue 9:30"
    """
    view = runtime.app().drafting.approve(touch, force=force, at=at)
    if as_json:
        emit_json(draft_json(view))
        return
    ctx = runtime.app().context
    sends = when(view.send_after, ctx.tz, now=ctx.now()) if view.send_after else "now"
    echo(f"Approved touch {view.record.id}: sends {sends} with `followup send`.")
    for f in view.findings:
        secho(f"{f.severity}: {f.message}", fg="yellow", err=True)


STATE = Arg(
    "--state",
    action="append",
    choices=[s.value for s in OutboxState],
    help="only notes in this state (repeat for several)",
)


@command("outbox", STATE, JSON)
def outbox(runtime: Runtime, state: list[str] | None, as_json: bool) -> None:
    """The notes you wrote or approved, and what became of them.

    Examples:
      followup outbox
      followup outbox --state uncertain
    """
    states = [OutboxState(s) for s in state or ()]
    messages = runtime.app().outbox.messages(states)
    if as_json:
        emit_json([message_json(m) for m in messages])
        return
    if not messages:
        echo("The outbox is empty. Write a note with `followup draft TOUCH`.")
        return
    ctx = runtime.app().context
    now = ctx.now()
    colours = {"uncertain": "red", "failed": "red", "approved": "cyan", "sent": "green", "sending": "yellow"}
    for m in messages:
        status = style(f"{m.state.value:<16}", fg=colours.get(m.state.value))
        if m.state is OutboxState.APPROVED and m.send_after:
            detail = f"sends {when(m.send_after, ctx.tz, now=now)}"
        elif m.sent_at:
            detail = f"sent {when(m.sent_at, ctx.tz, now=now)}"
        else:
            detail = ""
        echo(f"{status} {m.touch_id or '-':>5}  {m.to_name} <{m.to_address}>  “{m.subject}”  {detail}")
        if m.last_error and m.state is not OutboxState.SENT:
            echo(f"{'':23}last error: {m.last_error}")
        if m.state is OutboxState.UNCERTAIN:
            echo(
                f"{'':23}it may have been sent: look in your Sent folder, then "
                f"`followup mark-sent {m.touch_id}` or `followup resend {m.touch_id}`"
            )


@command(
    "send",
    Arg("--now", action="store_true", help="send approved notes now, even before their send time"),
    Arg(
        "--to-drafts-folder",
        action="store_true",
        help="put approved notes in your mail Drafts folder instead",
    ),
    JSON,
)
def send(runtime: Runtime, now: bool, to_drafts_folder: bool, as_json: bool) -> None:
    """Send the approved notes whose time has come, over one connection; never one twice.

    A note left half-sent by a crash is looked up in your Sent folder (IMAP) first; without that
    proof it is shown as uncertain for you to decide, never sent again by itself.

    Examples:
      followup send
      followup send --now
      followup send --to-drafts-folder
    """
    box = runtime.app().outbox
    progress: Progress | None = None

    def tick(done: int, total: int) -> None:
        nonlocal progress
        if progress is None:
            progress = Progress("Sending", total=total, enabled=total >= 5)
        progress.update(done)

    try:
        report = (
            box.to_drafts_folder(progress=tick)
            if to_drafts_folder
            else box.send(ignore_send_time=now, progress=tick)
        )
    finally:
        if progress is not None:
            progress.__exit__()
    if as_json:
        emit_json(_report_json(report))
    else:
        _print_report(runtime, report, to_drafts_folder)
    if report.server_error is not None:
        raise report.server_error
    if report.failed:
        raise DeliveryError(
            f"{len(report.failed)} note(s) could not be sent; see `followup outbox --state failed`.",
            reply=report.failed[0].last_error or "",
            permanent=True,
        )


def _report_json(report: SendReport) -> dict[str, Any]:
    return {
        "sent": [message_json(m) for m in report.sent],
        "recovered": [message_json(m) for m in report.recovered],
        "retrying": [message_json(m) for m in report.retrying],
        "failed": [message_json(m) for m in report.failed],
        "uncertain": [message_json(m) for m in report.uncertain],
        "waiting": report.waiting,
        "error": report.server_error.message if report.server_error else None,
        "warnings": report.warnings,
    }


def _print_report(runtime: Runtime, report: SendReport, to_drafts_folder: bool) -> None:
    verb = "Placed in your Drafts folder" if to_drafts_folder else "Sent"
    for m in report.sent:
        echo(f"{verb}: {m.to_name} <{m.to_address}> “{m.subject}”")
    for m in report.recovered:
        echo(f"Found in your Sent folder (sent before an interruption): “{m.subject}”")
    for m in report.retrying:
        ctx = runtime.app().context
        at = when(m.next_attempt_at, ctx.tz, now=ctx.now()) if m.next_attempt_at else "later"
        secho(f"Not sent yet (will try again {at}): “{m.subject}”: {m.last_error}", fg="yellow", err=True)
    for m in report.failed:
        secho(f"Failed: “{m.subject}” to {m.to_address}: {m.last_error}", fg="red", err=True)
    for m in report.uncertain:
        secho(
            f"Uncertain: “{m.subject}” may have been sent before an interruption. Check your Sent folder, "
            f"then `followup mark-sent {m.touch_id}` or `followup resend {m.touch_id}`.",
            fg="red",
            err=True,
        )
    for warning in report.warnings:
        secho(warning, fg="yellow", err=True)
    if not (report.sent or report.recovered or report.failed or report.uncertain or report.retrying):
        echo(
            "Nothing to send now."
            + (f" {report.waiting} approved note(s) wait for their time." if report.waiting else "")
        )
    elif report.waiting:
        echo(f"{report.waiting} approved note(s) wait for their time (`followup send --now` sends them now).")


@command("resend", TOUCH, JSON)
def resend(runtime: Runtime, touch: str, as_json: bool) -> None:
    """Send an uncertain or failed note again (you checked: it did not arrive).

    Example: followup resend 12 && followup send --now
    """
    message = runtime.app().outbox.resend(touch)
    if as_json:
        emit_json(message_json(message))
    else:
        echo(f"Touch {touch}'s note is approved again; `followup send` delivers it.")


@command("mark-sent", TOUCH, JSON)
def mark_sent(runtime: Runtime, touch: str, as_json: bool) -> None:
    """Record an uncertain note as sent (you found it in your Sent folder).

    Example: followup mark-sent 12
    """
    message = runtime.app().outbox.mark_sent(touch)
    if as_json:
        emit_json(message_json(message))
    else:
        echo(f"Recorded as sent: “{message.subject}”.")


COMMANDS = [draft, approve, outbox, send, resend, mark_sent]
