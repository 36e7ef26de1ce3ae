"""Commands that record things: add, edit, delete, link, unlink, stage."""

from __future__ import annotations

from datetime import date
from typing import Any

from followup.cli import term
from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command, flag_pair
from followup.cli.runtime import Runtime, confirm
from followup.domain.model import Role, Source, Stage
from followup.errors import InvalidInputError
from followup.services.fields import OpportunityFields, PersonFields
from followup.shapes import opportunity_json, person_json

ROLES = [r.value for r in Role]
STAGES = [s.value for s in Stage]


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"The date {value!r} is not a calendar date.", hint="Give it as YYYY-MM-DD, e.g. 2026-12-15."
        ) from None


OPPORTUNITY_OPTIONS = (
    Arg("--url", help="the job posting"),
    Arg("--source", choices=[s.value for s in Source], help="where it came from"),
    Arg("--location", help="city, country or remote"),
    Arg("--decision", metavar="YYYY-MM-DD", help="when they said they decide"),
    Arg("--notes", help="free text"),
)
PERSON_OPTIONS = (
    Arg("--phone", help="phone number, e.g. +1 312 555 0142"),
    Arg("--org", dest="organisation", help="organisation they work for"),
    Arg("--title", help="their job title"),
    Arg("--tz", dest="timezone", help="their time zone (IANA name, e.g. America/Chicago)"),
    Arg("--country", help="their country (ISO code, e.g. US, or its name), for public holidays"),
    Arg(
        "--cadence",
        dest="cadence_days",
        type=int,
        metavar="DAYS",
        help="stay in touch every DAYS days (default 90)",
    ),
    *flag_pair(
        "--network", "--no-network", "in_network", default=None, help="keep them in your network (or not)"
    ),
    Arg("--linkedin", dest="linkedin_url", help="their LinkedIn profile URL"),
    Arg("--notes", help="free text"),
)


def _opportunity_fields(options: dict[str, Any]) -> OpportunityFields:
    return OpportunityFields(
        company=options.get("company"),
        title=options.get("title"),
        url=options["url"],
        source=Source(options["source"]) if options["source"] else None,
        location=options["location"],
        decision_expected=_day(options["decision"]),
        notes=options["notes"],
    )


@command("add opportunity", Arg("company"), Arg("title"), *OPPORTUNITY_OPTIONS, JSON)
def add_opportunity(runtime: Runtime, as_json: bool, **options: Any) -> None:
    """Record a job you are pursuing: COMPANY and role TITLE.

    Example:
      followup add opportunity "Northwind Traders" "Data Engineer" \\
          --url https://careers.northwind.example/42 --source referral
    """
    summary = runtime.app().tracker.add_opportunity(_opportunity_fields(options))
    if as_json:
        emit_json(opportunity_json(summary))
    else:
        o = summary.opportunity
        term.echo(f"Added opportunity {o.id}: {o.company} — {o.title}")


@command(
    "add person",
    Arg("name"),
    Arg("--email", dest="emails", action="append", default=[], help="an e-mail address (repeat for several)"),
    *PERSON_OPTIONS,
    JSON,
)
def add_person(runtime: Runtime, name: str, emails: list[str], as_json: bool, **options: Any) -> None:
    """Record someone you talk to.

    Example:
      followup add person "Jane Doe" --email jane@northwind.example --org "Northwind Traders" \\
          --title "Engineering Manager" --tz America/Chicago --country US
    """
    summary = runtime.app().tracker.add_person(PersonFields(name=name, emails=emails, **options))
    if as_json:
        emit_json(person_json(summary))
    else:
        term.echo(f"Added person {summary.person.id}: {summary.person.name}")


@command(
    "edit opportunity",
    Arg("opp", metavar="OPP"),
    Arg("--company"),
    Arg("--title", help="the role title"),
    *OPPORTUNITY_OPTIONS,
    JSON,
)
def edit_opportunity(runtime: Runtime, opp: str, as_json: bool, **options: Any) -> None:
    """Change an opportunity.

    Example: followup edit opportunity northwind --decision 2026-12-15
    """
    summary = runtime.app().tracker.edit_opportunity(opp, _opportunity_fields(options))
    if as_json:
        emit_json(opportunity_json(summary))
    else:
        term.echo(f"Updated opportunity {summary.opportunity.id}: {summary.opportunity.company}")


