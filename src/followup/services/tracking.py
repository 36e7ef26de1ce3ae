"""Recording a job search: opportunities, people, roles, stages and every interaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    Link,
    Opportunity,
    OpportunitySummary,
    Outcome,
    Person,
    PersonSummary,
    Role,
    Stage,
)
from followup.domain.validation import (
    check_email,
    check_timezone,
    clean_line,
    clean_text,
)
from followup.domain.when import parse_duration
from followup.errors import ConflictError, InvalidInputError
from followup.services.fields import OpportunityFields, PersonFields, apply_opportunity, apply_person
from followup.services.recording import Recorder, saved_id

# Logging a past conversation with a time a little ahead of the clock is a typo, not a plan.
_FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class Impact:
    """What a deletion would remove, for the confirmation prompt."""

    description: str
    links: int
    interactions: int
    interviews: int


class Tracker(Recorder):
    """What the user records: opportunities, people, roles, stages, interactions and interviews."""

    # Opportunities -------------------------------------------------------------------------------

    def add_opportunity(self, fields: OpportunityFields) -> OpportunitySummary:
        if fields.company is None or fields.title is None:
            raise InvalidInputError("An opportunity needs a company and a role title.")
        opportunity = apply_opportunity(Opportunity(company="", title="", created_at=self.ctx.now()), fields)
        with self.repo.transaction():
            opportunity_id = self.repo.add_opportunity(opportunity)
        return self.ctx.opportunity(str(opportunity_id))

    def edit_opportunity(self, reference: str, fields: OpportunityFields) -> OpportunitySummary:
        current = self.ctx.opportunity(reference).opportunity
        with self.repo.transaction():
            self.repo.update_opportunity(apply_opportunity(current, fields))
            self._changed({saved_id(current.id)}, set())
        return self.ctx.opportunity(str(current.id))

    def opportunity_impact(self, reference: str) -> tuple[int, Impact]:
        summary = self.ctx.opportunity(reference)
        oid = saved_id(summary.opportunity.id)
        return oid, Impact(
            description=f"{summary.opportunity.company} — {summary.opportunity.title}",
            links=len(self.repo.links_of_opportunity(oid)),
            interactions=len(self.repo.ledger_of_opportunity(oid)),
            interviews=len(self.repo.interviews_of_opportunity(oid)),
        )

    def delete_opportunity(self, opportunity_id: int) -> None:
        self.repo.delete_opportunity(opportunity_id)

    def change_stage(self, reference: str, stage: Stage, *, at: str | None = None, notes: str = "") -> Stage:
        summary = self.ctx.opportunity(reference)
        self._append(
            Interaction(
                kind=InteractionKind.STAGE,
                occurred_at=self._past(at),
                opportunity_id=summary.opportunity.id,
                stage=stage,
                notes=clean_text(notes),
            )
        )
        return self.ctx.opportunity(str(summary.opportunity.id)).state.stage

    # People --------------------------------------------------------------------------------------

    def add_person(self, fields: PersonFields) -> PersonSummary:
        if fields.name is None:
            raise InvalidInputError("A person needs a name.")
        person = apply_person(Person(name="", created_at=self.ctx.now()), fields)
        with self.repo.transaction():
            self._check_addresses_free(person)
            person_id = self.repo.add_person(person)
            self._changed(set(), {person_id})
        return self.ctx.person(str(person_id))

    def edit_person(
        self,
        reference: str,
        fields: PersonFields,
        *,
        add_emails: Sequence[str] = (),
        remove_emails: Sequence[str] = (),
    ) -> PersonSummary:
        current = self.ctx.person(reference).person
        person = apply_person(current, fields)
        emails = list(person.emails)
        for address in add_emails:
            checked = check_email(address)
            if all(e.key != EmailAddress(checked).key for e in emails):
                emails.append(EmailAddress(checked))
        for address in remove_emails:
            key = EmailAddress(address.strip()).key
            if all(e.key != key for e in emails):
                raise InvalidInputError(
                    f"{current.name} has no address {address!r}.",
                    hint="Addresses on record: " + (", ".join(e.address for e in emails) or "none") + ".",
                )
            emails = [e for e in emails if e.key != key]
        person = dataclasses.replace(person, emails=tuple(emails))
        with self.repo.transaction():
            self._check_addresses_free(person)
            self.repo.update_person(person)
            self._changed(set(), {saved_id(current.id)})
        return self.ctx.person(str(current.id))

    def _check_addresses_free(self, person: Person) -> None:
        for email in person.emails:
            owner = self.repo.person_with_email(email.address)
            if owner is not None and owner.id != person.id:
                raise ConflictError(
                    f"{email.address} already belongs to {owner.name} (id {owner.id}).",
                    hint=(
                        f"If this is the same person, add details to them instead: "
                        f"followup edit person {owner.id} --add-email … ; "
                        "otherwise give another address."
                    ),
                )

    def person_impact(self, reference: str) -> tuple[int, Impact]:
        summary = self.ctx.person(reference)
        pid = saved_id(summary.person.id)
        return pid, Impact(
            description=summary.person.name,
            links=len(self.repo.links_of_person(pid)),
            interactions=len(self.repo.ledger_of_person(pid)),
            interviews=len(self.repo.interviews_of_person(pid)),
        )

    def delete_person(self, person_id: int) -> None:
        self.repo.delete_person(person_id)

    # Roles ---------------------------------------------------------------------------------------

    def link(self, person_ref: str, opportunity_ref: str | None, role: Role) -> bool:
        """Give a person a part in an opportunity (or put them in the network). False if already so."""
        person = self.ctx.person(person_ref).person
        if role is Role.NETWORK:
            if person.in_network:
                return False
            with self.repo.transaction():
                self.repo.update_person(dataclasses.replace(person, in_network=True))
                self._changed(set(), {saved_id(person.id)})
            return True
        if opportunity_ref is None:
            raise InvalidInputError(
                f"The role {role} needs an opportunity.",
                hint=f"followup link {person_ref} OPPORTUNITY --role {role}",
            )
        opportunity = self.ctx.opportunity(opportunity_ref).opportunity
        with self.repo.transaction():
            added = self.repo.add_link(Link(saved_id(person.id), saved_id(opportunity.id), role))
            self._changed({saved_id(opportunity.id)}, {saved_id(person.id)})
        return added

    def unlink(self, person_ref: str, opportunity_ref: str | None, role: Role) -> bool:
        person = self.ctx.person(person_ref).person
        if role is Role.NETWORK:
            if not person.in_network:
                return False
            with self.repo.transaction():
                self.repo.update_person(dataclasses.replace(person, in_network=False))
                self._changed(set(), {saved_id(person.id)})
            return True
        if opportunity_ref is None:
            raise InvalidInputError(f"The role {role} needs an opportunity.")
        opportunity = self.ctx.opportunity(opportunity_ref).opportunity
        with self.repo.transaction():
            removed = self.repo.remove_link(Link(saved_id(person.id), saved_id(opportunity.id), role))
            self._changed({saved_id(opportunity.id)}, {saved_id(person.id)})
        return removed

    # The ledger ----------------------------------------------------------------------------------

    def log(
        self,
        kind: InteractionKind,
        *,
        person_refs: Sequence[str] = (),
        opportunity_ref: str | None = None,
        at: str | None = None,
        direction: Direction = Direction.NONE,
        subject: str | None = None,
        notes: str = "",
        answered: bool | None = None,
        caller: Caller | None = None,
        message_id: str | None = None,
        in_reply_to: str | None = None,
        outcome: Outcome | None = None,
    ) -> Interaction:
        """Append one entry. Without an opportunity, a person's only open opportunity is used."""
        people = [self.ctx.person(ref).person for ref in person_refs]
        if opportunity_ref is not None:
            opportunity_id = self.ctx.opportunity(opportunity_ref).opportunity.id
        else:
            opportunity_id = self._only_open_opportunity(people)
        if kind in {InteractionKind.APPLICATION, InteractionKind.OUTCOME} and opportunity_id is None:
            raise InvalidInputError(f"An entry of kind {kind} needs an opportunity (--opp).")
        entry = Interaction(
            kind=kind,
            occurred_at=self._past(at),
            direction=direction,
            opportunity_id=opportunity_id,
            person_ids=tuple(saved_id(p.id) for p in people),
            subject=clean_line(subject, field="subject") if subject else None,
            notes=clean_text(notes),
            answered=answered,
            caller=caller,
            message_id=_message_id(message_id),
            in_reply_to=_message_id(in_reply_to),
            outcome=outcome,
        )
        return dataclasses.replace(entry, id=self._append(entry))

    def log_interview(
        self,
        opportunity_ref: str,
        *,
        at: str,
        duration: str = "45m",
        interviewer_refs: Sequence[str] = (),
        kind: InterviewKind = InterviewKind.VIDEO,
        location: str | None = None,
        timezone: str | None = None,
        notes: str = "",
    ) -> Interview:
        """Record an interview (held or scheduled) and its ledger entry; interviewers get the role."""
        opportunity = self.ctx.opportunity(opportunity_ref).opportunity
        interviewers = [self.ctx.person(ref).person for ref in interviewer_refs]
        starts = self.ctx.when(at, prefer="future")
        zone = check_timezone(timezone) if timezone else self.ctx.tz.key
        interview = Interview(
            opportunity_id=saved_id(opportunity.id),
            starts_at=starts,
            ends_at=starts + parse_duration(duration),
            timezone=zone,
            kind=kind,
            location=clean_line(location, field="place or link") if location else None,
            interviewer_ids=tuple(saved_id(p.id) for p in interviewers),
            notes=clean_text(notes),
            uid=f"{_uuid4()}@followup",
        )
        with self.repo.transaction():
            interview_id = self.repo.add_interview(interview)
            for person in interviewers:
                self.repo.add_link(Link(saved_id(person.id), saved_id(opportunity.id), Role.INTERVIEWER))
            self._append(
                Interaction(
                    kind=InteractionKind.INTERVIEW,
                    occurred_at=starts,
                    opportunity_id=opportunity.id,
                    person_ids=interview.interviewer_ids,
                    interview_id=interview_id,
                    notes=interview.notes,
                )
            )
        return dataclasses.replace(interview, id=interview_id)

    def _past(self, at: str | None) -> datetime:
        moment = self.ctx.when(at, prefer="past")
        if moment > self.ctx.now() + _FUTURE_TOLERANCE:
            raise InvalidInputError(
                f"{at!r} is in the future; the ledger records what has happened.",
                hint="Give a past time with --at; a planned interview goes in with `followup log interview`.",
            )
        return moment

    def _only_open_opportunity(self, people: Sequence[Person]) -> int | None:
        open_ids: set[int] = set()
        for person in people:
            for link in self.repo.links_of_person(saved_id(person.id)):
                summary = self.repo.get_opportunity(link.opportunity_id, now=self.ctx.now())
                if summary is not None and not summary.state.stage.is_closed:
                    open_ids.add(link.opportunity_id)
        return open_ids.pop() if len(open_ids) == 1 else None


def _uuid4() -> str:
    import uuid  # imported here: it pulls in `platform`, a cost every other command would pay

    return str(uuid.uuid4())


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    text = clean_line(value, field="Message-ID")
    return text if text.startswith("<") else f"<{text}>"
