"""Bringing rows of a file in: each matched against the database (domain/identity.py), then written
(people a batch at a time, an opportunity with its contact and ledger entries in one transaction per
row) or, in a dry run, only described. Re-importing a file finds every row already there."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from itertools import compress
from typing import Any, NamedTuple

from followup.domain.cells import moves_forward
from followup.domain.identity import (
    Entry,
    OpportunityIndex,
    PeopleIndex,
    adds_nothing,
    fill_opportunity,
    fill_person,
    linkedin_keys,
    surely_new,
    surely_unchanged,
)
from followup.domain.imported import PeopleColumns, RowProblem
from followup.domain.model import (
    EmailAddress,
    Interaction,
    InteractionKind,
    Link,
    Opportunity,
    Person,
    Role,
    Stage,
)
from followup.domain.playbook import Problem
from followup.domain.sheets import OpportunityRow
from followup.errors import FollowupError
from followup.services.context import Context
from followup.services.tracking import Tracker

BATCH = 5000  # people written per transaction
KINDS = ("person", "opportunity", "role", "interaction", "interview", "suggestion")
Progress = Callable[[int, int], object]


class Change(NamedTuple):
    """One thing an import did (or, in a dry run, would do). A NamedTuple: there may be 25,000."""

    line: int | None
    action: str  # created, updated, unchanged
    kind: str  # person, opportunity, role, interaction
    id: int | None  # None in a dry run for what would be created
    label: str
    because: str  # how it was matched, or what is new


@dataclass(frozen=True)
class _Bulk:
    """Many rows done alike (created, or found unchanged): their changes are made when listed."""

    action: str
    kind: str
    lines: list[int]
    ids: Sequence[int | None] | None
    labels: Callable[[], list[str]]
    because: str

    def changes(self) -> list[Change]:
        ids: Sequence[int | None] = self.ids if self.ids is not None else [None] * len(self.lines)
        return [
            Change(line, self.action, self.kind, i, label, self.because)
            for line, i, label in zip(self.lines, ids, self.labels(), strict=True)
        ]


@dataclass
class ImportReport:
    file: str
    format: str  # linkedin, csv, vcard, json
    dry_run: bool
    rows: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read, guesses made
    map_problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None
    header_line: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field → the header it was read from
    ignored_columns: list[str] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)  # a backup restored: rows per table
    # what was done row by row, and what was done to many rows at once (listed when asked for)
    _changes: list[Change] = field(default_factory=list, repr=False)
    _bulk: list[_Bulk] = field(default_factory=list, repr=False)

    @property
    def changes(self) -> list[Change]:
        """Everything the import did (or would do), in the file's order."""
        if self._bulk:
            made = [change for bulk in self._bulk for change in bulk.changes()]
            self._changes = sorted([*self._changes, *made], key=lambda c: c.line or 0)
            self._bulk = []
        return self._changes

    def created_in_bulk(
        self, kind: str, lines: list[int], ids: list[int] | None, labels: Callable[[], list[str]]
    ) -> None:
        """Many rows created at once, each new (`ids` None in a dry run): their changes are made only
        when listed (the terminal shows counts; --json lists them)."""
        self._bulk.append(_Bulk("created", kind, lines, ids, labels, "new"))

    def unchanged_in_bulk(
        self,
        kind: str,
        lines: list[int],
        ids: Sequence[int | None],
        labels: Callable[[], list[str]],
        because: str,
    ) -> None:
        """Many rows found already there, nothing to add: listed only when asked for, as created_in_bulk."""
        self._bulk.append(_Bulk("unchanged", kind, lines, ids, labels, because))

    def counts(self, action: str) -> dict[str, int]:
        found = Counter(c.kind for c in self._changes if c.action == action)
        for bulk in self._bulk:
            if bulk.action == action:
                found[bulk.kind] += len(bulk.lines)
        return {kind: found[kind] for kind in KINDS if found[kind]}

    def created_lines(self, kind: str) -> list[int]:
        """The lines of the file that created a `kind`, listed or not."""
        return [
            *(c.line for c in self._changes if c.action == "created" and c.kind == kind and c.line),
            *(line for b in self._bulk if b.action == "created" and b.kind == kind for line in b.lines),
        ]

    @property
    def unchanged(self) -> int:
        return sum(self.counts("unchanged").values())

    def skip(self, problem: RowProblem) -> None:
        self.skipped.append(problem)


