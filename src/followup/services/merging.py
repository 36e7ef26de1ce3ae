"""A backup merged into a database that already has records (`import json --merge`).

The backup's people and opportunities are matched as any import's are (domain/identity.py) and get
this database's ids; roles, interviews (by calendar UID), ledger entries (by their content) and
suggestions (by message and kind) come in unless already there. The plan is then made anew for what
changed, so the backup's planned touches, the decisions on them and its outbox are not carried over;
neither are its mail folders' sync state and planning metadata (they belong to the other database).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from followup.domain.identity import Entry, OpportunityIndex, fill_opportunity
from followup.domain.imported import RowProblem
from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    InterviewStatus,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Source,
    Stage,
)
from followup.domain.suggestions import Suggestion, SuggestionKind, SuggestionStatus
from followup.ports import MailStore
from followup.services.context import Context
from followup.services.importing import Change, ImportReport, PeopleImport, stored
from followup.services.tracking import Tracker

Rows = Mapping[str, list[dict[str, Any]]]
_LEFT_OUT = {
    "touches": "planned touches and your decisions on them (the plan is made anew)",
    "outbox": "notes in the outbox",
    "mail_folders": "mailbox sync states",
}


def merge_backup(ctx: Context, tracker: Tracker, mail: MailStore, tables: Rows, report: ImportReport) -> None:
    """Bring the backup's records in beside this database's; `tables` as Snapshots.check gives them."""
    people = PeopleImport(ctx, tracker, report, dry_run=False)
    person_ids: dict[int, int] = {}
    for number, row in enumerate(tables["people"], start=1):
        candidate = _person(row)
        if (known := people.index.find(candidate)[0]) is not None and known.line is not None:
            # matched a person this backup already brought in: the backup holds two people of
            # one name and organisation, and they stay two
            people.index.add(known := Entry(candidate, number, new=True))
            found: tuple[Entry, str, str] | RowProblem = (known, "created", "new")
        else:
            found = people.match(number, candidate, claim=True)
        if isinstance(found, tuple):  # a problem (an address of someone else) leaves the person out
            entry, action, because = found
            if action == "created":
                [entry.id] = tracker.record_people([entry.record])
            elif action == "updated":
                tracker.save_person(stored(entry))
            entry.new = False
            report.changes.append(Change(None, action, "person", entry.id, entry.record.name, because))
            if entry.id is not None:
                person_ids[row["id"]] = entry.id
        else:
            report.skip(dataclasses.replace(found, line=0, field=f"people[{number - 1}] (id {row['id']})"))
    opportunity_ids = _opportunities(ctx, tracker, tables["opportunities"], report)
    for row in tables["links"]:
        if row["person_id"] in person_ids and row["opportunity_id"] in opportunity_ids:
            link = Link(
                person_ids[row["person_id"]], opportunity_ids[row["opportunity_id"]], Role(row["role"])
            )
            if tracker.record_link(link):
                report.changes.append(Change(None, "created", "role", None, f"{link.role}", ""))
    interview_ids = _interviews(ctx, tracker, tables["interviews"], person_ids, opportunity_ids, report)
    _ledger(ctx, tracker, tables["interactions"], person_ids, opportunity_ids, interview_ids, report)
    for row in tables["suggestions"]:
        suggestion = _suggestion(row, person_ids, opportunity_ids, interview_ids)
        if mail.add_suggestion(suggestion) is not None:
            report.changes.append(
                Change(None, "created", "suggestion", None, suggestion.subject, row["kind"])
            )
    left = [f"{len(tables[k])} {what}" for k, what in _LEFT_OUT.items() if tables.get(k)]
    if left:
        report.notes.append("Not merged: " + "; ".join(left) + ".")
    report.rows = sum(len(v) for v in tables.values())


def _opportunities(
    ctx: Context, tracker: Tracker, rows: list[dict[str, Any]], report: ImportReport
) -> dict[int, int]:
    index = OpportunityIndex(s.opportunity for s in ctx.repo.list_opportunities(now=ctx.now()))
    ids: dict[int, int] = {}
    for row in rows:
        candidate = Opportunity(
            company=row["company"],
            title=row["title"],
            url=row["url"],
            source=Source(row["source"]) if row["source"] else None,
            location=row["location"],
            decision_expected=row["decision_expected"],
            notes=row["notes"],
            created_at=row["created_at"],
        )
        entry, how = index.find(candidate)
        label = f"{candidate.company} — {candidate.title}"
        if entry is not None and entry.line is not None:
            entry = None  # one this backup already brought in: two openings of one title stay two
        if entry is None:
            new_id = tracker.record_opportunity(candidate)
            report.changes.append(Change(None, "created", "opportunity", new_id, label, "new"))
            index.add(Entry(candidate, line=0, id=new_id))
            ids[row["id"]] = new_id
            continue
        entry.line = 0
        merged = fill_opportunity(entry.record, candidate)
        action = "unchanged"
        if merged != entry.record:
            tracker.save_opportunity(dataclasses.replace(merged, id=entry.id))
            index.update(entry, merged)
            action = "updated"
        report.changes.append(Change(None, action, "opportunity", entry.id, label, f"matched by {how}"))
        if entry.id is not None:
            ids[row["id"]] = entry.id
    return ids


def _interviews(
    ctx: Context,
    tracker: Tracker,
    rows: list[dict[str, Any]],
    people: dict[int, int],
    opportunities: dict[int, int],
    report: ImportReport,
) -> dict[int, int]:
    ids: dict[int, int] = {}
    for row in rows:
        if row["opportunity_id"] not in opportunities:
            continue
        known = ctx.repo.interview_with_uid(row["uid"])
        if known is not None and known.id is not None:
            ids[row["id"]] = known.id
            continue
        interview = Interview(
            opportunity_id=opportunities[row["opportunity_id"]],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            timezone=row["timezone"],
            kind=InterviewKind(row["kind"]),
            location=row["location"],
            interviewer_ids=tuple(people[p] for p in row["interviewers"] if p in people),
            notes=row["notes"],
            uid=row["uid"],
            sequence=row["sequence"],
            status=InterviewStatus(row["status"]),
        )
        saved = tracker.schedule(interview)
        if saved.id is not None:
            ids[row["id"]] = saved.id
        report.changes.append(Change(None, "created", "interview", saved.id, row["uid"], ""))
    return ids


def _ledger(
    ctx: Context,
    tracker: Tracker,
    rows: list[dict[str, Any]],
    people: dict[int, int],
    opportunities: dict[int, int],
    interviews: dict[int, int],
    report: ImportReport,
) -> None:
    seen: dict[tuple[str, int], set[tuple[Any, ...]]] = {}

    def known(scope: tuple[str, int]) -> set[tuple[Any, ...]]:
        if scope not in seen:
            entries = (ctx.repo.ledger_of_opportunity if scope[0] == "o" else ctx.repo.ledger_of_person)(
                scope[1]
            )
            seen[scope] = {_signature(e) for e in entries}
        return seen[scope]

    for row in sorted(rows, key=lambda r: (r["occurred_at"], r["id"])):
        if row["opportunity_id"] is not None and row["opportunity_id"] not in opportunities:
            continue
        entry = _interaction(row, people, opportunities, interviews)
        if entry.opportunity_id is None and not entry.person_ids:
            continue
        scope = (
            ("o", entry.opportunity_id) if entry.opportunity_id is not None else ("p", entry.person_ids[0])
        )
        signature = _signature(entry)
        if signature in known(scope):
            report.changes.append(
                Change(None, "unchanged", "interaction", None, entry.kind.value, "already in")
            )
            continue
        saved = tracker.append(entry)
        known(scope).add(signature)
        report.changes.append(Change(None, "created", "interaction", saved.id, entry.kind.value, ""))


def _signature(e: Interaction) -> tuple[Any, ...]:
    return (
        e.occurred_at,
        e.kind,
        e.direction,
        e.outcome,
        e.stage,
        e.subject or "",
        e.notes,
        e.message_id or "",
        tuple(sorted(e.person_ids)),
        e.opportunity_id,
    )


def _person(row: dict[str, Any]) -> Person:
    return Person(
        name=row["name"],
        emails=tuple(EmailAddress(e["address"], e["bad"]) for e in row["emails"]),
        phone=row["phone"],
        organisation=row["organisation"],
        title=row["title"],
        timezone=row["timezone"],
        country=row["country"],
        cadence_days=row["cadence_days"],
        in_network=row["in_network"],
        linkedin_url=row["linkedin_url"],
        notes=row["notes"],
        created_at=row["created_at"],
    )


def _interaction(
    row: dict[str, Any], people: dict[int, int], opportunities: dict[int, int], interviews: dict[int, int]
) -> Interaction:
    return Interaction(
        kind=InteractionKind(row["kind"]),
        occurred_at=row["occurred_at"],
        direction=Direction(row["direction"]),
        opportunity_id=opportunities.get(row["opportunity_id"])
        if row["opportunity_id"] is not None
        else None,
        person_ids=tuple(people[p] for p in row["people"] if p in people),
        subject=row["subject"],
        notes=row["notes"],
        answered=row["answered"],
        caller=Caller(row["caller"]) if row["caller"] else None,
        message_id=row["message_id"],
        in_reply_to=row["in_reply_to"],
        references=tuple(row["refs"].split()),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        stage=Stage(row["stage"]) if row["stage"] else None,
        interview_id=interviews.get(row["interview_id"]) if row["interview_id"] is not None else None,
        returns_on=row["returns_on"],
    )


def _suggestion(
    row: dict[str, Any], people: dict[int, int], opportunities: dict[int, int], interviews: dict[int, int]
) -> Suggestion:
    return Suggestion(
        kind=SuggestionKind(row["kind"]),
        message_id=row["message_id"],
        occurred_at=row["occurred_at"],
        sender=row["sender"],
        because=row["because"],
        sender_name=row["sender_name"],
        organisation=row["organisation"],
        subject=row["subject"],
        snippet=row["snippet"],
        opportunity_id=opportunities.get(row["opportunity_id"]) if row["opportunity_id"] else None,
        person_id=people.get(row["person_id"]) if row["person_id"] else None,
        interview_id=interviews.get(row["interview_id"]) if row["interview_id"] else None,
        status=SuggestionStatus(row["status"]),
        created_at=row["created_at"],
        decided_at=row["decided_at"],
    )
