"""Derived state: replaying the ledger by when things happened, whatever order they were recorded in."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from followup.domain.ledger import derive_state, last_contact
from followup.domain.model import (
    Direction,
    Interaction,
    InteractionKind,
    Outcome,
    Stage,
)

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def entry(kind: InteractionKind, days_ago: float, **fields: object) -> Interaction:
    return Interaction(kind=kind, occurred_at=NOW - timedelta(days=days_ago), **fields)  # type: ignore[arg-type]


def test_a_new_opportunity_is_a_lead() -> None:
    assert derive_state([], now=NOW).stage is Stage.LEAD


def test_application_then_interview_then_outcome() -> None:
    ledger = [
        entry(InteractionKind.APPLICATION, 20, direction=Direction.OUT),
        entry(InteractionKind.EMAIL, 15, direction=Direction.IN),
        entry(InteractionKind.INTERVIEW, 10),
        entry(InteractionKind.OUTCOME, 2, outcome=Outcome.FILLED),
    ]
    state = derive_state(ledger, now=NOW)
    assert state.stage is Stage.FILLED
    assert state.applied_at == NOW - timedelta(days=20)
    assert state.last_contact_at == NOW - timedelta(days=10)  # the outcome is not a conversation


def test_a_closed_opportunity_is_not_reopened_by_a_later_interview_entry() -> None:
    ledger = [
        entry(InteractionKind.OUTCOME, 5, outcome=Outcome.REJECTED),
        entry(InteractionKind.INTERVIEW, 1),
    ]
    assert derive_state(ledger, now=NOW).stage is Stage.REJECTED


def test_an_explicit_stage_entry_wins_until_a_later_event() -> None:
    ledger = [
        entry(InteractionKind.APPLICATION, 9),
        entry(InteractionKind.STAGE, 8, stage=Stage.SCREENING),
        entry(InteractionKind.INTERVIEW, 3),
    ]
    assert derive_state(ledger, now=NOW).stage is Stage.INTERVIEWING
    assert derive_state(ledger[:2], now=NOW).stage is Stage.SCREENING


def test_an_interview_does_not_move_an_offer_back() -> None:
    ledger = [entry(InteractionKind.OUTCOME, 4, outcome=Outcome.OFFER), entry(InteractionKind.INTERVIEW, 1)]
    assert derive_state(ledger, now=NOW).stage is Stage.OFFER


def test_last_contact_ignores_notes_stage_changes_and_the_future() -> None:
    ledger = [
        entry(InteractionKind.CALL, 6, answered=False),
        entry(InteractionKind.NOTE, 1, notes="remember to ask about the team"),
        entry(InteractionKind.STAGE, 1, stage=Stage.SCREENING),
        entry(InteractionKind.INTERVIEW, -2),
    ]
    assert last_contact(ledger, now=NOW) == NOW - timedelta(days=6)
    assert derive_state(ledger, now=NOW).last_contact_at == NOW - timedelta(days=6)


kinds = st.sampled_from(InteractionKind)
entries = st.builds(
    lambda kind, minutes, stage, outcome, direction: Interaction(
        kind=kind,
        occurred_at=NOW - timedelta(minutes=minutes),
        stage=stage if kind is InteractionKind.STAGE else None,
        outcome=outcome if kind is InteractionKind.OUTCOME else None,
        direction=direction,
    ),
    kinds,
    # few distinct minutes so that ties (same moment, different entries) are common
    st.integers(-3, 12) | st.integers(-10_000, 100_000),
    st.sampled_from(Stage),
    st.sampled_from(Outcome),
    st.sampled_from(Direction),
)


@given(ledger=st.lists(entries, max_size=25), data=st.data())
def test_derived_state_does_not_depend_on_recording_order(
    ledger: list[Interaction], data: st.DataObject
) -> None:
    recorded = data.draw(st.permutations(ledger))
    # ids and recorded_at reflect the order of recording; they must not influence the result
    renumbered = [
        dataclasses.replace(e, id=i, recorded_at=NOW + timedelta(seconds=i)) for i, e in enumerate(recorded)
    ]
    assert derive_state(renumbered, now=NOW) == derive_state(ledger, now=NOW)


@given(ledger=st.lists(entries, max_size=25))
def test_the_derived_stage_is_the_last_explicit_decision_when_one_exists(ledger: list[Interaction]) -> None:
    decisive = [e for e in ledger if e.kind in {InteractionKind.STAGE, InteractionKind.OUTCOME}]
    state = derive_state(ledger, now=NOW)
    if decisive:
        last_time = max(e.occurred_at for e in decisive)
        candidates = {
            e.stage if e.kind is InteractionKind.STAGE else e.outcome.stage  # type: ignore[union-attr]
            for e in decisive
            if e.occurred_at == last_time
        }
        later = [e for e in ledger if e.occurred_at > last_time]
        if not later:
            assert state.stage in candidates
