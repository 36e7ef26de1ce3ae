"""Records as rows for spreadsheets: `export csv` (times in the user's zone, "YYYY-MM-DD HH:MM")."""

from __future__ import annotations

from datetime import datetime

from followup.services.context import Context

Rows = tuple[list[str], list[list[object]]]


def _local(ctx: Context, moment: datetime | None) -> str | None:
    return moment.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M") if moment else None


def opportunity_rows(ctx: Context) -> Rows:
    headers = [
        "Id", "Company", "Title", "Stage", "URL", "Source", "Location", "Date Applied", "Last Contact",
        "Decision Expected", "Notes", "Created", "Contacts",
    ]  # fmt: skip
    rows: list[list[object]] = []
    for s in ctx.repo.list_opportunities(now=ctx.now()):
        o = s.opportunity
        applied = s.state.applied_at.astimezone(ctx.tz).date().isoformat() if s.state.applied_at else None
        contacts = "; ".join(f"{name} ({role})" for _pid, name, role in s.people)
        rows.append(
            [
                o.id,
                o.company,
                o.title,
                s.state.stage.value,
                o.url,
                o.source.value if o.source else None,
                o.location,
                applied,
                _local(ctx, s.state.last_contact_at),
                o.decision_expected,
                o.notes,
                _local(ctx, o.created_at),
                contacts,
            ]
        )
    return headers, rows


def people_rows(ctx: Context) -> Rows:
    headers = [
        "Id", "Name", "Email", "Bounced", "Phone", "Company", "Title", "LinkedIn", "Time Zone",
        "Country", "Cadence Days", "In Network", "Notes", "Created", "Last Contact", "Roles",
    ]  # fmt: skip
    rows: list[list[object]] = []
    for s in sorted(ctx.repo.list_people(now=ctx.now()), key=lambda s: s.person.id or 0):
        p = s.person
        roles = "; ".join(f"{role} at {company} (#{oid})" for oid, company, role in s.roles)
        rows.append(
            [
                p.id,
                p.name,
                "; ".join(e.address for e in p.emails if not e.bad),
                "; ".join(e.address for e in p.emails if e.bad),
                p.phone,
                p.organisation,
                p.title,
                p.linkedin_url,
                p.timezone,
                p.country,
                p.cadence_days,
                "yes" if p.in_network else "no",
                p.notes,
                _local(ctx, p.created_at),
                _local(ctx, s.last_contact_at),
                roles,
            ]
        )
    return headers, rows


def interaction_rows(ctx: Context) -> Rows:
    headers = [
        "Id", "Occurred", "Kind", "Direction", "Opportunity Id", "Opportunity", "People", "Subject",
        "Notes", "Outcome", "Stage Set", "Answered", "Caller", "Message-ID", "Recorded",
    ]  # fmt: skip
    people, opportunities, _links, ledger, _interviews = ctx.repo.planning_data()
    rows: list[list[object]] = []
    for e in sorted(ledger, key=lambda e: e.id or 0):
        opportunity = opportunities.get(e.opportunity_id) if e.opportunity_id is not None else None
        label = f"{opportunity[0].company} — {opportunity[0].title}" if opportunity else None
        names = "; ".join(people[pid].name if pid in people else f"#{pid}" for pid in e.person_ids)
        rows.append(
            [
                e.id,
                _local(ctx, e.occurred_at),
                e.kind.value,
                e.direction.value,
                e.opportunity_id,
                label,
                names,
                e.subject,
                e.notes,
                e.outcome.value if e.outcome else None,
                e.stage.value if e.stage else None,
                _yes_no(e.answered),
                e.caller.value if e.caller else None,
                e.message_id,
                _local(ctx, e.recorded_at),
            ]
        )
    return headers, rows


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"
