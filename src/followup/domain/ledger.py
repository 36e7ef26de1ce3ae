"""What the ledger says: current stage, dates and last contact, derived from interactions alone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from followup.domain.model import (
    Interaction,
    InteractionKind,
    OpportunityState,
    Stage,
)

_KIND_ORDER = {kind: i for i, kind in enumerate(InteractionKind)}


def ledger_order(entry: Interaction) -> tuple[object, ...]:
    """Sort key for replaying the ledger.

    Entries are replayed by when they happened, never by when they were recorded, so that logging
    last week's interview today gives the same state as logging it last week. Ties are broken by
    the content of the entries (not their ids, which reflect recording order).
    """
    return (
        entry.occurred_at,
        _KIND_ORDER[entry.kind],
        entry.outcome.value if entry.outcome else "",
        entry.stage.value if entry.stage else "",
        entry.direction.value,
        entry.subject or "",
        entry.notes,
        entry.person_ids,
        entry.message_id or "",
    )


def derive_state(entries: Iterable[Interaction], *, now: datetime) -> OpportunityState:
    """Replay one opportunity's ledger into its current state.

    - a `stage` entry sets the stage; an `outcome` entry sets the stage it names;
    - an application moves a lead to `applied`;
    - an interview (held or scheduled) moves an open opportunity before `interviewing` to it;
    - a closed stage is left only by an explicit `stage` entry or a later outcome.
    """
    stage = Stage.LEAD
    applied_at: datetime | None = None
    last_contact: datetime | None = None
    for entry in sorted(entries, key=ledger_order):
        stage = advance(stage, entry)
        if entry.kind is InteractionKind.APPLICATION and applied_at is None:
            applied_at = entry.occurred_at
        if entry.kind.is_contact and entry.occurred_at <= now:
            last_contact = entry.occurred_at
    return OpportunityState(stage=stage, applied_at=applied_at, last_contact_at=last_contact)


def advance(stage: Stage, entry: Interaction) -> Stage:
    """The stage after one more entry of an opportunity's ledger (the rules of `derive_state`); replaying
    entry by entry also tells the stage at any moment of the story."""
    if entry.kind is InteractionKind.STAGE and entry.stage is not None:
        return entry.stage
    if entry.kind is InteractionKind.OUTCOME and entry.outcome is not None:
        return entry.outcome.stage
    if entry.kind is InteractionKind.APPLICATION and stage is Stage.LEAD:
        return Stage.APPLIED
    before_interviews = not stage.is_closed and stage.rank < Stage.INTERVIEWING.rank
    if entry.kind is InteractionKind.INTERVIEW and before_interviews:
        return Stage.INTERVIEWING
    return stage


def last_contact(entries: Iterable[Interaction], *, now: datetime) -> datetime | None:
    """The latest conversation that has already happened (notes and stage changes do not count)."""
    moments = [e.occurred_at for e in entries if e.kind.is_contact and e.occurred_at <= now]
    return max(moments, default=None)
