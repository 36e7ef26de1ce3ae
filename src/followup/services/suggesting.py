"""Suggestions from the mailbox: listed, confirmed (only then does a stage change) or dismissed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from followup.domain.model import (
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Link,
    Opportunity,
    Person,
    Role,
    Stage,
)
from followup.domain.references import MAX_ID
from followup.domain.suggestions import Suggestion, SuggestionKind, SuggestionStatus
from followup.errors import ConflictError, InvalidInputError, NotFoundError
from followup.ports import MailStore
from followup.services.context import Context
from followup.services.recording import saved_id
from followup.services.tracking import Tracker


@dataclass(frozen=True)
class SuggestionView:
    suggestion: Suggestion
    opportunity: str | None  # "Company — Title"
    person: str | None

    @property
    def line(self) -> str:
        return self.suggestion.describe(self.opportunity)


@dataclass(frozen=True)
class Confirmed:
    view: SuggestionView
    done: str  # what confirming recorded, in words


class Suggestions:
    def __init__(self, context: Context, store: MailStore, tracker: Tracker) -> None:
        self.ctx, self.store, self.tracker = context, store, tracker

    def pending(self, *, everything: bool = False) -> list[SuggestionView]:
        statuses = tuple(SuggestionStatus) if everything else (SuggestionStatus.PENDING,)
        return [self._view(s) for s in self.store.suggestions(statuses)]

    def waiting(self) -> int:
        """How many suggestions wait for the user (for the agenda)."""
        return len(self.store.suggestions((SuggestionStatus.PENDING,)))

    def dismiss(self, suggestion_id: int) -> SuggestionView:
        suggestion = self._pending(suggestion_id)
        decided = dataclasses.replace(
            suggestion, status=SuggestionStatus.DISMISSED, decided_at=self.ctx.now()
        )
        self.store.update_suggestion(decided)
        return self._view(decided)

    def confirm(
        self,
        suggestion_id: int,
        *,
        opportunity_ref: str | None = None,
        company: str | None = None,
        title: str | None = None,
    ) -> Confirmed:
        """Record what the suggestion says: an outcome, a stage, the application, the interview; mail
        from someone new becomes an opportunity with that person (`company`, `title` name it)."""
        suggestion = self._pending(suggestion_id)
        with self.ctx.repo.transaction():
            if suggestion.kind is SuggestionKind.JOB_RELATED:
                suggestion, done = self._new_opportunity(suggestion, company, title)
            else:
                if opportunity_ref is not None:
                    opportunity_id = self.ctx.opportunity(opportunity_ref).opportunity.id
                    suggestion = dataclasses.replace(suggestion, opportunity_id=opportunity_id)
                if suggestion.opportunity_id is None:
                    raise InvalidInputError(
                        f"Suggestion {suggestion_id} names no opportunity.",
                        hint=f"Say which: followup confirm {suggestion_id} --opp OPP",
                    )
                done = self._record(suggestion, suggestion.opportunity_id)
            decided = dataclasses.replace(
                suggestion, status=SuggestionStatus.CONFIRMED, decided_at=self.ctx.now()
            )
            self.store.update_suggestion(decided)
        return Confirmed(self._view(decided), done)

    def _record(self, s: Suggestion, opportunity_id: int) -> str:
        people = (s.person_id,) if s.person_id is not None else ()
        base = Interaction(
            kind=InteractionKind.NOTE,
            occurred_at=min(s.occurred_at, self.ctx.now()),
            opportunity_id=opportunity_id,
            person_ids=people,
            notes=f"confirmed from mail: {s.subject}"[:300],
        )
        current = self.ctx.repo.stage_of(opportunity_id) or Stage.LEAD
        if s.kind.outcome is not None:
            self.tracker.append(
                dataclasses.replace(base, kind=InteractionKind.OUTCOME, outcome=s.kind.outcome)
            )
            return f"outcome {s.kind.outcome}"
        if s.kind is SuggestionKind.INTERVIEW and s.interview_id is not None:
            interview = next(
                (
                    v
                    for v in self.ctx.repo.interviews_of_opportunity(opportunity_id)
                    if v.id == s.interview_id
                ),
                None,
            )
            if interview is not None:
                self.tracker.append(
                    dataclasses.replace(
                        base,
                        kind=InteractionKind.INTERVIEW,
                        occurred_at=interview.starts_at,
                        person_ids=interview.interviewer_ids,
                        interview_id=interview.id,
                        notes=interview.notes,
                    )
                )
                return f"interview on {interview.starts_at:%a %d %b %H:%M} UTC in the ledger"
        if s.kind is SuggestionKind.APPLICATION_RECEIVED:
            applied = any(
                e.kind is InteractionKind.APPLICATION
                for e in self.ctx.repo.ledger_of_opportunity(opportunity_id)
            )
            if not applied:
                self.tracker.append(dataclasses.replace(base, kind=InteractionKind.APPLICATION))
                return "application recorded"
            return "application was already recorded"
        target = s.kind.stage
        if target is None or current.is_closed or current.rank >= target.rank:
            return f"stage stays {current}"
        self.tracker.append(dataclasses.replace(base, kind=InteractionKind.STAGE, stage=target))
        return f"stage {current} → {target}"

    def _new_opportunity(
        self, s: Suggestion, company: str | None, title: str | None
    ) -> tuple[Suggestion, str]:
        company = (company or s.organisation or "").strip()
        if not company:
            raise InvalidInputError(
                f"Suggestion {s.id} does not say which company the mail is from.",
                hint=f'Name it: followup confirm {s.id} --company "Northwind" --title "Data Engineer"',
            )
        title = (title or s.subject or "(from an e-mail)").strip()[:200]
        repo = self.ctx.repo
        opportunity_id = repo.add_opportunity(
            Opportunity(company=company, title=title, created_at=self.ctx.now())
        )
        person = repo.person_with_email(s.sender)
        if person is None:
            person = self.tracker.record_person(
                Person(
                    name=s.sender_name or s.sender.partition("@")[0],
                    emails=(EmailAddress(s.sender),),
                    organisation=company,
                )
            )
        person_id = saved_id(person.id)
        repo.add_link(Link(person_id, opportunity_id, Role.RECRUITER))
        self.tracker.append(
            Interaction(
                kind=InteractionKind.EMAIL,
                occurred_at=min(s.occurred_at, self.ctx.now()),
                direction=Direction.IN,
                opportunity_id=opportunity_id,
                person_ids=(person_id,),
                subject=s.subject or None,
                notes=s.snippet,
                message_id=s.message_id,
            )
        )
        updated = dataclasses.replace(s, opportunity_id=opportunity_id, person_id=person_id)
        return updated, f"new opportunity {opportunity_id} ({company} — {title}) with {person.name}"

    def _pending(self, suggestion_id: int) -> Suggestion:
        found = self.store.suggestion(suggestion_id) if 0 < suggestion_id <= MAX_ID else None
        if found is None:
            raise NotFoundError(
                f"No suggestion {suggestion_id}.", hint="See them with `followup suggestions`."
            )
        if found.status is not SuggestionStatus.PENDING:
            raise ConflictError(f"Suggestion {suggestion_id} was already {found.status}.")
        return found

    def _view(self, s: Suggestion) -> SuggestionView:
        people, titles = self.ctx.repo.labels(
            person_ids=[s.person_id] if s.person_id is not None else [],
            opportunity_ids=[s.opportunity_id] if s.opportunity_id is not None else [],
        )
        return SuggestionView(
            s,
            titles.get(s.opportunity_id) if s.opportunity_id is not None else None,
            people.get(s.person_id) if s.person_id is not None else None,
        )
