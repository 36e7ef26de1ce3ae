"""Turning records into `--json` (stable keys, ISO-8601 UTC) and into lines for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from followup.cli.parsing import Arg
from followup.cli.term import echo, style, unstyle
from followup.domain.model import (
    Interaction,
    InteractionKind,
    Stage,
)

if TYPE_CHECKING:
    from followup.domain.agenda import Move

STAGE_COLOURS = {
    Stage.LEAD: "bright_black",
    Stage.APPLIED: "blue",
    Stage.SCREENING: "cyan",
    Stage.INTERVIEWING: "magenta",
    Stage.OFFER: "green",
    Stage.ACCEPTED: "bright_green",
    Stage.REJECTED: "red",
    Stage.FILLED: "red",
    Stage.WITHDRAWN: "yellow",
    Stage.COLD: "bright_black",
}


# The one `--json` flag every listing and show command shares.
JSON = Arg("--json", dest="as_json", action="store_true", help="print JSON with stable keys (docs/json.md)")


def emit_json(data: object) -> None:
    """Indented for a person at a terminal; compact for a pipe (the C encoder, several times faster)."""
    if sys.stdout.isatty():
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


# JSON shapes -------------------------------------------------------------------------------------


# Human output ------------------------------------------------------------------------------------


def when(moment: datetime | None, zone: tzinfo, *, now: datetime) -> str:
    """A short local date: "today 14:30", "Tue 3 Nov", "12 Mar 2025"."""
    if moment is None:
        return "—"
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    days = (local.date() - today).days
    if days == 0:
        return local.strftime("today %H:%M")
    if days == -1:
        return local.strftime("yesterday %H:%M")
    if days == 1:
        return local.strftime("tomorrow %H:%M")
    if abs(days) < 180:
        return local.strftime("%a %d %b").replace(" 0", " ")
    return local.strftime("%d %b %Y").lstrip("0")


def stage_label(stage: Stage, *, width: int = 12) -> str:
    return style(stage.value.ljust(width), fg=STAGE_COLOURS[stage])


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, styled: Sequence[int] = ()) -> None:
    """Columns padded to their widest cell; cells in `styled` carry ANSI codes and a fixed width."""
    rows = [list(r) for r in rows]
    widths = [max([len(h)] + [len(unstyle(r[i])) for r in rows]) for i, h in enumerate(headers)]
    header = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    echo(style(header, bold=True))
    for row in rows:
        cells = [
            cell + " " * (w - len(unstyle(cell))) if i in styled else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        echo("  ".join(cells).rstrip())


ENTRY_LABELS = {
    InteractionKind.EMAIL: "email",
    InteractionKind.CALL: "call",
    InteractionKind.VOICEMAIL: "voicemail",
    InteractionKind.MEETING: "meeting",
    InteractionKind.INTERVIEW: "interview",
    InteractionKind.LINKEDIN: "LinkedIn",
    InteractionKind.APPLICATION: "applied",
    InteractionKind.RESUME_SENT: "résumé sent",
    InteractionKind.OUTCOME: "outcome",
    InteractionKind.NOTE: "note",
    InteractionKind.STAGE: "stage",
}


def describe_entry(e: Interaction, names: dict[int, str]) -> str:
    """One line for a timeline: what happened, with whom, the subject or notes."""
    who = ", ".join(names.get(pid, f"person {pid}") for pid in e.person_ids)
    arrow = {"in": "from", "out": "to"}.get(e.direction.value, "with")
    parts = [ENTRY_LABELS[e.kind]]
    if e.kind is InteractionKind.STAGE and e.stage:
        parts.append(f"→ {e.stage.value}")
    if e.kind is InteractionKind.OUTCOME and e.outcome:
        parts.append(f"→ {e.outcome.value}")
    if who:
        parts.append(f"{arrow} {who}")
    if e.kind is InteractionKind.CALL and e.answered is not None:
        parts.append("(answered)" if e.answered else "(no answer)")
    if e.subject:
        parts.append(f"“{e.subject}”")
    if e.notes:
        first = e.notes.splitlines()[0]
        more = "…" if len(first) > 80 or len(e.notes.splitlines()) > 1 else ""
        parts.append(f"— {first[:80]}{more}")
    return " ".join(p for p in parts if p)


def describe_move(move: Move, zone: tzinfo, now: datetime) -> str:
    if move.who == "you":
        return f"yours — {move.what} (touch {move.touch_id}; followup why {move.touch_id})"
    if move.who == "them":
        return f"theirs — {move.what}; next nudge {when(move.next_nudge, zone, now=now)}"
    return "nobody's — nothing pending"
