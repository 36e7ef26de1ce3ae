"""`followup list` and `followup show`: the search read back, for people and for scripts."""

from __future__ import annotations

from collections.abc import Sequence

from followup.cli.output import (
    JSON,
    describe_entry,
    describe_move,
    emit_json,
    stage_label,
    table,
    when,
)
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import echo, secho
from followup.domain.model import Interaction, Interview, Role, Stage
from followup.errors import AmbiguousReferenceError, InvalidInputError, NotFoundError
from followup.services.browsing import OpportunityDetail, PersonDetail
from followup.services.context import describe_opportunity, describe_person
from followup.shapes import (
    move_json,
    opportunity_detail_json,
    opportunity_json,
    person_detail_json,
    person_json,
)

STAGE_CHOICES = [s.value for s in Stage] + ["open", "closed"]


@command(
    "list",
    Arg("kind", nargs="?", choices=["opportunities", "people"], default="opportunities"),
    Arg("--stage", dest="stages", action="append", default=[], choices=STAGE_CHOICES,
        help="only these stages (repeatable; open and closed name the groups)"),
    Arg("--org", help="only this company or organisation (part of the name)"),
    Arg("--role", choices=[r.value for r in Role], help="only opportunities or people with this role"),
    Arg("--search", help="text anywhere in names, titles and notes"),
    JSON,
)  # fmt: skip
def list_(
    runtime: Runtime, kind: str, stages: list[str], org: str | None, role: str | None, search: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """List opportunities (the default) or people.

    Examples:
      followup list --stage interviewing
      followup list people --role recruiter --org northwind
      followup list --search data --json
    """
    app = runtime.app()
    now, zone = app.context.now(), app.context.tz
    if kind == "people":
        if stages:
            raise InvalidInputError("--stage applies to opportunities, not people.")
        people = app.browser.people(organisation=org, role=Role(role) if role else None, search=search)
        if as_json:
            emit_json({"people": [person_json(p) for p in people]})
            return
        table(
            ["ID", "NAME", "ORGANISATION", "ROLES", "EMAIL", "LAST CONTACT"],
            (
                [
                    str(p.person.id),
                    p.person.name,
                    p.person.organisation or "",
                    ", ".join(
                        sorted(
                            {r.value for _, _, r in p.roles} | ({"network"} if p.person.in_network else set())
                        )
                    ),
                    p.person.primary_email or p.person.phone or "",
                    when(p.last_contact_at, zone, now=now),
                ]
                for p in people
            ),
        )
        return
    wanted: list[Stage] = []
    for name in stages:
        if name == "open":
            wanted += [s for s in Stage if not s.is_closed]
        elif name == "closed":
            wanted += [s for s in Stage if s.is_closed]
        else:
            wanted.append(Stage(name))
    rows = app.browser.opportunities(
        stages=wanted, organisation=org, role=Role(role) if role else None, search=search
    )
    if as_json:
        emit_json({"opportunities": [opportunity_json(o) for o in rows]})
        return
    table(
        ["ID", "STAGE", "COMPANY", "ROLE", "LAST CONTACT"],
        (
            [
                str(o.opportunity.id),
                stage_label(o.state.stage),
                o.opportunity.company,
                o.opportunity.title,
                when(o.state.last_contact_at, zone, now=now),
            ]
            for o in rows
        ),
        styled=(1,),
    )


@command("show", Arg("words", nargs="+", metavar="[opportunity|person] REF"), JSON)
def show(runtime: Runtime, words: list[str], as_json: bool) -> None:
    """Show an opportunity or a person: details, people and roles, interviews, the timeline.

    Examples:
      followup show northwind
      followup show jane --json
      followup show person 12      (a bare id is looked up as both kinds; name the kind if both exist)
    """
    app = runtime.app()
    kind, reference = _split(words)
    detail: OpportunityDetail | PersonDetail
    if kind == "opportunity":
        detail = app.browser.opportunity(reference)
    elif kind == "person":
        detail = app.browser.person(reference)
    else:
        detail = _either(runtime, reference)
    move = (
        app.planning.moves_of_opportunity(detail.summary.opportunity.id or 0)
        if isinstance(detail, OpportunityDetail)
        else app.planning.moves_of_person(detail.summary.person.id or 0)
    )
    if as_json:
        shown = (
            opportunity_detail_json(detail)
            if isinstance(detail, OpportunityDetail)
            else person_detail_json(detail)
        )
        emit_json({**shown, "whose_move": move_json(move)})
        return
    if isinstance(detail, OpportunityDetail):
        _show_opportunity(runtime, detail)
    else:
        _show_person(runtime, detail)
    secho(f"\nWhose move: {describe_move(move, app.context.tz, app.context.now())}", bold=True)


def _split(words: list[str]) -> tuple[str | None, str]:
    kinds = {"opportunity": "opportunity", "opp": "opportunity", "person": "person"}
    if len(words) > 1 and words[0] in kinds:
        return kinds[words[0]], " ".join(words[1:])
    return None, " ".join(words)


def _either(runtime: Runtime, /, reference: str) -> OpportunityDetail | PersonDetail:
    """Look a reference up as an opportunity and as a person; exactly one may match."""
    app = runtime.app()
    found: list[OpportunityDetail | PersonDetail] = []
    ambiguous: list[AmbiguousReferenceError] = []
    for lookup in (app.browser.opportunity, app.browser.person):
        try:
            found.append(lookup(reference))
        except NotFoundError:
            continue
        except AmbiguousReferenceError as exc:
            ambiguous.append(exc)
    if len(found) == 1 and not ambiguous:
        return found[0]
    if ambiguous and not found and len(ambiguous) == 1:
        raise ambiguous[0]
    if found or ambiguous:
        lines = [
            "opportunity " + describe_opportunity(d.summary).strip()
            if isinstance(d, OpportunityDetail)
            else "person " + describe_person(d.summary).strip()
            for d in found
        ]
        raise AmbiguousReferenceError(
            f"{reference!r} matches both kinds:\n  "
            + "\n  ".join(lines or [str(e.message) for e in ambiguous]),
            hint=f"Say which: followup show opportunity {reference}  or  followup show person {reference}",
        )
    raise NotFoundError(
        f"Nothing matches {reference!r}.", hint="See `followup list` and `followup list people`."
    )


def _show_opportunity(runtime: Runtime, /, d: OpportunityDetail) -> None:
    ctx = runtime.app().context
    now, zone = ctx.now(), ctx.tz
    o, state = d.summary.opportunity, d.summary.state
    secho(f"{o.company} — {o.title}", bold=True)
    echo(f"  id {o.id} · stage {stage_label(state.stage, width=0)}")
    for label, value in (
        ("source", o.source.value if o.source else None),
        ("location", o.location),
        ("link", o.url),
        ("applied", when(state.applied_at, zone, now=now) if state.applied_at else None),
        ("last contact", when(state.last_contact_at, zone, now=now) if state.last_contact_at else None),
        ("decision expected", o.decision_expected.isoformat() if o.decision_expected else None),
        ("notes", o.notes or None),
    ):
        if value:
            echo(f"  {label}: {value}")
    if d.people:
        secho("\nPeople", bold=True)
        for person, roles in d.people:
            contact = person.primary_email or person.phone or "no address"
            echo(f"  {person.id:>4}  {person.name} ({', '.join(r.value for r in roles)}) · {contact}")
    _interviews_and_timeline(runtime, d.interviews, d.ledger, d.names)


def _show_person(runtime: Runtime, /, d: PersonDetail) -> None:
    ctx = runtime.app().context
    now, zone = ctx.now(), ctx.tz
    p = d.summary.person
    secho(p.name, bold=True)
    echo(f"  id {p.id}" + (" · in your network" if p.in_network else ""))
    for label, value in (
        ("works at", " · ".join(x for x in (p.title, p.organisation) if x) or None),
        ("e-mail", ", ".join(e.address + (" (bad)" if e.bad else "") for e in p.emails) or None),
        ("phone", p.phone),
        ("time zone", p.timezone),
        ("country", p.country),
        ("stay in touch", f"every {p.cadence_days} days" if p.cadence_days else None),
        ("LinkedIn", p.linkedin_url),
        (
            "last contact",
            when(d.summary.last_contact_at, zone, now=now) if d.summary.last_contact_at else None,
        ),
        ("notes", p.notes or None),
    ):
        if value:
            echo(f"  {label}: {value}")
    if d.opportunities:
        secho("\nOpportunities", bold=True)
        for summary, roles in d.opportunities:
            o = summary.opportunity
            echo(
                f"  {o.id:>4}  {o.company} — {o.title} · {summary.state.stage} "
                f"({', '.join(r.value for r in roles)})"
            )
    _interviews_and_timeline(runtime, d.interviews, d.ledger, d.names)


def _interviews_and_timeline(
    runtime: Runtime,
    interviews: Sequence[Interview],
    ledger: Sequence[Interaction],
    names: dict[int, str],
) -> None:
    ctx = runtime.app().context
    now, zone = ctx.now(), ctx.tz
    if interviews:
        secho("\nInterviews", bold=True)
        for v in interviews:
            who = (
                ", ".join(names.get(pid, str(pid)) for pid in v.interviewer_ids)
                or "interviewers not recorded"
            )
            status = " (cancelled)" if v.status.value == "cancelled" else ""
            echo(f"  {when(v.starts_at, zone, now=now):>16}  {v.kind} with {who}{status}")
    secho("\nTimeline", bold=True)
    if not ledger:
        echo("  nothing recorded yet — followup log … adds entries")
    for e in ledger:
        echo(f"  {when(e.occurred_at, zone, now=now):>16}  {describe_entry(e, names)}")


COMMANDS = [list_, show]
