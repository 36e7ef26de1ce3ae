"""Reading a job search back: filtered lists and one record's whole story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from followup.domain.ledger import ledger_order
from followup.domain.model import (
    Interaction,
    Interview,
    OpportunitySummary,
    Person,
    PersonSummary,
    Role,
    Stage,
)
from followup.services.context import Context


@dataclass(frozen=True)
class OpportunityDetail:
    """Everything `show` tells about an opportunity."""

    summary: OpportunitySummary
    people: tuple[tuple[Person, tuple[Role, ...]], ...]
    ledger: tuple[Interaction, ...]
    interviews: tuple[Interview, ...]
    names: dict[int, str]  # person id → name, for every person the ledger mentions


@dataclass(frozen=True)
class PersonDetail:
    """Everything `show` tells about a person."""

    summary: PersonSummary
    opportunities: tuple[tuple[OpportunitySummary, tuple[Role, ...]], ...]
    ledger: tuple[Interaction, ...]
    interviews: tuple[Interview, ...]
    names: dict[int, str]


class Browser:
    def __init__(self, context: Context) -> None:
        self.ctx = context
        self.repo = context.repo

    def revision(self) -> tuple[int, int]:
        """Changes whenever the stored data may have changed: what a page cache is keyed on."""
        return self.repo.revision()

    def opportunities(
        self,
        *,
        stages: Sequence[Stage] = (),
        organisation: str | None = None,
        role: Role | None = None,
        search: str | None = None,
    ) -> list[OpportunitySummary]:
        return self.repo.list_opportunities(
            now=self.ctx.now(), stages=stages, organisation=organisation, role=role, search=search
        )

    def people(
        self, *, organisation: str | None = None, role: Role | None = None, search: str | None = None
    ) -> list[PersonSummary]:
        return self.repo.list_people(now=self.ctx.now(), organisation=organisation, role=role, search=search)

    def opportunity(self, reference: str) -> OpportunityDetail:
        summary = self.ctx.opportunity(reference)
        oid = summary.opportunity.id or 0
        roles: dict[int, list[Role]] = {}
        for link in self.repo.links_of_opportunity(oid):
            roles.setdefault(link.person_id, []).append(link.role)
        ledger = sorted(self.repo.ledger_of_opportunity(oid), key=ledger_order)
        interviews = self.repo.interviews_of_opportunity(oid)
        people = self.repo.get_people(sorted(_mentioned(roles, ledger, interviews)))
        return OpportunityDetail(
            summary=summary,
            people=tuple((p, tuple(roles[p.id])) for p in people if p.id in roles),
            ledger=tuple(ledger),
            interviews=tuple(interviews),
            names={p.id: p.name for p in people if p.id is not None},
        )

    def person(self, reference: str) -> PersonDetail:
        summary = self.ctx.person(reference)
        pid = summary.person.id or 0
        roles: dict[int, list[Role]] = {}
        for link in self.repo.links_of_person(pid):
            roles.setdefault(link.opportunity_id, []).append(link.role)
        opportunities = [
            found
            for oid in roles
            if (found := self.repo.get_opportunity(oid, now=self.ctx.now())) is not None
        ]
        ledger = sorted(self.repo.ledger_of_person(pid), key=ledger_order)
        interviews = self.repo.interviews_of_person(pid)
        people = self.repo.get_people(sorted(_mentioned({}, ledger, interviews)))
        return PersonDetail(
            summary=summary,
            opportunities=tuple((o, tuple(roles[o.opportunity.id or 0])) for o in opportunities),
            ledger=tuple(ledger),
            interviews=tuple(interviews),
            names={p.id: p.name for p in people if p.id is not None},
        )


def _mentioned(
    roles: dict[int, list[Role]], ledger: Sequence[Interaction], interviews: Sequence[Interview]
) -> set[int]:
    ids = set(roles)
    for entry in ledger:
        ids.update(entry.person_ids)
    for interview in interviews:
        ids.update(interview.interviewer_ids)
    return ids
