"""The agenda: `today`, `upcoming`, and resolving touches by hand (`done`, `skip`, `snooze`, `why`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from followup.cli.output import JSON, emit_json, when
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import echo, secho, style
from followup.domain.agenda import TouchRecord
from followup.domain.outbox import OutboxMessage, OutboxState
from followup.shapes import touch_json

if TYPE_CHECKING:
    from followup.services.planning import AgendaRow

TOUCH = Arg("touch", metavar="TOUCH", help="the touch id shown by `today` or `upcoming`")


def _line(
    r: TouchRecord, people: dict[int, str], opportunities: dict[int, str], zone: tzinfo, now: datetime
) -> str:
    t = r.touch
    who = people.get(t.person_id, "") if t.person_id is not None else "no contact yet"
    where = opportunities.get(t.opportunity_id, "").split(" — ")[0] if t.opportunity_id is not None else ""
    due = (
        f"by {when(r.due_by, zone, now=now)}"
        if r.due_from <= now
        else f"on {when(r.due_from, zone, now=now)}"
    )
    head = f"{r.id:>5}  {t.kind.value:<14} {who}{' · ' + where if where else ''}  ({due})"
    return f"{head}\n       {t.reason}"


TITLES = {"overdue": ("Overdue", "red"), "today": ("Due today", "yellow"), "waiting": ("Waiting on others",
          "bright_black"), "upcoming": ("Coming up", "cyan")}  # fmt: skip


def _gather(runtime: Runtime, *, days: int, as_json: bool) -> dict[str, list[str]]:
    """Each section's lines (or encoded JSON objects), built while the agenda streams past: only the
    text is kept, never the records. With JSON on a pipe the first section, `overdue` (usually the
    longest), is written out as it comes instead of being kept (see `_print_json`)."""
    ctx = runtime.app().context
    now, zone = ctx.now(), ctx.tz
    found: dict[str, list[str]] = {name: [] for name in TITLES}
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    stream_first = as_json and not sys.stdout.isatty()
    if stream_first:
        sys.stdout.write('{"overdue":[')
    rows: list[AgendaRow] = []
    for row in runtime.app().planning.agenda_rows(days=days):
        if not as_json:
            rows.append(row)
            continue
        item = encode(touch_json(row.record, row.people, row.opportunities))
        if stream_first and row.section == "overdue":
            sys.stdout.write("," + item if found["overdue"] else item)
            found["overdue"].append("")  # counted, already written
        else:
            found[row.section].append(item)
    if rows:
        # a person reads the first lines: their notes are written out, the rest show stored notes only
        due = [r.record for r in rows if r.section in ("overdue", "today")]
        notes = runtime.app().drafting.first_lines(due, render=_DRAFTS_SHOWN)
        for row in rows:
            line = _line(row.record, row.people, row.opportunities, zone, now)
            note = notes.get(row.record.id)
            if note:
                note = note if len(note) <= 90 else note[:89].rstrip() + "…"
                line += "\n       " + style("✉ " + note, fg="bright_black")
            found[row.section].append(line)
    return found


_DRAFTS_SHOWN = 30  # notes written from templates for `today` (each costs a few queries)


def _print_json(sections: dict[str, list[str]], extra: dict[str, Any]) -> None:
    """The rest of the JSON object after `_gather`: indented for a person at a terminal; on a pipe,
    written piece by piece after the `overdue` array that `_gather` already wrote."""
    if sys.stdout.isatty():
        emit_json({**{k: [json.loads(item) for item in v] for k, v in sections.items()}, **extra})
        return
    write = sys.stdout.write
    for name, items in sections.items():
        if name != "overdue":
            write(f',"{name}":[')
            for i, item in enumerate(items):
                write("," + item if i else item)
        write("]")
    for key, value in extra.items():
        write(f",{json.dumps(key)}:{json.dumps(value, ensure_ascii=False)}")
    write("}\n")
    sys.stdout.flush()


def _print_sections(sections: dict[str, list[str]], names: Sequence[str]) -> None:
    for name in names:
        if sections[name]:
            title, colour = TITLES[name]
            secho(f"{title} ({len(sections[name])})", fg=colour, bold=True)
            for line in sections[name]:
                echo(line)


@command("today", JSON)
def today(runtime: Runtime, as_json: bool) -> None:
    """The agenda: what is overdue, what is due today, and who you are waiting on.

    Example: followup today
    """
    app = runtime.app()
    sections = _gather(runtime, days=7, as_json=as_json)
    del sections["upcoming"]
    problems = app.planning.place_problems()
    stuck = app.outbox.messages([OutboxState.UNCERTAIN, OutboxState.FAILED])
    suggestions = app.suggestions.waiting()
    if as_json:
        from followup.shapes import message_json

        extra = {"problems": list(problems.values()), "notes": [message_json(m) for m in stuck]}
        _print_json(sections, {**extra, "suggestions": suggestions})
    else:
        if not (sections["overdue"] or sections["today"]):
            echo("Nothing due today.")
        _print_sections(sections, ("overdue", "today", "waiting"))
        _print_stuck(stuck)
        if suggestions:
            secho(
                f"Suggestions from your mail ({suggestions}): see `followup suggestions`",
                fg="cyan",
                bold=True,
            )
        for problem in problems.values():
            secho(f"Problem: {problem}", fg="yellow", err=True)
    _playbook_problems(runtime)


def _print_stuck(messages: Sequence[OutboxMessage]) -> None:
    if not messages:
        return
    secho(f"Notes that need you ({len(messages)})", fg="red", bold=True)
    for m in messages:
        echo(f"{m.touch_id or '-':>5}  {m.state.value:<14} {m.to_name} “{m.subject}”")
        if m.state is OutboxState.UNCERTAIN:
            echo(f"       may have been sent: check your Sent folder, then `followup mark-sent {m.touch_id}` "
                 f"or `followup resend {m.touch_id}`")  # fmt: skip
        else:
            echo(f"       {m.last_error or 'failed'}: fix it, then `followup resend {m.touch_id}`")


@command("upcoming", Arg("--days", type=int, default=7, help="how far ahead (default 7)"), JSON)
def upcoming(runtime: Runtime, days: int, as_json: bool) -> None:
    """What comes due in the next days, today and anything overdue included, by section.

    Example: followup upcoming --days 14
    """
    sections = _gather(runtime, days=days, as_json=as_json)
    if as_json:
        _print_json(sections, {"days": days})
        return
    if not any(sections.values()):
        echo(f"Nothing due in the next {days} days.")
    _print_sections(sections, ("overdue", "today", "upcoming", "waiting"))


def _resolved(runtime: Runtime, record: TouchRecord, as_json: bool, verb: str) -> None:
    app = runtime.app()
    labels = app.planning.labels([record])
    if as_json:
        emit_json(touch_json(record, *labels))
    else:
        echo(f"{verb} touch {record.id}: {record.touch.reason}")


@command("done", TOUCH, JSON)
def done(runtime: Runtime, touch: str, as_json: bool) -> None:
    """Mark a touch as done (you followed up outside followup).

    Example: followup done 12
    """
    _resolved(runtime, runtime.app().planning.done(touch), as_json, "Done:")


@command("skip", TOUCH, JSON)
def skip(runtime: Runtime, touch: str, as_json: bool) -> None:
    """Skip a touch: it will not be proposed again.

    Example: followup skip 12
    """
    _resolved(runtime, runtime.app().planning.skip(touch), as_json, "Skipped")


@command(
    "snooze",
    TOUCH,
    Arg("when", nargs="?", metavar="WHEN", help="until when: +3d, tomorrow 9:00, next mon, 2026-12-01"),
    Arg("--until", dest="until", metavar="WHEN", help="the same as WHEN"),
    JSON,
)
def snooze(runtime: Runtime, touch: str, when: str | None, until: str | None, as_json: bool) -> None:
    """Put a touch off until later (never earlier than it was due).

    Examples:
      followup snooze 12 +3d
      followup snooze 12 --until "next tue 10:00"
    """
    from followup.errors import InvalidInputError

    target = until or when
    if not target:
        raise InvalidInputError("Say until when.", hint="followup snooze 12 +3d  or  --until 2026-12-01")
    record = runtime.app().planning.snooze(touch, target)
    if as_json:
        _resolved(runtime, record, as_json, "Snoozed")
        return
    zone, now = runtime.app().context.tz, runtime.app().context.now()
    echo(f"Snoozed touch {record.id} until {when_(record, zone, now)}: {record.touch.reason}")


def when_(record: TouchRecord, zone: tzinfo, now: datetime) -> str:
    return when(record.due_from, zone, now=now)


@command("why", TOUCH, JSON)
def why(runtime: Runtime, touch: str, as_json: bool) -> None:
    """Why a touch is proposed: the rule, the dates and how they were computed.

    Example: followup why 12
    """
    explanation = runtime.app().planning.why(touch)
    record = explanation.record
    if as_json:
        labels = runtime.app().planning.labels([record])
        emit_json({**touch_json(record, *labels), "explanation": list(explanation.lines)})
        return
    echo(style(f"Touch {record.id}: {record.touch.kind}", bold=True) + f" ({record.state})")
    echo(f"  {record.touch.reason}")
    for line in explanation.lines:
        echo(f"  · {line}")


def _playbook_problems(runtime: Runtime) -> None:
    problems = runtime.app().playbook_problems
    if problems:
        secho(
            f"Your playbook ({runtime.app().playbook_source}) has {len(problems)} problem(s); "
            "the valid rules apply. See `followup playbook check`.",
            fg="yellow",
            err=True,
        )


COMMANDS = [today, upcoming, done, skip, snooze, why]
