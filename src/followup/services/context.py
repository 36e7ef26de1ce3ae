"""What every use case needs: the repository, the clock, the user's zone, and reference lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from followup.domain.model import OpportunitySummary, PersonSummary
from followup.domain.references import as_id, pick
from followup.errors import NotFoundError

if TYPE_CHECKING:
    from followup.ports import Clock, Repository


@dataclass
class Context:
    """Shared by every service of one run."""

    repo: Repository
    clock: Clock
    tz: ZoneInfo

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.tz)

    def when(self, text: str | None, *, prefer: Literal["past", "future"] = "past") -> datetime:
        """A user-typed date in the user's zone (now when not given), as UTC."""
        if text is None or not text.strip():
            return self.now()
        from followup.domain.when import parse_when  # its patterns are compiled only when needed

        return parse_when(text, now=self.local_now(), prefer=prefer).astimezone(UTC)

    def opportunity(self, reference: str) -> OpportunitySummary:
        number = as_id(reference)
        if number is not None:
            found = self.repo.get_opportunity(number, now=self.now())
            if found is None:
                raise NotFoundError(
                    f"There is no opportunity {number}.",
                    hint="See `followup list` for the ids.",
                )
            return found
        return pick(
            reference,
            self.repo.find_opportunities(reference.strip(), now=self.now()),
            names=lambda s: (
                s.opportunity.company,
                s.opportunity.title,
                f"{s.opportunity.company} {s.opportunity.title}",
            ),
            describe=describe_opportunity,
            noun="opportunity",
        )

    def person(self, reference: str) -> PersonSummary:
        number = as_id(reference)
        if number is not None:
            found = self.repo.get_person(number, now=self.now())
            if found is None:
                raise NotFoundError(
                    f"There is no person {number}.", hint="See `followup list people` for the ids."
                )
            return found
        return pick(
            reference,
            self.repo.find_people(reference.strip(), now=self.now()),
            names=lambda s: (s.person.name,),
            exact=lambda s: tuple(e.address for e in s.person.emails),
            describe=describe_person,
            noun="person",
        )


def describe_opportunity(summary: OpportunitySummary) -> str:
    o = summary.opportunity
    return f"{o.id:>5}  {o.company} — {o.title} ({summary.state.stage})"


def describe_person(summary: PersonSummary) -> str:
    p = summary.person
    where = f", {p.organisation}" if p.organisation else ""
    return f"{p.id:>5}  {p.name}{where}"
