"""Planning: keep the stored touches in step with the ledger; the agenda; snooze, skip, done, why."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from followup.domain.agenda import Agenda, Move, TouchRecord, build_agenda, end_of_day, section, whose_move
from followup.domain.calendar import BusinessCalendar, Place, SendWindow, place_of
from followup.domain.model import Person
from followup.domain.planner import PlanInput, place_problems, plan
from followup.domain.references import as_id
from followup.domain.touches import Decision, Playbook, TouchStatus
from followup.errors import ConflictError, InvalidInputError, NotFoundError
from followup.services.collecting import collector_paused
from followup.services.context import Context

if TYPE_CHECKING:
    from followup.ports import TouchStore

# Raise when the planner's rules change in a way that needs every stored touch recomputed.
PLANNER_VERSION = "3"
# Conversations noted for re-planning beyond which everything is planned instead: picking thousands out
# by id costs more than planning them all (SQLite parses an IN list of n names in O(n²)).
WHOLE_PLAN_ABOVE = 2000


@dataclass(frozen=True)
class Explanation:
    """What `followup why` shows: the touch, the rule's computation, and the user's decision."""

    record: TouchRecord
    lines: tuple[str, ...]


class AgendaRow(NamedTuple):
    section: str  # overdue, today, waiting or upcoming
    record: TouchRecord
    people: dict[int, str]  # names for this row's batch
    opportunities: dict[int, str]


class Planning:
    def __init__(
        self,
        context: Context,
        touches: TouchStore,
        calendar: BusinessCalendar,
        playbook: Playbook,
        *,
        user_country: str | None,
    ) -> None:
        self.ctx, self.store, self.calendar, self.playbook = context, touches, calendar, playbook
        self.user_country = user_country
        # Told before everything is planned anew (a new database, another playbook): that takes a while.
        self.before_full_plan: Callable[[], object] | None = None

    # Keeping the plan current --------------------------------------------------------------------

    def fingerprint(self) -> str:
        text = f"{PLANNER_VERSION}|{self.playbook!r}|{self.ctx.tz.key}|{self.user_country}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def ensure_current(self) -> None:
        """Re-plan everything when the playbook, the user's zone or the planner changed since last time,
        and the conversations a batch left to re-plan (see `defer`)."""
        if self.store.meta("plan") != self.fingerprint():
            if self.before_full_plan is not None:
                self.before_full_plan()
            with self.store.transaction():
                self.replan()
                self.store.clear_stale()
            return
        self.replan_stale()

    def defer(self, opportunity_ids: Iterable[int] | None, person_ids: Iterable[int] | None) -> None:
        """Note conversations to re-plan later, in the caller's transaction (a crash keeps the note)."""
        opportunities, people = set(opportunity_ids or ()), set(person_ids or ())
        # thousands at once (an import): replan_stale plans everything, no need to list them
        self.store.note_stale(
            opportunities, people, everything=len(opportunities) + len(people) > WHOLE_PLAN_ABOVE
        )

    def replan_stale(self) -> None:
        """Re-plan what `defer` noted, and forget the note, in one transaction."""
        stale = self.store.stale()
        if stale is None:
            return
        with self.store.transaction():
            if stale.everything or len(stale.opportunity_ids) + len(stale.person_ids) > WHOLE_PLAN_ABOVE:
                self.replan()  # an import of thousands: quicker planned whole than picked out by id
            else:
                self.replan(opportunity_ids=stale.opportunity_ids, person_ids=stale.person_ids)
            self.store.clear_stale()

    def replan(
        self, *, opportunity_ids: Iterable[int] | None = None, person_ids: Iterable[int] | None = None
    ) -> int:
        """Plan the conversations around these opportunities and people (everything when neither is
        given) and store the result in one transaction. Returns the number of touches written."""
        everything = opportunity_ids is None and person_ids is None
        opps, people = set(opportunity_ids or ()), set(person_ids or ())
        with self.store.transaction(), collector_paused():
            found = self.ctx.repo.planning_data(
                opportunity_ids=None if everything else opps, person_ids=None if everything else people
            )
            touches = plan(
                PlanInput(*found, user_zone=self.ctx.tz.key, user_country=self.user_country),
                self.playbook,
                self.calendar,
            )
            people_in, opps_in = set(found[0]), set(found[1])
            stale = (
                self.store.records()
                if everything
                else self.store.records(person_ids=people_in, opportunity_ids=opps_in)
            )
            written = self.store.save_plan(touches, stale_scope=stale, now=self.ctx.now())
            self._record_place_problems(found[0].values(), everything=everything)
            if everything:
                self.store.set_meta("plan", self.fingerprint())
        return written

    def _record_place_problems(self, people: Iterable[Person], *, everything: bool) -> None:
        people = list(people)
        known = {} if everything else self.place_problems()
        for person in people:
            known.pop(person.id or 0, None)
        known.update(place_problems(people, user_zone=self.ctx.tz.key))
        self.store.set_meta("place-problems", json.dumps({str(k): v for k, v in sorted(known.items())}))

    def place_problems(self) -> dict[int, str]:
        """People planned with a fallback because their zone or country is unusable (see `today`)."""
        stored = self.store.meta("place-problems")
        return {int(k): v for k, v in json.loads(stored).items()} if stored else {}

    # Reading -------------------------------------------------------------------------------------

    def agenda(self, *, days: int = 7) -> Agenda:
        self.ensure_current()
        now = self.ctx.now()
        horizon = end_of_day(now, self.ctx.tz.key, days=max(days, 7) + 60)
        return build_agenda(
            self.store.records(open_only=True, due_before=horizon), now=now, zone=self.ctx.tz.key, days=days
        )

    def agenda_rows(self, *, days: int = 7) -> Iterator[AgendaRow]:
        """The agenda as a stream, in the order touches come due: each row with its section and the
        names to show. Memory stays flat however long the agenda is (names are read per batch)."""
        self.ensure_current()
        now, zone = self.ctx.now(), self.ctx.tz.key
        tonight, horizon = end_of_day(now, zone), end_of_day(now, zone, days=days)
        batch: list[tuple[str, TouchRecord]] = []
        records = self.store.open_records(due_before=end_of_day(now, zone, days=max(days, 7) + 60))
        for record in records:
            name = section(record, now=now, tonight=tonight, horizon=horizon)
            if name is not None:
                batch.append((name, record))
            if len(batch) >= 500:
                yield from self._named(batch)
                batch = []
        yield from self._named(batch)

    def _named(self, batch: list[tuple[str, TouchRecord]]) -> Iterator[AgendaRow]:
        people, opportunities = self.labels(record for _, record in batch)
        for name, record in batch:
            yield AgendaRow(name, record, people, opportunities)

    def labels(self, records: Iterable[TouchRecord]) -> tuple[dict[int, str], dict[int, str]]:
        """Person names and opportunity titles for these touches."""
        records = list(records)
        return self.ctx.repo.labels(
            person_ids=[r.touch.person_id for r in records if r.touch.person_id is not None],
            opportunity_ids=[r.touch.opportunity_id for r in records if r.touch.opportunity_id is not None],
        )

    def touch(self, reference: str) -> TouchRecord:
        number = as_id(reference)
        found = self.store.record(number) if number is not None else None
        if found is None:
            raise NotFoundError(
                f"There is no touch {reference!r}.",
                hint="See `followup today` or `followup upcoming` for the ids.",
            )
        return found

    def why(self, reference: str) -> Explanation:
        record = self.touch(reference)
        rule = self.playbook.rules.get(record.touch.kind)
        lines = [f"rule {record.touch.kind}: trigger {rule.trigger if rule else 'check-in'}"]
        lines += list(record.touch.how)
        zone = self.place_of(record.touch.person_id).zone
        due_from, due_by = record.touch.due_from, record.touch.due_by
        lines.append(
            f"due from {due_from:%Y-%m-%d %H:%M} UTC to {due_by:%Y-%m-%d %H:%M} UTC (recipient in {zone})"
        )
        if record.decision is Decision.SNOOZED and record.snoozed_until:
            lines.append(f"snoozed until {record.snoozed_until:%Y-%m-%d %H:%M} UTC")
        elif record.decision:
            lines.append(f"marked {record.decision} on {record.decided_at:%Y-%m-%d}")
        if record.touch.cancel_reason:
            lines.append(f"cancelled: {record.touch.cancel_reason}")
        return Explanation(record, tuple(lines))

    def touches(
        self, *, opportunity_id: int | None = None, person_id: int | None = None
    ) -> list[TouchRecord]:
        """The stored touches of one opportunity or one person, in the order they come due."""
        self.ensure_current()
        records = self.store.records(
            opportunity_ids=[opportunity_id] if opportunity_id is not None else None,
            person_ids=[person_id] if person_id is not None else None,
        )
        return sorted(records, key=lambda r: (r.due_from, r.id))

    def moves_of_opportunity(self, opportunity_id: int) -> Move:
        self.ensure_current()
        return whose_move(self.store.records(opportunity_ids=[opportunity_id]), now=self.ctx.now())

    def moves_of_person(self, person_id: int) -> Move:
        self.ensure_current()
        return whose_move(self.store.records(person_ids=[person_id]), now=self.ctx.now())

    # Deciding ------------------------------------------------------------------------------------

    def done(self, reference: str) -> TouchRecord:
        return self._decide(reference, Decision.DONE, None)

    def skip(self, reference: str) -> TouchRecord:
        return self._decide(reference, Decision.SKIPPED, None)

    def snooze(self, reference: str, until: str) -> TouchRecord:
        moment = self.ctx.when(until, prefer="future")
        if moment <= self.ctx.now():
            raise InvalidInputError(
                f"{until!r} is in the past; a snooze moves a touch later.",
                hint="Give a later date: +3d, tomorrow 9:00, next mon, 2026-12-01.",
            )
        record = self.touch(reference)
        moment = max(moment, record.touch.due_from)  # snoozing never makes a touch earlier
        # … and never onto the recipient's weekend, holiday or night: the next moment in their window
        place = self.place_of(record.touch.person_id)
        rule = self.playbook.rules.get(record.touch.kind)
        window = rule.hours if rule else SendWindow()
        moment = self.calendar.next_send_time(moment, place, window)
        return self._decide(reference, Decision.SNOOZED, moment)

    def place_of(self, person_id: int | None) -> Place:
        """Where a touch's recipient is (their zone and country, else the user's)."""
        people = self.ctx.repo.get_people([person_id]) if person_id is not None else []
        person = people[0] if people else None
        return place_of(
            person.timezone if person else None,
            person.country if person else None,
            None,
            None,
            self.ctx.tz.key,
            self.user_country,
        )

    def reopen(self, reference: str) -> TouchRecord:
        return self._decide(reference, None, None)

    def _decide(self, reference: str, decision: Decision | None, until: datetime | None) -> TouchRecord:
        record = self.touch(reference)
        if record.touch.status is not TouchStatus.PENDING:
            why = (
                f": {record.touch.cancel_reason}"
                if record.touch.cancel_reason
                else " (the ledger shows it happened)"
            )
            raise ConflictError(
                f"Touch {record.id} is already {record.touch.status}{why}.",
                hint="See `followup today` for what is still open.",
            )
        self.store.decide(record.id, decision, at=self.ctx.now(), until=until)
        return self.touch(str(record.id))
