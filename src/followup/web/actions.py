"""What the user can change from the browser: each action's input (a pydantic model, so the API's
OpenAPI describes it and a form is checked the same way) and the service calls it makes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from followup.domain.model import Caller, Direction, InteractionKind, InterviewKind, Outcome, Source, Stage
from followup.shapes import (
    draft_json,
    interaction_json,
    interview_json,
    message_json,
    opportunity_json,
    person_json,
    suggestion_json,
    touch_json,
)

if TYPE_CHECKING:
    from followup.bootstrap import App

Text = Field(default=None, max_length=2000)
Line = Field(default=None, max_length=300)


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OpportunityIn(Input):
    company: str = Field(min_length=1, max_length=300)
    title: str = Field(min_length=1, max_length=300)
    url: str | None = Line
    source: Source | None = None
    location: str | None = Line
    decision_expected: date | None = None
    notes: str | None = Text


class PersonIn(Input):
    name: str = Field(min_length=1, max_length=300)
    emails: list[str] = Field(default_factory=list, max_length=20)
    phone: str | None = Line
    organisation: str | None = Line
    title: str | None = Line
    timezone: str | None = Line
    country: str | None = Field(default=None, max_length=10)
    cadence_days: int | None = Field(default=None, ge=1, le=3650)
    linkedin_url: str | None = Line
    notes: str | None = Text


LOGGABLE = Literal[
    "email-in", "email-out", "linkedin-in", "linkedin-out", "call", "voicemail", "meeting",
    "application", "resume-sent", "outcome", "note",
]  # fmt: skip


class InteractionIn(Input):
    kind: LOGGABLE
    people: list[str] = Field(default_factory=list, max_length=20)
    opportunity: str | None = Line
    at: str | None = Field(default=None, max_length=100)
    subject: str | None = Line
    notes: str = Field(default="", max_length=5000)
    answered: bool | None = None
    by: Literal["me", "them"] = "me"
    outcome: Outcome | None = None


class InterviewIn(Input):
    opportunity: str = Field(min_length=1, max_length=300)
    at: str = Field(min_length=1, max_length=100)
    duration: str = Field(default="45m", max_length=20)
    interviewers: list[str] = Field(default_factory=list, max_length=20)
    kind: InterviewKind = InterviewKind.VIDEO
    location: str | None = Line
    timezone: str | None = Line
    notes: str = Field(default="", max_length=5000)


class StageIn(Input):
    stage: Stage
    at: str | None = Field(default=None, max_length=100)
    notes: str = Field(default="", max_length=2000)


class SnoozeIn(Input):
    until: str = Field(min_length=1, max_length=100)


class DraftIn(Input):
    text: str = Field(min_length=1, max_length=20000)


class ApproveIn(Input):
    force: bool = False
    at: str | None = Field(default=None, max_length=100)


class ConfirmIn(Input):
    opportunity: str | None = Line
    company: str | None = Line
    title: str | None = Line


# The actions ---------------------------------------------------------------------------------------


def add_opportunity(app: App, data: OpportunityIn) -> dict[str, Any]:
    from followup.services.fields import OpportunityFields

    summary = app.tracker.add_opportunity(OpportunityFields(**data.model_dump()))
    return opportunity_json(summary)


def add_person(app: App, data: PersonIn) -> dict[str, Any]:
    from followup.services.fields import PersonFields

    fields = data.model_dump()
    fields["emails"] = [e for e in fields["emails"] if e]
    summary = app.tracker.add_person(PersonFields(**fields))
    return person_json(summary)


_KINDS: dict[str, tuple[InteractionKind, Direction]] = {
    "email-in": (InteractionKind.EMAIL, Direction.IN),
    "email-out": (InteractionKind.EMAIL, Direction.OUT),
    "linkedin-in": (InteractionKind.LINKEDIN, Direction.IN),
    "linkedin-out": (InteractionKind.LINKEDIN, Direction.OUT),
    "call": (InteractionKind.CALL, Direction.OUT),
    "voicemail": (InteractionKind.VOICEMAIL, Direction.OUT),
    "meeting": (InteractionKind.MEETING, Direction.NONE),
    "application": (InteractionKind.APPLICATION, Direction.OUT),
    "resume-sent": (InteractionKind.RESUME_SENT, Direction.OUT),
    "outcome": (InteractionKind.OUTCOME, Direction.IN),
    "note": (InteractionKind.NOTE, Direction.NONE),
}


def log_interaction(app: App, data: InteractionIn) -> dict[str, Any]:
    from followup.errors import InvalidInputError

    kind, direction = _KINDS[data.kind]
    if kind in (InteractionKind.CALL, InteractionKind.VOICEMAIL):
        direction = Direction.OUT if data.by == "me" else Direction.IN
    if kind is InteractionKind.OUTCOME and data.outcome is None:
        raise InvalidInputError(
            "An outcome needs its value.", hint="Pick one: rejected, offer …", field="outcome"
        )
    if kind in (InteractionKind.EMAIL, InteractionKind.LINKEDIN, InteractionKind.CALL) and not data.people:
        raise InvalidInputError(f"Whom was the {data.kind} with?", hint="Name a person.", field="people")
    entry = app.tracker.log(
        kind,
        person_refs=[p for p in data.people if p],
        opportunity_ref=data.opportunity or None,
        at=data.at or None,
        direction=direction,
        subject=data.subject or None,
        notes=data.notes,
        answered=(data.answered if data.answered is not None else True)
        if kind is InteractionKind.CALL
        else None,
        caller=Caller(data.by) if kind in (InteractionKind.CALL, InteractionKind.VOICEMAIL) else None,
        outcome=data.outcome,
    )
    return interaction_json(entry)


def log_interview(app: App, data: InterviewIn) -> dict[str, Any]:
    interview = app.tracker.log_interview(
        data.opportunity,
        at=data.at,
        duration=data.duration,
        interviewer_refs=[p for p in data.interviewers if p],
        kind=data.kind,
        location=data.location or None,
        timezone=data.timezone or None,
        notes=data.notes,
    )
    return interview_json(interview)


def change_stage(app: App, opportunity_id: int, data: StageIn) -> dict[str, Any]:
    stage = app.tracker.change_stage(str(opportunity_id), data.stage, at=data.at, notes=data.notes)
    return {"opportunity_id": opportunity_id, "stage": stage.value}


def decide(app: App, touch_id: int, decision: Literal["done", "skip", "reopen"]) -> dict[str, Any]:
    planning = app.planning
    record = {"done": planning.done, "skip": planning.skip, "reopen": planning.reopen}[decision](
        str(touch_id)
    )
    people, opportunities = planning.labels([record])
    return touch_json(record, people, opportunities)


def snooze(app: App, touch_id: int, data: SnoozeIn) -> dict[str, Any]:
    record = app.planning.snooze(str(touch_id), data.until)
    people, opportunities = app.planning.labels([record])
    return touch_json(record, people, opportunities)


def edit_draft(app: App, touch_id: int, data: DraftIn) -> dict[str, Any]:
    return draft_json(app.drafting.edit(str(touch_id), data.text))


def discard_draft(app: App, touch_id: int) -> dict[str, Any]:
    app.drafting.discard(str(touch_id))
    return draft_json(app.drafting.draft(str(touch_id)))


def approve(app: App, touch_id: int, data: ApproveIn) -> dict[str, Any]:
    return draft_json(app.drafting.approve(str(touch_id), force=data.force, at=data.at or None))


def send(app: App) -> dict[str, Any]:
    report = app.outbox.send()
    return {
        "sent": [message_json(m) for m in report.sent],
        "retrying": [message_json(m) for m in report.retrying],
        "failed": [message_json(m) for m in report.failed],
        "uncertain": [message_json(m) for m in report.uncertain],
        "waiting": report.waiting,
        "server_error": report.server_error.message if report.server_error else None,
    }


def resend(app: App, touch_id: int) -> dict[str, Any]:
    return message_json(app.outbox.resend(str(touch_id)))


def mark_sent(app: App, touch_id: int) -> dict[str, Any]:
    return message_json(app.outbox.mark_sent(str(touch_id)))


def confirm_suggestion(app: App, suggestion_id: int, data: ConfirmIn) -> dict[str, Any]:
    done = app.suggestions.confirm(
        suggestion_id,
        opportunity_ref=data.opportunity or None,
        company=data.company or None,
        title=data.title or None,
    )
    return {"suggestion": suggestion_json(done.view), "done": done.done}


def dismiss_suggestion(app: App, suggestion_id: int) -> dict[str, Any]:
    return suggestion_json(app.suggestions.dismiss(suggestion_id))
