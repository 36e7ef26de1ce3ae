"""`followup log KIND …`: append what happened to the ledger."""

from __future__ import annotations

from typing import Any

from followup.cli import term
from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, Command, command, flag_pair
from followup.cli.runtime import Runtime
from followup.domain.model import Caller, Direction, InteractionKind, InterviewKind, Outcome
from followup.shapes import interaction_json, interview_json

AT = Arg("--at", help="when it happened (default now): 2026-11-02, yesterday 10:00, tue 14:30, -2d …")
NOTES = Arg("--notes", default="", help="what was said, in a few words")
OPP = Arg("--opp", help="the opportunity it concerns (default: the person's only open one)")
BY = Arg("--by", dest="caller", choices=["me", "them"], default="me", help="who called (default me)")


def _print(runtime: Runtime, entry: Any, as_json: bool) -> None:
    if as_json:
        emit_json(interaction_json(entry))
        return
    where = ""
    if entry.opportunity_id is not None:
        summary = runtime.app().context.opportunity(str(entry.opportunity_id))
        where = f" ({summary.opportunity.company}; stage {summary.state.stage})"
    term.echo(f"Logged {entry.kind} {entry.id}{where}.")


@command(
    "log application",
    Arg("opp", metavar="OPP"),
    Arg("--via", action="append", default=[], metavar="PERSON", help="who passed it on (repeatable)"),
    AT, NOTES, JSON,
)  # fmt: skip
def log_application(
    runtime: Runtime, opp: str, via: list[str], at: str | None, notes: str, as_json: bool
) -> None:
    """You applied to OPP.

    Example: followup log application northwind --at 2026-11-02
    """
    entry = runtime.app().tracker.log(
        InteractionKind.APPLICATION,
        opportunity_ref=opp,
        person_refs=via,
        direction=Direction.OUT,
        at=at,
        notes=notes,
    )
    _print(runtime, entry, as_json)


@command("log resume-sent", Arg("person", metavar="PERSON"), OPP, AT, NOTES, JSON)
def log_resume(
    runtime: Runtime, person: str, opp: str | None, at: str | None, notes: str, as_json: bool
) -> None:
    """You sent your résumé to PERSON.

    Example: followup log resume-sent priya --opp northwind
    """
    entry = runtime.app().tracker.log(
        InteractionKind.RESUME_SENT,
        person_refs=(person,),
        opportunity_ref=opp,
        direction=Direction.OUT,
        at=at,
        notes=notes,
    )
    _print(runtime, entry, as_json)


def _message(kind: InteractionKind, direction: Direction, name: str, doc: str) -> Command:
    def handler(runtime: Runtime, person: str, opp: str | None, as_json: bool, **o: Any) -> None:
        entry = runtime.app().tracker.log(
            kind,
            person_refs=(person,),
            opportunity_ref=opp,
            direction=direction,
            at=o["at"],
            subject=o["subject"],
            notes=o["notes"],
            message_id=o["message_id"],
            in_reply_to=o["in_reply_to"],
        )
        _print(runtime, entry, as_json)

    handler.__doc__ = doc
    return command(
        f"log {name}",
        Arg("person", metavar="PERSON"),
        OPP,
        Arg("--subject", help="the subject line"),
        Arg("--message-id", help="the Message-ID header, to match replies later"),
        Arg("--in-reply-to", help="the Message-ID it answers"),
        AT, NOTES, JSON,
    )(handler)  # fmt: skip


MESSAGES = [
    _message(InteractionKind.EMAIL, Direction.IN, "email-in",
             'PERSON e-mailed you.\n\nExample: followup log email-in jane --subject "Next steps"'),
    _message(InteractionKind.EMAIL, Direction.OUT, "email-out",
             'You e-mailed PERSON.\n\nExample: followup log email-out jane --subject "Thank you"'),
    _message(InteractionKind.LINKEDIN, Direction.IN, "linkedin-in",
             "PERSON wrote to you on LinkedIn.\n\nExample: followup log linkedin-in raj"),
    _message(InteractionKind.LINKEDIN, Direction.OUT, "linkedin-out",
             'You wrote to PERSON on LinkedIn.\n\nExample: followup log linkedin-out raj --notes "congrats"'),
]  # fmt: skip


