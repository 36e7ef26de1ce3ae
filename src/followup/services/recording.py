"""Writing to the ledger and the records with what each write implies: the stage an entry moves, who
stays in the network, and which conversations to re-plan (at once, or noted for the end of a batch).

The Tracker (tracking.py) builds on this with what the user records; the mailbox reader and the
importers record through it what they read, already checked.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Generator, Iterator, Sequence

from followup.domain.imported import PeopleColumns
from followup.domain.ledger import derive_state
from followup.domain.model import (
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Stage,
)
from followup.errors import InvalidInputError
from followup.services.context import Context

# The kinds of entry that can move a stage (see domain/ledger.py, derive_state).
_STAGE_KINDS = frozenset(
    {InteractionKind.STAGE, InteractionKind.OUTCOME, InteractionKind.APPLICATION, InteractionKind.INTERVIEW}
)
# Called with the opportunities and people whose conversations changed; None, None: everything.
OnChange = Callable[[set[int] | None, set[int] | None], object]


class Recorder:
    """Ledger and record writes, each with its consequences, in the caller's transaction."""

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

    # The ledger ----------------------------------------------------------------------------------

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

    def record_people_columns(self, people: PeopleColumns) -> list[int]:
        """New people from a file given column by column (LinkedIn's thousands), in one statement."""
        with self.repo.transaction():
            ids = self.repo.add_people_columns(people)
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


def saved_id(value: int | None) -> int:
    """The id of a record that has been stored (its dataclass allows None before that)."""
    if value is None:
        raise InvalidInputError("This record has not been saved yet.")
    return value