def differences(old: Person | Opportunity, new: Person | Opportunity) -> str:
    """What filling in added, in words: "jane@northwind.example, LinkedIn profile"."""
    added: list[str] = []
    for f in dataclasses.fields(new):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if before == after:
            continue
        if f.name == "emails":
            added += [e.address for e in after if e not in before]
        elif f.name == "in_network":
            added.append("in your network")
        else:
            added.append(f.name.replace("_", " ").replace("linkedin url", "LinkedIn profile"))
    return "added " + ", ".join(added)


class PeopleImport:
    """People rows (LinkedIn, vCard, a spreadsheet of people), written a batch at a time."""

    def __init__(self, ctx: Context, tracker: Tracker, report: ImportReport, *, dry_run: bool) -> None:
        self.ctx, self.tracker, self.report, self.dry_run = ctx, tracker, report, dry_run
        self.index = PeopleIndex(ctx.repo.all_people())
        self.pending: list[tuple[int, Entry, str, str]] = []  # (line, entry, action, because)

    def add(self, line: int, candidate: Person) -> None:
        found = self.match(line, candidate, claim=True)
        if isinstance(found, RowProblem):
            self.report.skip(found)
            return
        entry, action, because = found
        if action == "unchanged":
            self.report.changes.append(
                Change(line, action, "person", entry.id, _label(entry.record), because)
            )
            return
        self.pending.append((line, entry, action, because))
        if len(self.pending) >= BATCH:
            self.flush()

    def add_all(self, lines: Sequence[int], people: PeopleColumns, progress: Progress | None = None) -> None:
        """Many rows at once (LinkedIn's thousands), as `add` would take them one by one: the rows
        that are people already stored with nothing to add (identity.surely_unchanged: all of a file
        imported before) are found together, the rows that are surely new people (identity.surely_new)
        are created together, column by column; then the others are matched one at a time, in the
        file's order."""
        index = self.index
        keys = linkedin_keys(people.linkedin_urls)
        name_keys = functools.cache(lambda: list(map(index.name_key, people.names, people.organisations)))
        sure = surely_new(keys, people.emails, name_keys, index)
        same = surely_unchanged(
            keys,
            people.emails,
            name_keys,
            index,
            lambda i, person: adds_nothing(person, _fields(people, i)),
        )
        self._unchanged(lines, same)
        total = len(lines)
        new_lines = list(compress(lines, sure))
        new = people.keep(sure)
        ids: list[int] | None = None
        if not self.dry_run and new_lines:
            try:
                ids = self.tracker.record_people_columns(new)
            except FollowupError:  # rolled back: written one at a time, each row's problem found
                for i, line in enumerate(new_lines):
                    self.add(line, _person(new, i))
                self.flush()
                new_lines, new = [], new.keep([])
        done = total - same.count(None) + sure.count(True)  # written together, or one at a time
        if progress is not None:
            progress(done, total)
        for i in compress(range(total), map(operator.not_, sure)):
            if same[i] is not None:
                continue
            self.add(lines[i], _person(people, i))
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done, total)
        self.flush()
        # listed last: rows met one at a time are listed as they come, these only when asked for
        self.report.created_in_bulk(
            "person", new_lines, ids, lambda: list(map(_label_of, new.names, new.organisations))
        )

    def _unchanged(self, lines: Sequence[int], same: Sequence[Entry | None]) -> None:
        """Rows that are people already stored, with nothing to add (identity.surely_unchanged): each
        claims its person, as `match` does, and all are listed only when asked for."""
        found = [(line, entry) for line, entry in zip(lines, same, strict=True) if entry is not None]
        for line, entry in found:
            entry.line = line
        if found:
            self.report.unchanged_in_bulk(
                "person",
                [line for line, _ in found],
                [entry.id for _, entry in found],
                lambda: [_label(entry.record) for _, entry in found],
                "matched by LinkedIn profile",
            )

    def match(self, line: int, candidate: Person, *, claim: bool) -> tuple[Entry, str, str] | RowProblem:
        """(the entry this row is — a new one when nobody matches —, created|updated|unchanged, how it
        matched or what filling in added). The index learns the row at once, so a later repeat is found:
        with `claim`, a repeat is a problem (a list of people); without, it is the same contact again."""
        entry, how, ambiguous = self.index.find(candidate)
        if entry is None:
            if ambiguous:
                ids = ", ".join(str(e.id) for e in ambiguous)
                return RowProblem(
                    line,
                    None,
                    f"{_label(candidate)} could be any of {len(ambiguous)} people (ids {ids}).",
                    "Add their LinkedIn URL or e-mail address to the row, so followup can tell who it is.",
                )
            entry = Entry(candidate, line, new=True)
            self.index.add(entry)
            return entry, "created", "new"
        if claim and entry.line is not None:
            return RowProblem(
                line,
                None,
                f"this row repeats line {entry.line} ({_label(candidate)}, same {how}).",
                "Leave one of the two rows out; the first was imported.",
            )
        merged = fill_person(entry.record, candidate)
        for address in merged.emails:
            owner = self.index.owner(address)
            if owner is not None and owner is not entry:
                return RowProblem(
                    line,
                    None,
                    f"{address.address} belongs to {_label(owner.record)}, but the row is "
                    f"{_label(entry.record)} (by {how}).",
                    "Correct the address or the profile in the row: an address belongs to one person.",
                )
        if claim:
            entry.line = line
        if merged is entry.record or merged == entry.record:
            return entry, "unchanged", f"matched by {how}"
        because = differences(entry.record, merged)
        self.index.update(entry, merged)
        return entry, "updated", because

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        if self.dry_run:
            self._describe(pending)
            return
        try:
            with self.ctx.repo.transaction():
                self._write(pending)
        except FollowupError:
            for one in pending:  # the batch was rolled back: find the row at fault
                try:
                    with self.ctx.repo.transaction():
                        self._write([one])
                except FollowupError as exc:
                    if one[2] == "created":
                        self.index.discard(one[1])
                    self.report.skip(RowProblem(one[0], None, exc.message, exc.hint or "Correct the row."))
                    continue
                self._describe([one])
            return
        self._describe(pending)

    def _write(self, pending: list[tuple[int, Entry, str, str]]) -> None:
        creates = [entry for _, entry, action, _ in pending if action == "created"]
        ids = self.tracker.record_people([e.record for e in creates])
        for entry, pid in zip(creates, ids, strict=True):
            entry.id = pid
        for _, entry, action, _ in pending:
            if action == "updated":
                self.tracker.save_person(stored(entry))

    def _describe(self, pending: list[tuple[int, Entry, str, str]]) -> None:
        changes = self.report.changes
        for line, entry, action, because in pending:
            entry.new = False
            changes.append(Change(line, action, "person", entry.id, _label(entry.record), because))


