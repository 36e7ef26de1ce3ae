"""Use cases of recording a search, on both databases, with a fixed clock."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.bootstrap import App
from followup.domain.model import Direction, InteractionKind, Outcome, Role, Stage
from followup.errors import AmbiguousReferenceError, ConflictError, InvalidInputError, NotFoundError
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW


def seed(app: App) -> None:
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    t.add_opportunity(OpportunityFields(company="Contoso", title="Platform Engineer"))
    t.add_person(
        PersonFields(
            name="Jane Doe",
            emails=["jane@northwind.example"],
            organisation="Northwind Traders",
            timezone="America/Chicago",
            country="US",
        )
    )
    t.add_person(PersonFields(name="Raj Patel", emails=["raj@northwind.example"]))
    t.link("jane", "northwind", Role.HIRING_MANAGER)


def test_the_design_walkthrough(app: App) -> None:
    seed(app)
    t = app.tracker
    t.log(InteractionKind.APPLICATION, opportunity_ref="northwind", at="2026-11-02", direction=Direction.OUT)
    assert app.context.opportunity("northwind").state.stage is Stage.APPLIED
    interview = t.log_interview(
        "northwind",
        at="tue 14:00",
        duration="45m",
        interviewer_refs=["jane", "raj"],
        notes="billing pipeline",
    )
    # Thursday 26 Nov 09:00 in Chicago: "tue 14:00" is the coming Tuesday, 1 Dec, 14:00 Chicago = 20:00 UTC
    assert interview.starts_at.isoformat() == "2026-12-01T20:00:00+00:00"
    assert interview.ends_at - interview.starts_at == timedelta(minutes=45)
    detail = app.browser.opportunity("northwind")
    assert detail.summary.state.stage is Stage.INTERVIEWING
    assert {p.name: set(roles) for p, roles in detail.people} == {
        "Jane Doe": {Role.HIRING_MANAGER, Role.INTERVIEWER},
        "Raj Patel": {Role.INTERVIEWER},
    }
    call = t.log(InteractionKind.CALL, person_refs=["jane"], answered=False, at="08:00")
    assert call.opportunity_id == detail.summary.opportunity.id  # Jane's only open opportunity
    t.log(
        InteractionKind.EMAIL, person_refs=["jane"], direction=Direction.IN, subject="Next steps", at="08:30"
    )
    t.log(InteractionKind.OUTCOME, opportunity_ref="northwind", outcome=Outcome.FILLED)  # now: 09:00
    after = app.browser.opportunity("northwind")
    assert after.summary.state.stage is Stage.FILLED
    assert [e.kind for e in after.ledger] == [
        InteractionKind.APPLICATION,
        InteractionKind.CALL,
        InteractionKind.EMAIL,
        InteractionKind.OUTCOME,
        InteractionKind.INTERVIEW,
    ]
    assert app.browser.person("jane").summary.last_contact_at == NOW - timedelta(minutes=30)


def test_a_second_person_with_a_known_address_is_refused_with_the_owner(app: App) -> None:
    seed(app)
    with pytest.raises(ConflictError) as error:
        app.tracker.add_person(PersonFields(name="J. Doe", emails=["JANE@northwind.example"]))
    assert "Jane Doe" in error.value.message
    assert "followup edit person" in (error.value.hint or "")
    assert len(app.browser.people()) == 2


def test_invalid_fields_write_nothing(app: App) -> None:
    for fields in (
        PersonFields(name="Ann Lee", emails=["ann@"]),
        PersonFields(name="Ann Lee", timezone="Mars/Base"),
        PersonFields(name="Ann Lee", country="ZZ"),
        PersonFields(name="\r\n"),
    ):
        with pytest.raises(InvalidInputError):
            app.tracker.add_person(fields)
    assert app.browser.people() == []


def test_names_with_control_characters_are_cleaned(app: App) -> None:
    added = app.tracker.add_person(PersonFields(name="Jane\r\nBcc: x@evil.example\x00Doe"))
    assert added.person.name == "Jane Bcc: x@evil.example Doe"


def test_references_by_id_fragment_and_ambiguity(app: App) -> None:
    seed(app)
    app.tracker.add_opportunity(OpportunityFields(company="Northwind Traders", title="Analytics Engineer"))
    assert app.context.opportunity("1").opportunity.title == "Data Engineer"
    assert app.context.opportunity("analytics").opportunity.id == 3
    with pytest.raises(AmbiguousReferenceError) as error:
        app.context.opportunity("northwind")
    assert "Data Engineer" in error.value.message
    assert "Analytics Engineer" in error.value.message
    with pytest.raises(NotFoundError):
        app.context.person("99")


def test_logging_the_future_is_refused_but_interviews_may_be_planned(app: App) -> None:
    seed(app)
    with pytest.raises(InvalidInputError, match="in the future"):
        app.tracker.log(InteractionKind.CALL, person_refs=["jane"], at="tomorrow 10:00")
    assert app.browser.person("jane").ledger == ()


def test_edit_and_network_role(app: App) -> None:
    seed(app)
    app.tracker.edit_person("raj", PersonFields(title="Staff Engineer"), add_emails=["raj.p@mail.example"])
    assert app.tracker.link("raj", None, Role.NETWORK) is True
    assert app.tracker.link("raj", None, Role.NETWORK) is False
    raj = app.context.person("raj").person
    assert raj.title == "Staff Engineer"
    assert [e.address for e in raj.emails] == ["raj@northwind.example", "raj.p@mail.example"]
    assert [p.person.name for p in app.browser.people(role=Role.NETWORK)] == ["Raj Patel"]
    with pytest.raises(InvalidInputError, match="has no address"):
        app.tracker.edit_person("raj", PersonFields(), remove_emails=["nobody@x.example"])


COUNTER = itertools.count()
LEDGER = [
    ("application", "2026-11-02 10:00"),
    ("stage-screening", "2026-11-04 09:00"),
    ("interview", "2026-11-10 15:00"),
    ("email-in", "2026-11-12 11:00"),
    ("outcome-rejected", "2026-11-20 16:00"),
    ("stage-interviewing", "2026-11-21 08:00"),
]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(LEDGER))))
def test_stage_does_not_depend_on_the_order_entries_were_recorded(app: App, order: list[int]) -> None:
    t = app.tracker
    opportunity = t.add_opportunity(OpportunityFields(company=f"Acme {next(COUNTER)}", title="SRE"))
    ref = str(opportunity.opportunity.id)
    for index in order:
        what, at = LEDGER[index]
        if what == "application":
            t.log(InteractionKind.APPLICATION, opportunity_ref=ref, at=at)
        elif what.startswith("stage-"):
            t.change_stage(ref, Stage(what.removeprefix("stage-")), at=at)
        elif what == "interview":
            t.log(InteractionKind.INTERVIEW, opportunity_ref=ref, at=at)
        elif what == "email-in":
            t.log(InteractionKind.EMAIL, opportunity_ref=ref, at=at, direction=Direction.IN)
        else:
            t.log(InteractionKind.OUTCOME, opportunity_ref=ref, at=at, outcome=Outcome.REJECTED)
    state = app.context.opportunity(ref).state
    assert state.stage is Stage.INTERVIEWING  # the last decision (21 Nov) reopened it
    assert state.applied_at is not None
    assert state.applied_at.isoformat() == "2026-11-02T16:00:00+00:00"
