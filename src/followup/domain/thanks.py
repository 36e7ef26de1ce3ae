"""Thank-you punctuality: was each interviewer thanked by the end of their next business day? (The
definition is in `followup.domain.stats`.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from followup.domain.calendar import BusinessCalendar, place_of
from followup.domain.ledger import ledger_order
from followup.domain.model import (
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    InterviewStatus,
    Outcome,
    Person,
)
from followup.domain.outreach import MESSAGE_KINDS
from followup.domain.scheduling import zone

_ENDINGS = frozenset({Outcome.REJECTED, Outcome.FILLED, Outcome.WITHDRAWN})


@dataclass(frozen=True)
class ThankYous:
    due: int  # interviewers of interviews that have ended
    on_time: int
    late: int
    missing: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def thank_yous(
    people: Mapping[int, Person],
    ledger: Sequence[Interaction],
    interviews: Iterable[Interview],
    calendar: BusinessCalendar,
    *,
    user: tuple[str, str | None],
    now: datetime,
    since: date | None,
    ordered: bool = False,
) -> ThankYous:
    """Whether each interviewer of each interview that has ended was thanked in time; `user` is the
    user's zone and country, for interviewers whose own are unknown; `ordered`: the ledger is in
    ledger order already."""
    user_zone = zone(user[0])
    notes: dict[int, list[Interaction]] = defaultdict(list)
    for entry in ledger if ordered else sorted(ledger, key=ledger_order):
        if entry.occurred_at <= now and entry.direction is Direction.OUT and entry.kind in MESSAGE_KINDS:
            for pid in entry.person_ids:
                notes[pid].append(entry)
    held = sorted(
        (v for v in interviews if v.status is InterviewStatus.SCHEDULED),
        key=lambda v: (v.starts_at, v.id or 0),
    )
    starts: dict[int, list[datetime]] = defaultdict(list)
    for interview in held:
        for pid in interview.interviewer_ids:
            starts[pid].append(interview.starts_at)
    endings = _endings(ledger)
    on_time = late = missing = 0
    for interview in held:
        if interview.ends_at > now or _closed_before(endings.get(interview.opportunity_id, ()), interview):
            continue
        if since is not None and interview.ends_at.astimezone(user_zone).date() < since:
            continue
        for pid in dict.fromkeys(interview.interviewer_ids):
            until = min((s for s in starts[pid] if s >= interview.ends_at), default=None)
            note = next(
                (
                    e
                    for e in notes.get(pid, ())
                    if e.occurred_at > interview.ends_at and (until is None or e.occurred_at < until)
                ),
                None,
            )
            if note is None:
                missing += 1
            elif note.occurred_at < deadline(interview, people.get(pid), calendar, user):
                on_time += 1
            else:
                late += 1
    return ThankYous(due=on_time + late + missing, on_time=on_time, late=late, missing=missing)


def deadline(
    interview: Interview, person: Person | None, calendar: BusinessCalendar, user: tuple[str, str | None]
) -> datetime:
    """The end (midnight) of the interviewer's next business day after the day the interview ended."""
    place = place_of(
        person.timezone if person else None,
        person.country if person else None,
        None,
        None,
        *user,
    )
    day = calendar.add_business_days(calendar.local_day(interview.ends_at, place), 1, place)
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(place.zone))
    return midnight.astimezone(UTC)


def _endings(ledger: Iterable[Interaction]) -> dict[int, list[datetime]]:
    """When each opportunity was rejected, filled or withdrawn from."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for entry in ledger:
        oid = entry.opportunity_id
        if entry.kind is InteractionKind.OUTCOME and entry.outcome in _ENDINGS and oid is not None:
            found[oid].append(entry.occurred_at)
    return found


def _closed_before(endings: Iterable[datetime], interview: Interview) -> bool:
    # as the planner sees it: no thank-you is owed for an interview after the opportunity ended
    return any(at < interview.starts_at for at in endings)
