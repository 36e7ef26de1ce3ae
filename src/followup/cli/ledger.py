"""`followup log KIND …`: append what happened to the ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from followup.cli.output import emit_json, interaction_json, interview_json, json_option
from followup.cli.runtime import Runtime, pass_runtime
from followup.domain.model import Caller, Direction, InteractionKind, InterviewKind, Outcome

AT_HELP = "When it happened (default now): 2026-11-02, yesterday 10:00, tue 14:30, -2d …"


@click.group()
def log() -> None:
    """Record an interaction: what happened, with whom, when.

    \b
    Examples:
      followup log application northwind --at "2026-11-02"
      followup log interview northwind --with jane --with raj --at "tue 14:00" --duration 45m
      followup log call jane --no-answer
      followup log email-in jane --subject "Next steps"
      followup log outcome northwind filled
    """


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    func = json_option(func)
    func = click.option("--notes", default="", help="What was said, in a few words.")(func)
    return click.option("--at", help=AT_HELP)(func)


def _print(runtime: Runtime, /, entry: Any, as_json: bool) -> None:
    if as_json:
        emit_json(interaction_json(entry))
        return
    where = ""
    if entry.opportunity_id is not None:
        summary = runtime.app().context.opportunity(str(entry.opportunity_id))
        where = f" ({summary.opportunity.company}; stage {summary.state.stage})"
    click.echo(f"Logged {entry.kind} {entry.id}{where}.")


@log.command("application")
@click.argument("opp")
@click.option("--via", "via", multiple=True, help="The network contact who passed it on (repeatable).")
@common
@pass_runtime
def log_application(runtime: Runtime, /, opp: str, via: tuple[str, ...], **o: Any) -> None:
    """You applied to OPP.  Example: followup log application northwind --at 2026-11-02"""
    entry = runtime.app().tracker.log(
        InteractionKind.APPLICATION,
        opportunity_ref=opp,
        person_refs=via,
        direction=Direction.OUT,
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


@log.command("resume-sent")
@click.argument("person")
@click.option("--opp", help="The opportunity it was for (default: the person's only open one).")
@common
@pass_runtime
def log_resume(runtime: Runtime, /, person: str, opp: str | None, **o: Any) -> None:
    """You sent your résumé to PERSON.  Example: followup log resume-sent priya --opp northwind"""
    entry = runtime.app().tracker.log(
        InteractionKind.RESUME_SENT,
        person_refs=(person,),
        opportunity_ref=opp,
        direction=Direction.OUT,
        at=o["at"],
        notes=o["notes"],
    )
    _print(runtime, entry, o["as_json"])


def _message(kind: InteractionKind, direction: Direction, name: str, summary: str) -> click.Command:
    @click.argument("person")
    @click.option("--opp", help="The opportunity it concerns (default: the person's only open one).")
    @click.option("--subject", help="The subject line.")
    @click.option("--message-id", help="The Message-ID header, to match replies later.")
    @click.option("--in-reply-to", help="The Message-ID it answers.")
    @common
    @pass_runtime
    def command(runtime: Runtime, /, person: str, opp: str | None, **o: Any) -> None:
        entry = runtime.app().tracker.log(
            kind,
            person_refs=(person,),
            opportunity_ref=opp,
            direction=direction,
            at=o["at"],
            subject=o["subject"],
            notes=o["notes"],
            message_id=o.get("message_id"),
            in_reply_to=o.get("in_reply_to"),
        )
        _print(runtime, entry, o["as_json"])

    command.__doc__ = summary
    return log.command(name)(command)


_message(
    InteractionKind.EMAIL,
    Direction.IN,
    "email-in",
    'PERSON e-mailed you.  Example: followup log email-in jane --subject "Next steps"',
)
_message(
    InteractionKind.EMAIL,
    Direction.OUT,
    "email-out",
    'You e-mailed PERSON.  Example: followup log email-out jane --subject "Thank you"',
)
_message(
    InteractionKind.LINKEDIN,
    Direction.IN,
    "linkedin-in",
    "PERSON wrote to you on LinkedIn.  Example: followup log linkedin-in raj",
)
_message(
    InteractionKind.LINKEDIN,
    Direction.OUT,
    "linkedin-out",
    "You wrote to PERSON on LinkedIn.  Example: followup log linkedin-out raj --notes 'congrats'",
)


@log.command("call")
@click.argument("person")
@click.option("--answered/--no-answer", default=True, help="Whether anyone picked up (default answered).")
@click.option("--by", "caller", type=click.Choice(["me", "them"]), default="me", help="Who called.")
@click.option("--opp", help="The opportunity it concerns (default: the person's only open one).")
@common
@pass_runtime
def log_call(
    runtime: Runtime, /, person: str, answered: bool, caller: str, opp: str | None, **o: Any
) -> None:
    """A phone call with PERSON.  Example: followup log call jane --no-answer"""
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


@log.command("voicemail")
@click.argument("person")
@click.option("--by", "caller", type=click.Choice(["me", "them"]), default="me", help="Who left it.")
@click.option("--opp", help="The opportunity it concerns.")
@common
@pass_runtime
def log_voicemail(runtime: Runtime, /, person: str, caller: str, opp: str | None, **o: Any) -> None:
    """A voicemail left for (or by) PERSON.  Example: followup log voicemail jane"""
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


@log.command("meeting")
@click.argument("person")
@click.option("--with", "others", multiple=True, help="Others who were there (repeatable).")
@click.option("--opp", help="The opportunity it concerns.")
@common
@pass_runtime
def log_meeting(runtime: Runtime, /, person: str, others: tuple[str, ...], opp: str | None, **o: Any) -> None:
    """You met PERSON (coffee, event, call without a scheduled interview).

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


