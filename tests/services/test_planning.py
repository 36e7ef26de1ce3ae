"""Planning through the real services on both databases: incremental = full, decisions survive."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from followup.bootstrap import App
from followup.domain.model import Direction, InteractionKind, Outcome, Role, Stage
from followup.domain.touches import Decision, TouchKind, TouchStatus
from followup.errors import ConflictError, InvalidInputError, NotFoundError
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW


def story(app: App) -> None:
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    t.add_opportunity(OpportunityFields(company="Contoso", title="Platform Engineer"))
    t.add_person(PersonFields(name="Jane Doe", emails=["jane@northwind.example"], timezone="America/Chicago",
                              country="US"))  # fmt: skip
    t.add_person(
        PersonFields(name="Raj Patel", phone="+49 30 5550142", timezone="Europe/Berlin", country="DE")
    )
    t.add_person(PersonFields(name="Priya Nair", emails=["priya@mail.example"], in_network=True))
    t.link("jane", "northwind", Role.RECRUITER)
    t.link("raj", "contoso", Role.HIRING_MANAGER)
    t.log(
        InteractionKind.APPLICATION,
        opportunity_ref="northwind",
        at="2026-10-26 10:00",
        direction=Direction.OUT,
    )
    t.log(
        InteractionKind.APPLICATION,
        opportunity_ref="contoso",
        at="2026-11-09 10:00",
        person_refs=["priya"],
        direction=Direction.OUT,
    )  # fmt: skip
    t.log_interview("contoso", at="2026-11-24 09:00", interviewer_refs=["raj"], notes="streaming billing")
    t.log(InteractionKind.EMAIL, person_refs=["jane"], at="2026-11-25 16:00", direction=Direction.IN,
          subject="Next steps")  # fmt: skip


def applied_to_fabrikam(app: App, at: str) -> None:
    """An application to Fabrikam, whose recruiter is Lena Vogel."""
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Fabrikam", title="Analytics Engineer"))
    t.add_person(PersonFields(name="Lena Vogel", emails=["lena@fabrikam.example"]))
    t.link("lena", "fabrikam", Role.RECRUITER)
    t.log(InteractionKind.APPLICATION, opportunity_ref="fabrikam", at=at, direction=Direction.OUT)


def stored(app: App) -> list[tuple[str, str, object, object]]:
    return sorted(
        (r.touch.key, r.state, r.touch.due_from, r.touch.due_by) for r in app.planning.store.records()
    )


def test_incremental_planning_equals_planning_everything(app: App) -> None:
    story(app)
    before = stored(app)
    assert app.planning.replan() == 0  # nothing to change: each write already re-planned its part
    assert stored(app) == before
    kinds = {key.split("/")[0] for key, *_ in before}
    assert {"check-in", "thank-you", "reply-owed", "resume-check", "keep-in-touch", "post-interview"} <= kinds


def test_the_agenda_and_decisions(app: App) -> None:
    story(app)
    agenda = app.planning.agenda()
    today = {r.touch.kind for r in agenda.today}
    overdue = {r.touch.kind for r in agenda.overdue}
    # Raj (Berlin, phone only) was thanked for nothing yet: the thank-you of 24 Nov is overdue
    assert TouchKind.THANK_YOU in overdue
    assert TouchKind.REPLY_OWED in today | overdue
    reply = next(r for r in [*agenda.today, *agenda.overdue] if r.touch.kind is TouchKind.REPLY_OWED)
    snoozed = app.planning.snooze(str(reply.id), "+3d")
    assert snoozed.decision is Decision.SNOOZED
    assert snoozed.due_from >= NOW + timedelta(days=3) - timedelta(minutes=1)
    assert snoozed.sequence > reply.sequence
    assert reply.id not in {r.id for r in app.planning.agenda().today}
    with pytest.raises(InvalidInputError, match="in the past"):
        app.planning.snooze(str(reply.id), "yesterday")
    done = app.planning.done(str(reply.id))
    assert not done.is_open
    # decisions survive re-planning, and ids stay
    app.planning.replan()
    again = app.planning.touch(str(reply.id))
    assert (again.touch.key, again.decision) == (reply.touch.key, Decision.DONE)
    with pytest.raises(NotFoundError):
        app.planning.touch("9999")


def test_a_reply_cancels_the_check_in_and_the_stage_never_changes_silently(app: App) -> None:
    story(app)
    t = app.tracker
    applied_to_fabrikam(app, "2026-11-02 10:00")
    oid = app.context.opportunity("fabrikam").opportunity.id
    check_in = next(r for r in app.planning.store.records() if r.touch.key == f"check-in/{oid}/1")
    assert check_in.is_open
    assert check_in in app.planning.agenda().overdue  # due 11 Nov, nothing sent
    t.log(
        InteractionKind.EMAIL, person_refs=["lena"], at="-2h", direction=Direction.OUT, subject="Checking in"
    )
    t.log(
        InteractionKind.EMAIL,
        person_refs=["lena"],
        at="-1h",
        direction=Direction.IN,
        subject="Re: Checking in",
    )
    after = {r.touch.key: r for r in app.planning.store.records()}
    assert after[f"check-in/{oid}/1"].state == "done"
    assert after[f"check-in/{oid}/2"].state == "cancelled"
    assert "reply received" in (after[f"check-in/{oid}/2"].touch.cancel_reason or "")
    assert app.context.opportunity("fabrikam").state.stage is Stage.APPLIED


def test_two_unanswered_check_ins_propose_cold_without_changing_the_stage(app: App) -> None:
    t = app.tracker
    applied_to_fabrikam(app, "2026-10-12 10:00")
    t.log(InteractionKind.EMAIL, person_refs=["lena"], at="2026-10-21 10:00", direction=Direction.OUT)
    t.log(InteractionKind.EMAIL, person_refs=["lena"], at="2026-11-02 10:00", direction=Direction.OUT)
    agenda = app.planning.agenda()
    cold = [r for r in [*agenda.overdue, *agenda.today] if r.touch.kind is TouchKind.GO_COLD]
    assert len(cold) == 1
    assert "followup stage 1 cold" in cold[0].touch.reason
    assert app.context.opportunity("fabrikam").state.stage is Stage.APPLIED
    t.change_stage("fabrikam", Stage.COLD)
    assert not any(r.is_open for r in app.planning.store.records() if r.touch.kind is TouchKind.GO_COLD)


def test_whose_move(app: App) -> None:
    story(app)
    assert app.planning.moves_of_opportunity(1).who == "you"  # Jane's message waits for an answer
    raj = app.context.person("raj").person.id
    assert raj is not None
    move = app.planning.moves_of_person(raj)
    assert move.who == "you"
    assert "thank-you" in move.what


def test_a_snooze_lands_in_the_recipients_business_hours_and_settled_touches_stay_settled(app: App) -> None:
    story(app)
    reply = next(r for r in app.planning.store.records() if r.touch.key.startswith("reply-owed/1/"))
    # NOW is Thursday 26 Nov 2026 (Thanksgiving); +2d is Saturday: Jane (Chicago) gets it Monday at 09:00
    snoozed = app.planning.snooze(str(reply.id), "+2d")
    assert snoozed.due_from == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    settled = next(r for r in app.planning.store.records() if r.touch.status is not TouchStatus.PENDING)
    with pytest.raises(ConflictError, match=f"Touch {settled.id} is already"):
        app.planning.snooze(str(settled.id), "+3d")


def test_whoever_gets_the_feedback_note_stays_in_the_network(app: App) -> None:
    story(app)
    app.tracker.log(InteractionKind.OUTCOME, opportunity_ref="northwind", outcome=Outcome.FILLED, at="-3h",
                    person_refs=["jane"], direction=Direction.IN)  # fmt: skip
    feedback = next(r for r in app.planning.store.records() if r.touch.key.startswith("feedback/1/"))
    assert feedback.is_open
    assert not app.context.person("jane").person.in_network
    app.tracker.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="-1h",
                    direction=Direction.OUT, subject="Thank you, and a question")  # fmt: skip
    assert app.context.person("jane").person.in_network
    assert app.planning.touch(str(feedback.id)).state == "done"
    assert any(r.touch.kind is TouchKind.KEEP_IN_TOUCH and r.touch.person_id == 1
               for r in app.planning.store.records())  # fmt: skip


def test_thousands_of_new_people_are_noted_as_everything_and_planned_whole(app: App) -> None:
    from followup.domain.model import Person
    from followup.domain.touches import StaleNote
    from followup.services.planning import WHOLE_PLAN_ABOVE

    many = WHOLE_PLAN_ABOVE + 1
    with app.tracker.deferred(plan=False):  # an import: planning left to whoever reads the plan next
        app.tracker.record_people(
            [
                Person(name=f"P {i}", in_network=True, created_at=NOW - timedelta(days=200))
                for i in range(many)
            ]
        )
    assert app.planning.store.stale() == StaleNote(frozenset(), frozenset(), everything=True)
    assert app.planning.store.records() == []
    assert len(app.planning.agenda().overdue) == many  # the agenda brings the plan up to date first
    assert app.planning.store.stale() is None
    assert {r.touch.kind for r in app.planning.store.records()} == {TouchKind.KEEP_IN_TOUCH}


def test_a_note_to_replan_left_by_an_older_version_is_still_planned(app: App) -> None:
    story(app)
    app.planning.ensure_current()
    jane = app.context.person("jane").person.id
    with app.db.transaction():  # as an older version left it: one JSON note, and nothing planned
        app.db.execute("DELETE FROM touches WHERE person_id = :p", {"p": jane})
        app.planning.store.set_meta("stale", json.dumps({"o": [], "p": [jane]}))
    assert not any(r.touch.person_id == jane for r in app.planning.store.records())

    app.planning.ensure_current()
    assert any(r.touch.person_id == jane for r in app.planning.store.records())
    assert app.planning.store.stale() is None
    assert app.planning.store.meta("stale") is None


def test_planning_pauses_the_collector_and_gives_it_back_even_when_it_fails(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole plan builds tens of thousands of touches: no collection in the middle, and the process
    gets its collector back afterwards, also when planning fails half-way."""
    import gc

    import followup.services.planning as planning_module

    story(app)
    seen: list[bool] = []
    real = planning_module.plan

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning_module, "plan", watched)
    app.planning.replan()
    assert seen == [False]
    assert gc.isenabled()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug half-way through the plan")

    monkeypatch.setattr(planning_module, "plan", broken)
    with pytest.raises(RuntimeError, match="half-way"):
        app.planning.replan()
    assert gc.isenabled()