def stored(entry: Entry) -> Any:
    """The entry's record with its id (a record created by this import learnt it after the fact)."""
    record = entry.record
    return record if record.id == entry.id else dataclasses.replace(record, id=entry.id)


def _label(p: Person) -> str:
    return _label_of(p.name, p.organisation)


def _label_of(name: str, organisation: str | None) -> str:
    return f"{name} ({organisation})" if organisation else name


def _person(people: PeopleColumns, i: int) -> Person:
    """Row `i` of `people` as a Person."""
    email = people.emails[i]
    return Person(emails=(EmailAddress(email),) if email else (), **_fields(people, i))


def _fields(people: PeopleColumns, i: int) -> dict[str, Any]:
    """Row `i` of `people` as the fields of a Person, but its e-mail address."""
    return {
        "name": people.names[i],
        "organisation": people.organisations[i],
        "title": people.titles[i],
        "cadence_days": people.cadence_days,
        "in_network": people.in_network,
        "linkedin_url": people.linkedin_urls[i],
        "created_at": people.created_at[i],
    }



@dataclass
class _Plan:
    """What one opportunity row does, decided before anything is written."""

    line: int
    opportunity: Entry
    action: str  # created, updated, unchanged
    because: str
    contact: tuple[Entry, str, str] | None = None  # (entry, action, because)
    role_added: bool = False
    entries: list[Interaction] = field(default_factory=list)