@command(
    "log call",
    Arg("person", metavar="PERSON"),
    *flag_pair("--answered", "--no-answer", "answered", default=True, help="did anyone pick up (default)"),
    BY, OPP, AT, NOTES, JSON,
)  # fmt: skip
def log_call(runtime: Runtime, person: str, answered: bool, caller: str, opp: str | None, **o: Any) -> None:
    """A phone call with PERSON.

    Example: followup log call jane --no-answer
    """
    entry = runtime.app().tracker.log(
        InteractionKind.CALL,
        person_refs=(person,),
        opportunity_ref=opp,
        direction=Direction.OUT if caller == "me" else Direction.IN,
        answered=answered,
        caller=Caller(caller),
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


@command("log voicemail", Arg("person", metavar="PERSON"), BY, OPP, AT, NOTES, JSON)
def log_voicemail(runtime: Runtime, person: str, caller: str, opp: str | None, **o: Any) -> None:
    """A voicemail left for (or, with --by them, by) PERSON.

    Example: followup log voicemail jane
    """
    entry = runtime.app().tracker.log(
        InteractionKind.VOICEMAIL,
        person_refs=(person,),
        opportunity_ref=opp,
        direction=Direction.OUT if caller == "me" else Direction.IN,
        caller=Caller(caller),
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


@command(
    "log meeting",
    Arg("person", metavar="PERSON"),
    Arg("--with", dest="others", action="append", default=[], metavar="PERSON", help="others who were there"),
    OPP, AT, NOTES, JSON,
)  # fmt: skip
def log_meeting(runtime: Runtime, person: str, others: list[str], opp: str | None, **o: Any) -> None:
    """You met PERSON (coffee, an event, a call that was not an interview).

    Example: followup log meeting priya --at "yesterday 17:00" --notes "coffee, intro to Raj"
    """
    entry = runtime.app().tracker.log(
        InteractionKind.MEETING,
        person_refs=(person, *others),
        opportunity_ref=opp,
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


@command(
    "log interview",
    Arg("opp", metavar="OPP"),
    Arg(
        "--with",
        dest="interviewers",
        action="append",
        default=[],
        metavar="PERSON",
        help="an interviewer (repeatable)",
    ),
    Arg("--at", required=True, help="when it starts: tue 14:00, tomorrow 10:30, 2026-12-01 09:00 …"),
    Arg("--duration", default="45m", help="45m, 1h, 1h30m … (default 45m)"),
    Arg("--kind", choices=[k.value for k in InterviewKind], default="video", help="default video"),
    Arg("--where", dest="location", help="place or video link"),
    Arg("--tz", dest="timezone", help="zone the interview is set in (default yours)"),
    Arg("--notes", default="", help="topics discussed (thank-you notes use them)"),
    JSON,
)
def log_interview(runtime: Runtime, opp: str, interviewers: list[str], as_json: bool, **o: Any) -> None:
    """An interview for OPP, held or scheduled (a weekday means the coming one).

    Example: followup log interview northwind --with jane --with raj --at "tue 14:00" --duration 45m
    """
    interview = runtime.app().tracker.log_interview(
        opp,
        at=o["at"],
        duration=o["duration"],
        interviewer_refs=interviewers,
        kind=InterviewKind(o["kind"]),
        location=o["location"],
        timezone=o["timezone"],
        notes=o["notes"],
    )
    if as_json:
        emit_json(interview_json(interview))
        return
    start = interview.starts_at.astimezone(runtime.app().context.tz)
    term.echo(f"Logged interview {interview.id} on {start:%a %d %b %Y %H:%M}.")


@command(
    "log outcome",
    Arg("opp", metavar="OPP"),
    Arg("outcome", choices=[o.value for o in Outcome]),
    Arg("--from", dest="person", metavar="PERSON", help="who told you"),
    AT, NOTES, JSON,
)  # fmt: skip
def log_outcome(runtime: Runtime, opp: str, outcome: str, person: str | None, **o: Any) -> None:
    """How OPP ended, or an offer.

    Example: followup log outcome northwind filled
    """
    entry = runtime.app().tracker.log(
        InteractionKind.OUTCOME,
        opportunity_ref=opp,
        person_refs=(person,) if person else (),
        direction=Direction.IN,
        outcome=Outcome(outcome),
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


@command(
    "log note",
    Arg("target", metavar="OPP"),
    Arg("text"),
    Arg("--person", dest="is_person", action="store_true", help="the first argument is a person"),
    AT, JSON,
)  # fmt: skip
def log_note(
    runtime: Runtime, target: str, text: str, is_person: bool, at: str | None, as_json: bool
) -> None:
    """A note on an opportunity (or, with --person, on a person).

    Example: followup log note northwind "Team uses dbt and Snowflake"
    """
    tracker = runtime.app().tracker
    entry = (
        tracker.log(InteractionKind.NOTE, person_refs=(target,), at=at, notes=text)
        if is_person
        else tracker.log(InteractionKind.NOTE, opportunity_ref=target, at=at, notes=text)
    )
    _print(runtime, entry, as_json)


COMMANDS = [
    log_application, log_resume, *MESSAGES, log_call, log_voicemail, log_meeting, log_interview, log_outcome,
    log_note,
]  # fmt: skip
