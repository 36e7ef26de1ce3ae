"""Outreaches: what you sent that asks for an answer, the follow-ups after it and the response, replayed
from the ledger (the definitions are in `followup.domain.stats`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from followup.domain.ledger import advance, ledger_order
from followup.domain.model import (
    Direction,
    Interaction,
    InteractionKind,
    Link,
    Opportunity,
    Outcome,
    Source,
    Stage,
)

K = InteractionKind
# An unanswered outreach younger than this may still be answered: it waits, outside the rates.
WAITING_DAYS = 14
# The channels an outreach can start on, in the order they are shown (a voicemail counts as a call).
CHANNELS: tuple[InteractionKind, ...] = (K.APPLICATION, K.RESUME_SENT, K.EMAIL, K.LINKEDIN, K.CALL)
MESSAGE_KINDS = frozenset({K.EMAIL, K.LINKEDIN, K.CALL, K.VOICEMAIL})
_ALWAYS_YOURS = frozenset({K.APPLICATION, K.RESUME_SENT})
_THEIR_DECISIONS = frozenset({Outcome.REJECTED, Outcome.FILLED, Outcome.OFFER})
_CONVERSATIONS = frozenset({K.INTERVIEW, K.MEETING})


def is_approach(entry: Interaction) -> bool:
    """Something you sent that asks for an answer: an application, a résumé, a message or call of yours."""
    if entry.kind in _ALWAYS_YOURS:
        return entry.direction is not Direction.IN
    return entry.kind in MESSAGE_KINDS and entry.direction is Direction.OUT


def is_response(entry: Interaction) -> bool:
    """Their side of the conversation: a human message or call from them (never an out-of-office or a
    bounce), a meeting or an interview, their decision, or a call of yours that they answered."""
    if entry.kind.is_automatic:
        return False
    if entry.kind is K.OUTCOME:
        return entry.outcome in _THEIR_DECISIONS
    if entry.kind in _CONVERSATIONS:
        return True
    if entry.kind is K.CALL and entry.direction is Direction.OUT:
        return entry.answered is True
    return entry.direction is Direction.IN and entry.kind in MESSAGE_KINDS


def is_inbound_message(entry: Interaction) -> bool:
    """A message or call that came from a person (what weekly activity counts as inbound)."""
    return entry.direction is Direction.IN and entry.kind in MESSAGE_KINDS and not entry.kind.is_automatic


def channel_of(entry: Interaction) -> InteractionKind:
    return K.CALL if entry.kind is K.VOICEMAIL else entry.kind


@dataclass(frozen=True)
class Outreach:
    """One approach on an opportunity and what became of it."""

    opportunity_id: int
    source: Source | None
    channel: InteractionKind  # one of CHANNELS: how the first approach went out
    stage: Stage  # the opportunity's stage once the first approach was made
    started_at: datetime
    follow_ups: int  # approaches on later days, before any response
    answered_at: datetime | None
    waiting: bool  # unanswered and younger than WAITING_DAYS

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def days_to_answer(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.started_at).total_seconds() / 86400


def conversations(
    opportunities: Mapping[int, Opportunity],
    links: Iterable[Link],
    ledger: Iterable[Interaction],
    *,
    now: datetime,
    ordered: bool = False,
) -> dict[int, list[Interaction]]:
    """Each opportunity's entries that have happened, in ledger order: those naming it, and those naming
    no opportunity but someone with a role in it. `ordered`: the ledger is in ledger order already."""
    roles: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.opportunity_id in opportunities:
            roles[link.person_id].add(link.opportunity_id)
    found: dict[int, list[Interaction]] = defaultdict(list)
    for entry in ledger:
        if entry.occurred_at > now:
            continue
        if entry.opportunity_id is not None:
            if entry.opportunity_id in opportunities:
                found[entry.opportunity_id].append(entry)
            continue
        for oid in sorted({oid for pid in entry.person_ids for oid in roles.get(pid, ())}):
            found[oid].append(entry)
    return {oid: entries if ordered else sorted(entries, key=ledger_order) for oid, entries in found.items()}


def outreaches(
    opportunities: Mapping[int, Opportunity],
    links: Iterable[Link],
    ledger: Iterable[Interaction],
    *,
    now: datetime,
    zone: tzinfo,
    ordered: bool = False,
) -> list[Outreach]:
    """Every outreach of every opportunity, in the order they started per opportunity. `ordered`: the
    ledger is in ledger order already (sorting 250,000 entries again costs a second)."""
    found: list[Outreach] = []
    for oid, entries in sorted(conversations(opportunities, links, ledger, now=now, ordered=ordered).items()):
        found.extend(_replay(oid, opportunities[oid].source, entries, now=now, zone=zone))
    return found


@dataclass
class _Open:
    first: Interaction
    stage: Stage
    day: date
    follow_ups: int = 0


def _replay(
    oid: int, source: Source | None, entries: list[Interaction], *, now: datetime, zone: tzinfo
) -> list[Outreach]:
    found: list[Outreach] = []
    stage, current = Stage.LEAD, None

    def close(outreach: _Open, answered_at: datetime | None) -> Outreach:
        started = outreach.first.occurred_at
        return Outreach(
            opportunity_id=oid,
            source=source,
            channel=channel_of(outreach.first),
            stage=outreach.stage,
            started_at=started,
            follow_ups=outreach.follow_ups,
            answered_at=answered_at,
            waiting=answered_at is None and now - started < timedelta(days=WAITING_DAYS),
        )

    for entry in entries:
        if entry.opportunity_id == oid:
            stage = advance(stage, entry)
        if is_approach(entry):
            day = entry.occurred_at.astimezone(zone).date()
            if current is None:
                current = _Open(entry, stage, day)
            elif day > current.day:  # the same day, it is still the first approach (each interviewer…)
                current.follow_ups += 1
        if current is not None and is_response(entry):
            found.append(close(current, entry.occurred_at))
            current = None
    if current is not None:
        found.append(close(current, None))
    return found