@command(
    "edit person",
    Arg("person", metavar="PERSON"),
    Arg("--name"),
    Arg("--add-email", dest="add_emails", action="append", default=[], help="add an address (repeatable)"),
    Arg(
        "--remove-email",
        dest="remove_emails",
        action="append",
        default=[],
        help="remove an address (repeatable)",
    ),
    *PERSON_OPTIONS,
    JSON,
)
def edit_person(
    runtime: Runtime,
    person: str,
    add_emails: list[str],
    remove_emails: list[str],
    as_json: bool,
    **options: Any,
) -> None:
    """Change a person.

    Example: followup edit person jane --add-email jane.doe@mail.example --tz Europe/Berlin
    """
    summary = runtime.app().tracker.edit_person(
        person, PersonFields(**options), add_emails=add_emails, remove_emails=remove_emails
    )
    if as_json:
        emit_json(person_json(summary))
    else:
        term.echo(f"Updated person {summary.person.id}: {summary.person.name}")


YES = Arg("--yes", action="store_true", help="do not ask for confirmation")


@command("delete opportunity", Arg("opp", metavar="OPP"), YES)
def delete_opportunity(runtime: Runtime, opp: str, yes: bool) -> None:
    """Delete an opportunity and everything recorded about it (roles, ledger, interviews).

    Example: followup delete opportunity 12
    """
    tracker = runtime.app().tracker
    opportunity_id, impact = tracker.opportunity_impact(opp)
    confirm(
        f"Delete {impact.description} with {impact.links} role(s), {impact.interactions} ledger "
        f"entr{'y' if impact.interactions == 1 else 'ies'} and {impact.interviews} interview(s)?",
        yes=yes,
    )
    tracker.delete_opportunity(opportunity_id)
    term.echo(f"Deleted opportunity {opportunity_id}: {impact.description}")


@command("delete person", Arg("person", metavar="PERSON"), YES)
def delete_person(runtime: Runtime, person: str, yes: bool) -> None:
    """Delete a person; the ledger entries stay, without their name.

    Example: followup delete person jane --yes
    """
    tracker = runtime.app().tracker
    person_id, impact = tracker.person_impact(person)
    confirm(
        f"Delete {impact.description}, their {impact.links} role(s), and their name from "
        f"{impact.interactions} ledger entries and {impact.interviews} interview(s)?",
        yes=yes,
    )
    tracker.delete_person(person_id)
    term.echo(f"Deleted person {person_id}: {impact.description}")


ROLE_ARGS = (
    Arg("person", metavar="PERSON"),
    Arg("opp", metavar="OPP", nargs="?", help="the opportunity (none for --role network)"),
    Arg("--role", required=True, choices=ROLES, help="their part"),
)


@command("link", *ROLE_ARGS)
def link(runtime: Runtime, person: str, opp: str | None, role: str) -> None:
    """Say who PERSON is in the opportunity OPP.

    Examples:
      followup link jane northwind --role hiring-manager
      followup link raj --role network
    """
    added = runtime.app().tracker.link(person, opp, Role(role))
    term.echo("Linked." if added else "Already linked; nothing changed.")


@command("unlink", *ROLE_ARGS)
def unlink(runtime: Runtime, person: str, opp: str | None, role: str) -> None:
    """Take a role away again.

    Example: followup unlink jane northwind --role interviewer
    """
    removed = runtime.app().tracker.unlink(person, opp, Role(role))
    term.echo("Unlinked." if removed else "There was no such role; nothing changed.")


@command(
    "stage",
    Arg("opp", metavar="OPP"),
    Arg("stage", choices=STAGES),
    Arg("--at", help="when it changed (default now), e.g. yesterday, 2026-11-02"),
    Arg("--notes", default="", help="why, in a few words"),
)
def stage(runtime: Runtime, opp: str, stage: str, at: str | None, notes: str) -> None:
    """Move an opportunity to STAGE (recorded in the ledger).

    Example: followup stage northwind screening
    """
    result = runtime.app().tracker.change_stage(opp, Stage(stage), at=at, notes=notes)
    term.echo(f"Stage is now {result}.")


COMMANDS = [
    add_opportunity, add_person, edit_opportunity, edit_person, delete_opportunity, delete_person,
    link, unlink, stage,
]  # fmt: skip
