"""Commands that record things: add, edit, delete, link, unlink, stage."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from followup.cli.output import emit_json, json_option, opportunity_json, person_json
from followup.cli.runtime import Runtime, confirm, pass_runtime
from followup.domain.model import Role, Source, Stage
from followup.errors import InvalidInputError
from followup.services.tracking import OpportunityFields, PersonFields

ROLE = click.Choice([r.value for r in Role])
STAGE = click.Choice([s.value for s in Stage])
SOURCE = click.Choice([s.value for s in Source])


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"The date {value!r} is not a calendar date.", hint="Give it as YYYY-MM-DD, e.g. 2026-12-15."
        ) from None


def opportunity_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--url", help="The job posting."),
            click.option("--source", type=SOURCE, help="Where it came from."),
            click.option("--location", help="City, country or remote."),
            click.option("--decision", "decision", metavar="YYYY-MM-DD", help="When they said they decide."),
            click.option("--notes", help="Free text."),
        ]
    ):
        func = option(func)
    return func


def person_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--phone", help="Phone number, e.g. +1 312 555 0142."),
            click.option("--org", "organisation", help="Organisation they work for."),
            click.option("--title", help="Their job title."),
            click.option("--tz", "timezone", help="Their time zone (IANA name, e.g. America/Chicago)."),
            click.option("--country", help="Their country (ISO code, e.g. US), for public holidays."),
            click.option(
                "--cadence", "cadence_days", type=int, help="Stay in touch every N days (default 90)."
            ),
            click.option(
                "--network/--no-network", "in_network", default=None, help="Keep them in your network."
            ),
            click.option("--linkedin", "linkedin_url", help="Their LinkedIn profile URL."),
            click.option("--notes", help="Free text."),
        ]
    ):
        func = option(func)
    return func


@click.group()
def add() -> None:
    """Record a new opportunity or person."""


@add.command("opportunity")
@click.argument("company")
@click.argument("title")
@opportunity_options
@json_option
@pass_runtime
def add_opportunity(runtime: Runtime, /, company: str, title: str, as_json: bool, **options: Any) -> None:
    """Record a job you are pursuing: COMPANY and role TITLE.

    \b
    Example:
      followup add opportunity "Northwind Traders" "Data Engineer" \\
          --url https://careers.northwind.example/42 --source referral
    """
    fields = OpportunityFields(
        company=company,
        title=title,
        url=options["url"],
        source=Source(options["source"]) if options["source"] else None,
        location=options["location"],
        decision_expected=_day(options["decision"]),
        notes=options["notes"],
    )
    summary = runtime.app().tracker.add_opportunity(fields)
    if as_json:
        emit_json(opportunity_json(summary))
    else:
        o = summary.opportunity
        click.echo(f"Added opportunity {o.id}: {o.company} — {o.title}")


@add.command("person")
@click.argument("name")
@click.option("--email", "emails", multiple=True, help="An e-mail address (repeat for several).")
@person_options
@json_option
@pass_runtime
def add_person(
    runtime: Runtime, /, name: str, emails: tuple[str, ...], as_json: bool, **options: Any
) -> None:
    """Record someone you talk to.

    \b
    Example:
      followup add person "Jane Doe" --email jane@northwind.example --org "Northwind Traders" \\
          --title "Engineering Manager" --tz America/Chicago --country US
    """
    summary = runtime.app().tracker.add_person(PersonFields(name=name, emails=emails, **options))
    if as_json:
        emit_json(person_json(summary))
    else:
        click.echo(f"Added person {summary.person.id}: {summary.person.name}")


@click.group()
def edit() -> None:
    """Change the details of an opportunity or a person (only the options given)."""


@edit.command("opportunity")
@click.argument("opp")
@click.option("--company")
@click.option("--title", help="The role title.")
@opportunity_options
@json_option
@pass_runtime
def edit_opportunity(runtime: Runtime, /, opp: str, as_json: bool, **options: Any) -> None:
    """Change an opportunity.  Example: followup edit opportunity northwind --decision 2026-12-15"""
    fields = OpportunityFields(
        company=options["company"],
        title=options["title"],
        url=options["url"],
        source=Source(options["source"]) if options["source"] else None,
        location=options["location"],
        decision_expected=_day(options["decision"]),
        notes=options["notes"],
    )
    summary = runtime.app().tracker.edit_opportunity(opp, fields)
    if as_json:
        emit_json(opportunity_json(summary))
    else:
        click.echo(f"Updated opportunity {summary.opportunity.id}: {summary.opportunity.company}")


@edit.command("person")
@click.argument("person")
@click.option("--name")
@click.option("--add-email", "add_emails", multiple=True, help="Add an address (repeatable).")
@click.option("--remove-email", "remove_emails", multiple=True, help="Remove an address (repeatable).")
@person_options
@json_option
@pass_runtime
def edit_person(
    runtime: Runtime,
    /,
    person: str,
    add_emails: tuple[str, ...],
    remove_emails: tuple[str, ...],
    as_json: bool,
    **options: Any,
) -> None:
    """Change a person.  Example: followup edit person jane --add-email jane.doe@gmail.example"""
    summary = runtime.app().tracker.edit_person(
        person, PersonFields(**options), add_emails=add_emails, remove_emails=remove_emails
    )
    if as_json:
        emit_json(person_json(summary))
    else:
        click.echo(f"Updated person {summary.person.id}: {summary.person.name}")


@click.group()
def delete() -> None:
    """Delete an opportunity (with its roles, ledger and interviews) or a person."""


@delete.command("opportunity")
@click.argument("opp")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_runtime
def delete_opportunity(runtime: Runtime, /, opp: str, yes: bool) -> None:
    """Delete an opportunity and everything recorded about it.  Example: followup delete opportunity 12"""
    tracker = runtime.app().tracker
    opportunity_id, impact = tracker.opportunity_impact(opp)
    confirm(
        f"Delete {impact.description} with {impact.links} role(s), {impact.interactions} ledger "
        f"entr{'y' if impact.interactions == 1 else 'ies'} and {impact.interviews} interview(s)?",
        yes=yes,
    )
    tracker.delete_opportunity(opportunity_id)
    click.echo(f"Deleted opportunity {opportunity_id}: {impact.description}")


@delete.command("person")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_runtime
def delete_person(runtime: Runtime, /, person: str, yes: bool) -> None:
    """Delete a person (ledger entries stay, without them).  Example: followup delete person jane --yes"""
    tracker = runtime.app().tracker
    person_id, impact = tracker.person_impact(person)
    confirm(
        f"Delete {impact.description}, their {impact.links} role(s), and their name from "
        f"{impact.interactions} ledger entries and {impact.interviews} interview(s)?",
        yes=yes,
    )
    tracker.delete_person(person_id)
    click.echo(f"Deleted person {person_id}: {impact.description}")


@click.command()
@click.argument("person")
@click.argument("opp", required=False)
@click.option("--role", type=ROLE, required=True, help="Their part (network needs no opportunity).")
@pass_runtime
def link(runtime: Runtime, /, person: str, opp: str | None, role: str) -> None:
    """Say who PERSON is in the opportunity OPP.

    \b
    Examples:
      followup link jane northwind --role hiring-manager
      followup link raj --role network
    """
    added = runtime.app().tracker.link(person, opp, Role(role))
    click.echo("Linked." if added else "Already linked; nothing changed.")


@click.command()
@click.argument("person")
@click.argument("opp", required=False)
@click.option("--role", type=ROLE, required=True)
@pass_runtime
def unlink(runtime: Runtime, /, person: str, opp: str | None, role: str) -> None:
    """Take a role away again.  Example: followup unlink jane northwind --role interviewer"""
    removed = runtime.app().tracker.unlink(person, opp, Role(role))
    click.echo("Unlinked." if removed else "There was no such role; nothing changed.")


@click.command()
@click.argument("opp")
@click.argument("stage", type=STAGE)
@click.option("--at", help="When it changed (default now), e.g. yesterday, 2026-11-02.")
@click.option("--notes", default="", help="Why, in a few words.")
@pass_runtime
def stage(runtime: Runtime, /, opp: str, stage: str, at: str | None, notes: str) -> None:
    """Move an opportunity to STAGE (recorded in the ledger).  Example: followup stage northwind screening"""
    result = runtime.app().tracker.change_stage(opp, Stage(stage), at=at, notes=notes)
    click.echo(f"Stage is now {result}.")
