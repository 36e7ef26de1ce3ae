"""The agenda: stored touches with the user's decisions on top, sorted by the clock; whose move it is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup.domain.touches import Decision, Touch, TouchKind, TouchStatus

# Touches that wait on the other side: until they are due, it is their move.
THEY_OWE = frozenset(
    {TouchKind.CHECK_IN, TouchKind.POST_INTERVIEW, TouchKind.RESUME_CHECK, TouchKind.GO_COLD}
)


@dataclass(frozen=True)
class TouchRecord:
    """A stored touch: the planner's proposal, its short id, and what the user decided."""

    id: int
    touch: Touch
    sequence: int = 0
    decision: Decision | None = None
    decided_at: datetime | None = None
    snoozed_until: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.touch.status is TouchStatus.PENDING and self.decision not in {
            Decision.DONE,
            Decision.SKIPPED,
        }

    @property
    def state(self) -> str:
        if self.touch.status is not TouchStatus.PENDING:
            return self.touch.status.value
        return self.decision.value if self.decision else TouchStatus.PENDING.value

    @property
    def due_from(self) -> datetime:
        """Snoozing moves a touch later, never earlier."""
        if self.decision is Decision.SNOOZED and self.snoozed_until is not None:
            return max(self.touch.due_from, self.snoozed_until)
        return self.touch.due_from

    @property
    def due_by(self) -> datetime:
        return max(self.touch.due_by, self.due_from + (self.touch.due_by - self.touch.due_from))


@dataclass(frozen=True)
class Agenda:
    overdue: tuple[TouchRecord, ...]
    today: tuple[TouchRecord, ...]
    waiting: tuple[TouchRecord, ...]  # their move: the next nudge is planned, not yet due
    upcoming: tuple[TouchRecord, ...]


def end_of_day(now: datetime, zone: str, *, days: int = 0) -> datetime:
    """Midnight at the end of today (plus `days`) in the user's zone."""
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date() + timedelta(days=days + 1), datetime.min.time(), ZoneInfo(zone))


SECTIONS = ("overdue", "today", "waiting", "upcoming")


def section(record: TouchRecord, *, now: datetime, tonight: datetime, horizon: datetime) -> str | None:
    """Where a touch goes in the agenda: overdue, today, waiting (their move), upcoming, or nowhere."""
    if not record.is_open:
        return None
    if record.due_by < now:
        return "overdue"
    if record.due_from < tonight:
        return "today"
    if record.touch.kind in THEY_OWE:
        return "waiting"
    return "upcoming" if record.due_from < horizon else None


def build_agenda(records: Iterable[TouchRecord], *, now: datetime, zone: str, days: int = 7) -> Agenda:
    found: dict[str, list[TouchRecord]] = {name: [] for name in SECTIONS}
    tonight, horizon = end_of_day(now, zone), end_of_day(now, zone, days=days)
    for record in sorted(records, key=lambda r: (r.due_from, r.touch.key)):
        name = section(record, now=now, tonight=tonight, horizon=horizon)
        if name is not None:
            found[name].append(record)
    return Agenda(*(tuple(found[name]) for name in SECTIONS))


@dataclass(frozen=True)
class Move:
    """Whose move it is in one conversation (an opportunity, or a person)."""

    who: str  # "you", "them" or "nobody"
    what: str
    since: datetime | None = None
    next_nudge: datetime | None = None
    touch_id: int | None = None


def whose_move(records: Sequence[TouchRecord], *, now: datetime) -> Move:
    open_ones = sorted((r for r in records if r.is_open), key=lambda r: (r.due_from, r.touch.key))
    yours = [r for r in open_ones if r.touch.kind not in THEY_OWE or r.due_from <= now]
    if yours:
        first = yours[0]
        return Move(
            "you", f"{first.touch.kind}: {first.touch.reason}", first.touch.trigger_at, touch_id=first.id
        )
    theirs = [r for r in open_ones if r.touch.kind in THEY_OWE]
    if theirs:
        first = theirs[0]
        return Move(
            "them",
            f"waiting since {first.touch.trigger_at:%d %b}",
            first.touch.trigger_at,
            first.due_from,
            first.id,
        )
    return Move("nobody", "nothing pending")