class OpportunityImport:
    """Opportunity rows of a spreadsheet: the opportunity, its contact and role, the application and
    stage in the ledger, in one transaction per row."""

    def __init__(
        self, ctx: Context, tracker: Tracker, report: ImportReport, *, dry_run: bool, contact_role: Role
    ) -> None:
        self.ctx, self.tracker, self.report, self.dry_run = ctx, tracker, report, dry_run
        self.people = PeopleImport(ctx, tracker, report, dry_run=dry_run)
        summaries = ctx.repo.list_opportunities(now=ctx.now())
        self.index = OpportunityIndex(s.opportunity for s in summaries)
        # what the ledger says of each: its stage, and whether an application is in
        self.state: dict[int | None, tuple[Stage, bool]] = {
            s.opportunity.id: (s.state.stage, s.state.applied_at is not None) for s in summaries
        }
        self.contact_role = contact_role

    def add(self, row: OpportunityRow) -> None:
        plan = self._plan(row)
        if isinstance(plan, RowProblem):
            self.report.skip(plan)
            return
        if not self.dry_run:
            try:
                with self.ctx.repo.transaction():
                    self._write(plan)
            except FollowupError as exc:
                self._forget(plan)
                self.report.skip(RowProblem(row.line, None, exc.message, exc.hint or "Correct the row."))
                return
        self._describe(plan)

    def _forget(self, plan: _Plan) -> None:
        """The row's transaction was rolled back: what it created does not exist."""
        if plan.action == "created":
            self.index.discard(plan.opportunity)
        if plan.contact is not None and plan.contact[1] == "created":
            self.people.index.discard(plan.contact[0])

    def _plan(self, row: OpportunityRow) -> _Plan | RowProblem:
        """What the row does. Every way it can fail is found before the indexes learn anything of it,
        so a row left out leaves no trace for the rows after it."""
        occurred = None
        if row.applied_on is not None:
            occurred = datetime.combine(row.applied_on, time(0), self.ctx.tz).astimezone(UTC)
            if occurred > self.ctx.now():
                return RowProblem(
                    row.line,
                    None,
                    f"the application date {row.applied_on} is in the future.",
                    "Give the day you applied; the ledger records what has happened.",
                )
        entry, how = self.index.find(row.opportunity)
        if entry is not None and entry.line is not None:
            return RowProblem(
                row.line,
                None,
                f"this row repeats line {entry.line} ({row.opportunity.company} — "
                f"{row.opportunity.title}, same {how}).",
                "Leave one of the two rows out; the first was imported.",
            )
        contact: tuple[Entry, str, str] | None = None
        if row.contact is not None:  # matched before the opportunity is noted: it may be a problem
            found = self.people.match(row.line, row.contact, claim=False)
            if isinstance(found, RowProblem):
                return found
            contact = found
        if entry is None:
            entry = Entry(row.opportunity, row.line, new=True)
            self.index.add(entry)
            plan = _Plan(row.line, entry, "created", "new")
            stage, applied = Stage.LEAD, False
        else:
            entry.line = row.line
            merged = fill_opportunity(entry.record, row.opportunity)
            if merged == entry.record:
                plan = _Plan(row.line, entry, "unchanged", f"matched by {how}")
            else:
                plan = _Plan(row.line, entry, "updated", differences(entry.record, merged))
                self.index.update(entry, merged)
            stage, applied = self.state[entry.id]
        if contact is not None:
            plan.contact = contact
            pid, oid = contact[0].id, entry.id
            plan.role_added = (
                pid is None
                or oid is None
                or Link(pid, oid, self.contact_role) not in self.ctx.repo.links_of_person(pid)
            )
        if occurred is not None and not applied:
            plan.entries.append(Interaction(InteractionKind.APPLICATION, occurred))
            stage = Stage.APPLIED if stage is Stage.LEAD else stage
        if row.stage is not None and moves_forward(stage, row.stage):
            # the file says where it stands, not since when: at the application, or now
            plan.entries.append(
                Interaction(InteractionKind.STAGE, occurred or self.ctx.now(), stage=row.stage)
            )
        return plan

    def _write(self, plan: _Plan) -> None:
        entry = plan.opportunity
        if plan.action == "created":
            entry.id = self.tracker.record_opportunity(entry.record)
        elif plan.action == "updated":
            self.tracker.save_opportunity(stored(entry))
        oid = entry.id
        if plan.contact is not None:
            contact, action, _ = plan.contact
            if action == "created" and contact.new:
                [contact.id] = self.tracker.record_people([contact.record])
            elif action == "updated":
                self.tracker.save_person(stored(contact))
            if plan.role_added and contact.id is not None and oid is not None:
                self.tracker.record_link(Link(contact.id, oid, self.contact_role))
        # the entries name no one: an application "with" a person would read as sent through them
        # (a résumé to a contact, which the playbook follows up); the contact's role says who they are
        for e in plan.entries:
            self.tracker.append(dataclasses.replace(e, opportunity_id=oid))

    def _describe(self, plan: _Plan) -> None:
        changes = self.report.changes
        o = plan.opportunity.record
        label = f"{o.company} — {o.title}"
        plan.opportunity.new = False
        changes.append(
            Change(plan.line, plan.action, "opportunity", plan.opportunity.id, label, plan.because)
        )
        if plan.contact is not None:
            entry, action, because = plan.contact
            entry.new = False
            changes.append(Change(plan.line, action, "person", entry.id, _label(entry.record), because))
            if plan.role_added:
                changes.append(
                    Change(
                        plan.line, "created", "role", None, f"{entry.record.name}: {self.contact_role}", label
                    )
                )
        for e in plan.entries:
            if e.kind is InteractionKind.APPLICATION:
                what = f"applied on {e.occurred_at.astimezone(self.ctx.tz):%Y-%m-%d}"
            else:
                what = f"stage {e.stage}"
            changes.append(Change(plan.line, "created", "interaction", None, label, what))
