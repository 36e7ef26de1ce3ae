"""Recording a job search: opportunities, people, roles, stages and every interaction."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from followup.domain.ledger import derive_state
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
from followup.services.context import Context
from followup.services.fields import OpportunityFields, PersonFields, apply_opportunity, apply_person

# Logging a past conversation with a time a little ahead of the clock is a typo, not a plan.
_FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class Impact:
    """What a deletion would remove, for the confirmation prompt."""

    description: str
    links: int
    interactions: int
    interviews: int


# Called with the opportunities and people whose conversations changed; None, None: everything.
# The kinds of entry that can move a stage (see domain/ledger.py, derive_state).
_STAGE_KINDS = frozenset(
    {InteractionKind.STAGE, InteractionKind.OUTCOME, InteractionKind.APPLICATION, InteractionKind.INTERVIEW}
)
OnChange = Callable[[set[int] | None, set[int] | None], object]


class Tracker:
    def __init__(
        self,
        context: Context,
        *,
        on_change: OnChange | None = None,
        on_defer: OnChange | None = None,
        on_flush: Callable[[], object] | None = None,
    ) -> None:
        """`on_change(opportunity_ids, person_ids)` runs inside the transaction of every ledger write;
        inside `deferred()`, `on_defer` runs there instead (it notes what to re-plan) and `on_flush`
        once at the end."""
        self.ctx = context
        self.repo = context.repo
        self.on_change, self.on_defer, self.on_flush = on_change, on_defer, on_flush
        self._deferring = False

    @contextlib.contextmanager
    def deferred(self, *, plan: bool = True) -> Iterator[None]:
        """Many ledger writes, one re-planning at the end (a batch of sent notes). What is still to be
        re-planned is noted in each write's own transaction, so a crash loses none of it. With
        `plan=False` the note is left for whoever reads the plan next (Planning.ensure_current)."""
        if self.on_defer is None or self._deferring:
            yield
            return
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
            if plan and self.on_flush is not None:
                self.on_flush()

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

    def append(self, entry: Interaction) -> Interaction:
        """Record an entry built by another service (a sent note), with its stage and plan."""
        return dataclasses.replace(entry, id=self._append(entry))

    def append_in_steps(self, entry: Interaction) -> Generator[None, None, int]:
        """`append` in two steps, for a caller that does them between other work (the outbox, while
        the server answers): the ledger rows, then the stage and the note to re-plan. Run inside the
        caller's transaction; returns the entry's id."""
        entry = dataclasses.replace(entry, recorded_at=self.ctx.now())
        with self.repo.transaction():
            entry_id = self.repo.append(entry)
            yield
            self._after_append(entry)
        return entry_id

    # What the mailbox reader records: already checked, so written as given -------------------------

    def record_person(self, person: Person) -> Person:
        """A person the reader met (a new sender or attendee at a known organisation)."""
        with self.repo.transaction():
            person_id = self.repo.add_person(dataclasses.replace(person, created_at=self.ctx.now()))
            self._changed(set(), {person_id})
        return dataclasses.replace(person, id=person_id)

    # What importers record: read and matched by the transfer service, so written as given -------

    def record_people(self, people: Sequence[Person]) -> list[int]:
        """New people from a file, in one statement; each keeps the `created_at` it was given (LinkedIn's
        "connected on") or gets now."""
        now = self.ctx.now()
        ready = [p if p.created_at is not None else dataclasses.replace(p, created_at=now) for p in people]
        with self.repo.transaction():
            ids = self.repo.add_people(ready)
            self._changed(set(), set(ids))
        return ids

    def save_person(self, person: Person) -> None:
        """A known person completed from a file (addresses added, blanks filled)."""
        with self.repo.transaction():
            self.repo.update_person(person)
            self._changed(set(), {saved_id(person.id)})

    def record_opportunity(self, opportunity: Opportunity) -> int:
        with self.repo.transaction():
            opportunity_id = self.repo.add_opportunity(
                opportunity
                if opportunity.created_at
                else dataclasses.replace(opportunity, created_at=self.ctx.now())
            )
            self._changed({opportunity_id}, set())
        return opportunity_id

    def save_opportunity(self, opportunity: Opportunity) -> None:
        with self.repo.transaction():
            self.repo.update_opportunity(opportunity)
            self._changed({saved_id(opportunity.id)}, set())

    def record_link(self, link: Link) -> bool:
        with self.repo.transaction():
            added = self.repo.add_link(link)
            if added:
                self._changed({link.opportunity_id}, {link.person_id})
        return added

    def mark_bad(self, person: Person, addresses: set[str]) -> Person:
        """Mail to these addresses of the person bounced: drafts stop using them."""
        emails = tuple(dataclasses.replace(e, bad=True) if e.key in addresses else e for e in person.emails)
        changed = dataclasses.replace(person, emails=emails)
        if emails != person.emails:
            with self.repo.transaction():
                self.repo.update_person(changed)
                self._changed(set(), {saved_id(person.id)})
        return changed

    def schedule(self, interview: Interview) -> Interview:
        """An interview from an invitation: in the calendar, the interviewers linked. No ledger entry:
        the stage moves only when the user confirms the suggestion that comes with it."""
        with self.repo.transaction():
            interview_id = self.repo.add_interview(interview)
            for pid in interview.interviewer_ids:
                self.repo.add_link(Link(pid, interview.opportunity_id, Role.INTERVIEWER))
            self._changed({interview.opportunity_id}, set(interview.interviewer_ids))
        return dataclasses.replace(interview, id=interview_id)

    def reschedule(self, interview: Interview) -> None:
        """An invitation's update or cancellation, for an interview already known by its UID."""
        with self.repo.transaction():
            self.repo.update_interview(interview)
            for pid in interview.interviewer_ids:
                self.repo.add_link(Link(pid, interview.opportunity_id, Role.INTERVIEWER))
            self._changed({interview.opportunity_id}, set(interview.interviewer_ids))

    def _append(self, entry: Interaction) -> int:
        """Write one ledger entry and, in the same transaction, the stage it implies."""
        entry = dataclasses.replace(entry, recorded_at=self.ctx.now())
        with self.repo.transaction():
            entry_id = self.repo.append(entry)
            self._after_append(entry)
        return entry_id

    def _after_append(self, entry: Interaction) -> None:
        """The stage an entry implies, and the note to re-plan what it concerns (in its transaction)."""
        if entry.opportunity_id is not None:
            stage = self._stage_after(entry, entry.opportunity_id)
            if entry.direction is Direction.OUT and stage in {Stage.REJECTED, Stage.FILLED}:
                self._keep_in_network(entry.person_ids)
        opportunities = {entry.opportunity_id} if entry.opportunity_id is not None else set()
        # an accepted offer reaches every other opportunity (notes to withdraw)
        everything = entry.kind is InteractionKind.OUTCOME and entry.outcome is Outcome.ACCEPTED
        self._changed(opportunities, set(entry.person_ids), everything=everything)

    def _stage_after(self, entry: Interaction, opportunity_id: int) -> Stage | None:
        """The stage once `entry` is in: replayed from the ledger when the entry can move it, else the
        stored one (an e-mail, a call or a note never moves a stage; replaying costs O(ledger))."""
        if entry.kind in _STAGE_KINDS:
            state = derive_state(self.repo.ledger_of_opportunity(opportunity_id), now=self.ctx.now())
            self.repo.set_stage(opportunity_id, state.stage)
            return state.stage
        return self.repo.stage_of(opportunity_id)

    def _keep_in_network(self, person_ids: Sequence[int]) -> None:
        """After the job went elsewhere, whoever you wrote to (the feedback note) stays in your network."""
        for person in self.repo.get_people(person_ids):
            if not person.in_network:
                self.repo.update_person(dataclasses.replace(person, in_network=True))

    def _changed(self, opportunity_ids: set[int], person_ids: set[int], *, everything: bool = False) -> None:
        if self._deferring and not everything and self.on_defer is not None:
            self.on_defer(opportunity_ids, person_ids)
            return
        if self.on_change is not None:
            self.on_change(None if everything else opportunity_ids, None if everything else person_ids)

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


def saved_id(value: int | None) -> int:
    """The id of a record that has been stored (its dataclass allows None before that)."""
    if value is None:
        raise InvalidInputError("This record has not been saved yet.")
    return value


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    text = clean_line(value, field="Message-ID")
    return text if text.startswith("<") else f"<{text}>"