@log.command("interview")
@click.argument("opp")
@click.option("--with", "interviewers", multiple=True, help="An interviewer (repeatable).")
@click.option("--at", required=True, help="When it starts: tue 14:00, tomorrow 10:30, 2026-12-01 09:00 …")
@click.option("--duration", default="45m", show_default=True, help="45m, 1h, 1h30m …")
@click.option(
    "--kind", type=click.Choice([k.value for k in InterviewKind]), default="video", show_default=True
)
@click.option("--where", "location", help="Place or video link.")
@click.option("--tz", "timezone", help="Zone the interview is set in (default yours).")
@click.option("--notes", default="", help="Topics discussed (used by thank-you notes).")
@json_option
@pass_runtime
def log_interview(runtime: Runtime, /, opp: str, interviewers: tuple[str, ...], **o: Any) -> None:
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
    if o["as_json"]:
        emit_json(interview_json(interview))
        return
    start = interview.starts_at.astimezone(runtime.app().context.tz)
    click.echo(f"Logged interview {interview.id} on {start:%a %d %b %Y %H:%M}.")


@log.command("outcome")
@click.argument("opp")
@click.argument("outcome", type=click.Choice([o.value for o in Outcome]))
@click.option("--from", "person", help="Who told you.")
@common
@pass_runtime
def log_outcome(runtime: Runtime, /, opp: str, outcome: str, person: str | None, **o: Any) -> None:
    """How OPP ended (or an offer).  Example: followup log outcome northwind filled"""
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


@log.command("note")
@click.argument("target")
@click.argument("text")
@click.option("--person", "is_person", is_flag=True, help="TARGET is a person, not an opportunity.")
@click.option("--at", help=AT_HELP)
@json_option
@pass_runtime
def log_note(
    runtime: Runtime, /, target: str, text: str, is_person: bool, at: str | None, as_json: bool
) -> None:
    """A note on an opportunity (or with --person, on a person).

    Example: followup log note northwind "Team uses dbt and Snowflake"
    """
    tracker = runtime.app().tracker
    entry = (
        tracker.log(InteractionKind.NOTE, person_refs=(target,), at=at, notes=text)
        if is_person
        else tracker.log(InteractionKind.NOTE, opportunity_ref=target, at=at, notes=text)
    )
    _print(runtime, entry, as_json)
