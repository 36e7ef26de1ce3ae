"""Turning records into `--json` (stable keys, ISO-8601 UTC) and into lines for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from followup.cli.parsing import Arg
from followup.cli.term import echo, style, unstyle
from followup.domain.model import (
    Interaction,
    InteractionKind,
    Interview,
    OpportunitySummary,
    PersonSummary,
    Stage,
)

if TYPE_CHECKING:
    from followup.domain.agenda import Move
    from followup.services.browsing import OpportunityDetail, PersonDetail

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


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a Z, the one time format of `--json`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


# JSON shapes -------------------------------------------------------------------------------------


def opportunity_json(s: OpportunitySummary) -> dict[str, Any]:
    o = s.opportunity
    return {
        "id": o.id,
        "company": o.company,
        "title": o.title,
        "stage": s.state.stage.value,
        "url": o.url,
        "source": o.source.value if o.source else None,
        "location": o.location,
        "applied_at": iso(s.state.applied_at),
        "last_contact_at": iso(s.state.last_contact_at),
        "decision_expected": o.decision_expected.isoformat() if o.decision_expected else None,
        "notes": o.notes,
        "created_at": iso(o.created_at),
        "people": [{"id": pid, "name": name, "role": role.value} for pid, name, role in s.people],
    }


def person_json(s: PersonSummary) -> dict[str, Any]:
    p = s.person
    return {
        "id": p.id,
        "name": p.name,
        "emails": [{"address": e.address, "bad": e.bad} for e in p.emails],
        "phone": p.phone,
        "organisation": p.organisation,
        "title": p.title,
        "timezone": p.timezone,
        "country": p.country,
        "cadence_days": p.cadence_days,
        "in_network": p.in_network,
        "linkedin_url": p.linkedin_url,
        "notes": p.notes,
        "created_at": iso(p.created_at),
        "last_contact_at": iso(s.last_contact_at),
        "roles": [
            {"opportunity_id": oid, "company": company, "role": role.value} for oid, company, role in s.roles
        ],
    }


def interaction_json(e: Interaction) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "direction": e.direction.value,
        "occurred_at": iso(e.occurred_at),
        "recorded_at": iso(e.recorded_at),
        "opportunity_id": e.opportunity_id,
        "people": list(e.person_ids),
        "subject": e.subject,
        "notes": e.notes,
        "answered": e.answered,
        "caller": e.caller.value if e.caller else None,
        "message_id": e.message_id,
        "in_reply_to": e.in_reply_to,
        "references": list(e.references),
        "outcome": e.outcome.value if e.outcome else None,
        "stage": e.stage.value if e.stage else None,
        "interview_id": e.interview_id,
    }


def interview_json(v: Interview) -> dict[str, Any]:
    return {
        "id": v.id,
        "opportunity_id": v.opportunity_id,
        "starts_at": iso(v.starts_at),
        "ends_at": iso(v.ends_at),
        "timezone": v.timezone,
        "kind": v.kind.value,
        "location": v.location,
        "interviewers": list(v.interviewer_ids),
        "notes": v.notes,
        "uid": v.uid,
        "sequence": v.sequence,
        "status": v.status.value,
    }


def opportunity_detail_json(d: OpportunityDetail) -> dict[str, Any]:
    return {
        "opportunity": opportunity_json(d.summary),
        "people": [{"id": p.id, "name": p.name, "roles": [r.value for r in roles]} for p, roles in d.people],
        "interviews": [interview_json(v) for v in d.interviews],
        "timeline": [interaction_json(e) for e in d.ledger],
    }


def person_detail_json(d: PersonDetail) -> dict[str, Any]:
    return {
        "person": person_json(d.summary),
        "opportunities": [
            {**opportunity_json(o), "roles": [r.value for r in roles]} for o, roles in d.opportunities
        ],
        "interviews": [interview_json(v) for v in d.interviews],
        "timeline": [interaction_json(e) for e in d.ledger],
    }


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


def move_json(move: Move) -> dict[str, Any]:
    return {
        "who": move.who,
        "what": move.what,
        "since": iso(move.since),
        "next_nudge": iso(move.next_nudge),
        "touch_id": move.touch_id,
    }


def describe_move(move: Move, zone: tzinfo, now: datetime) -> str:
    if move.who == "you":
        return f"yours — {move.what} (touch {move.touch_id}; followup why {move.touch_id})"
    if move.who == "them":
        return f"theirs — {move.what}; next nudge {when(move.next_nudge, zone, now=now)}"
    return "nobody's — nothing pending"
