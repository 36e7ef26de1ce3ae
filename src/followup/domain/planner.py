"""The planner: a pure function from the ledger, the playbook and the calendar to touches.

Touches depend on what happened, never on the clock: the same ledger always gives the same touches
(with the same keys), so they can be stored and re-planned only where the ledger changed. The
clock enters later, when the agenda sorts touches into overdue, today and upcoming.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from followup.domain.calendar import BusinessCalendar, Place, SendWindow, place_of
from followup.domain.model import (
    CLOSED_STAGES,
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    InterviewStatus,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Stage,
)
from followup.domain.touches import Channel, Playbook, Rule, Touch, TouchKind, TouchStatus

_TALK = frozenset(
    {
        InteractionKind.EMAIL,
        InteractionKind.CALL,
        InteractionKind.VOICEMAIL,
        InteractionKind.LINKEDIN,
        InteractionKind.MEETING,
        InteractionKind.INTERVIEW,
    }
)
_CONTACT_PRIORITY = (Role.RECRUITER, Role.HIRING_MANAGER, Role.REFERRER, Role.INTERVIEWER)
_NOON = time(12, 0)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError):  # the calendar treats an unknown zone as UTC too
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class PlanInput:
    """Everything the planner reads: a slice of the ledger and the records it mentions."""

    people: dict[int, Person]
    opportunities: dict[int, tuple[Opportunity, Stage]]
    links: Sequence[Link]
    ledger: Sequence[Interaction]
    interviews: Sequence[Interview]
    user_zone: str
    user_country: str | None


def is_inbound_human(entry: Interaction) -> bool:
    """A message from a person that asks for an answer (a missed call counts, an answered one not)."""
    if entry.direction is not Direction.IN:
        return False
    if entry.kind is InteractionKind.CALL:
        return entry.answered is False
    return entry.kind in {InteractionKind.EMAIL, InteractionKind.LINKEDIN, InteractionKind.VOICEMAIL}


def is_outbound_talk(entry: Interaction) -> bool:
    return entry.kind in _TALK and (entry.direction is Direction.OUT or entry.kind is InteractionKind.MEETING)


def plan(data: PlanInput, playbook: Playbook, calendar: BusinessCalendar) -> list[Touch]:
    """Every touch the playbook asks for, pending or already settled by the ledger, sorted by key."""
    return _Planner(data, playbook, calendar).run()


class _Planner:
    def __init__(self, data: PlanInput, playbook: Playbook, calendar: BusinessCalendar) -> None:
        self.data, self.playbook, self.cal = data, playbook, calendar
        self.ledger = sorted(data.ledger, key=lambda e: (e.occurred_at, e.id or 0))
        self.by_person: dict[int, list[Interaction]] = defaultdict(list)
        self.by_opportunity: dict[int, list[Interaction]] = defaultdict(list)
        for entry in self.ledger:
            for pid in entry.person_ids:
                self.by_person[pid].append(entry)
            if entry.opportunity_id is not None:
                self.by_opportunity[entry.opportunity_id].append(entry)
        self.roles: dict[int, list[Link]] = defaultdict(list)
        for link in data.links:
            self.roles[link.opportunity_id].append(link)
        self.interviewed = {pid for v in data.interviews for pid in v.interviewer_ids}

    def run(self) -> list[Touch]:
        touches: list[Touch] = []
        for make in (
            self.thank_you,
            self.resume_check,
            self.check_in,
            self.post_interview,
            self.feedback,
            self.reply_owed,
            self.keep_in_touch,
            self.closing,
        ):
            touches.extend(make())
        return sorted(self.spread(touches), key=lambda t: t.key)

    # Shared arithmetic ---------------------------------------------------------------------------

    def place(self, person_id: int | None) -> Place:
        person = self.data.people.get(person_id) if person_id is not None else None
        return place_of(
            person.timezone if person else None,
            person.country if person else None,
            None,
            None,
            self.data.user_zone,
            self.data.user_country,
        )

    def touch(
        self,
        rule: Rule,
        *,
        key: str,
        person_id: int | None,
        opportunity_id: int | None,
        trigger: Interaction | None,
        trigger_at: datetime,
        due_day: date,
        reason: str,
        how: list[str],
        round_: int = 1,
        template: str | None = None,
        kind: TouchKind | None = None,
        channel: Channel = Channel.EMAIL,
        due_by: datetime | None = None,
    ) -> Touch:
        """A touch due on `due_day` (a business day at the recipient) and the `rule.window` after it."""
        place, window = self.place(person_id), SendWindow(*rule.send_window)
        start, _ = self.cal.window(due_day, place, window)
        due_from = self.cal.next_send_time(max(start, trigger_at), place, window)
        last_day = self.cal.add_business_days(self.cal.local_day(due_from, place), rule.window, place)
        end = due_by or self.cal.window(last_day, place, window)[1]
        if end <= due_from:  # a trigger late on the due day: the next business day is the deadline
            end = self.cal.end_of_business_day(
                self.cal.add_business_days(self.cal.local_day(due_from, place), 1, place), place, window
            )
        send_at = self.cal.next_send_time(
            due_from, place, window, prefer_midweek=self.playbook.prefer_midweek and not rule.urgent
        )
        if send_at > end:
            send_at = due_from
        return Touch(
            key=key,
            kind=kind or rule.kind,
            person_id=person_id,
            opportunity_id=opportunity_id,
            due_from=due_from,
            due_by=end,
            send_at=send_at,
            reason=reason,
            template=template or rule.template,
            trigger_id=trigger.id if trigger else None,
            trigger_at=trigger_at,
            urgent=rule.urgent,
            round=round_,
            channel=channel,
            how=(*how, f"due from {due_from:%Y-%m-%d %H:%M} UTC to {end:%Y-%m-%d %H:%M} UTC ({place.zone})"),
        )

    def day_after(self, moment: datetime, days: int, person_id: int | None) -> date:
        place = self.place(person_id)
        return self.cal.add_business_days(self.cal.local_day(moment, place), days, place)

    def name(self, person_id: int | None) -> str:
        person = self.data.people.get(person_id) if person_id is not None else None
        return person.name if person else "your contact"

    def company(self, opportunity_id: int | None) -> str:
        found = self.data.opportunities.get(opportunity_id) if opportunity_id is not None else None
        return found[0].company if found else "them"

    def stage(self, opportunity_id: int) -> Stage:
        found = self.data.opportunities.get(opportunity_id)
        return found[1] if found else Stage.LEAD

    def contact(self, opportunity_id: int) -> int | None:
        """Who follow-ups about an opportunity go to: recruiter, hiring manager, referrer, interviewer."""
        links = self.roles.get(opportunity_id, [])
        for role in _CONTACT_PRIORITY:
            found = sorted(link.person_id for link in links if link.role is role)
            if found:
                return found[0]
        return None

    def talked_after(self, person_id: int, moment: datetime, *, outbound: bool | None = None) -> Interaction | None:
        for entry in self.by_person.get(person_id, ()):
            if entry.occurred_at <= moment or entry.kind not in _TALK:
                continue
            if outbound is None or is_outbound_talk(entry) == outbound:
                return entry
        return None

    def settle(self, touch: Touch, *, done: Interaction | None = None, cancel: str | None = None) -> Touch:
        if done is not None:
            return dataclasses.replace(touch, status=TouchStatus.DONE)
        if cancel is not None:
            return dataclasses.replace(touch, status=TouchStatus.CANCELLED, cancel_reason=cancel)
        return touch

    # Rules ---------------------------------------------------------------------------------------

    def thank_you(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.THANK_YOU)
        if rule is None:
            return
        for interview in self.data.interviews:
            if interview.status is InterviewStatus.CANCELLED:
                continue
            for pid in interview.interviewer_ids:
                person = self.data.people.get(pid)
                place, window = self.place(pid), SendWindow(*rule.send_window)
                ended = interview.ends_at
                local = ended.astimezone(_zone(place.zone))
                late = rule.late_after is not None and local.time() >= rule.late_after
                day = self.cal.local_day(ended, place)
                if late or not self.cal.is_business_day(day, place):
                    next_day = self.cal.add_business_days(day, 1, place)
                    by_noon = SendWindow(window.start, _NOON) if window.start < _NOON else window
                    deadline = self.cal.window(next_day, place, by_noon)[1]
                    how = [f"interview ended {local:%a %H:%M} their time, after {rule.late_after}: by noon next business day"]
                else:
                    deadline = self.cal.window(day, place, window)[1]
                    how = [f"interview ended {local:%a %H:%M} their time: by the end of that business day"]
                channel, template = Channel.EMAIL, rule.template
                if person is not None and person.primary_email is None and person.phone:
                    channel, template = Channel.VOICEMAIL, rule.alternate_template or rule.template
                touch = self.touch(
                    rule,
                    key=f"thank-you/{interview.id}/{pid}",
                    person_id=pid,
                    opportunity_id=interview.opportunity_id,
                    trigger=None,
                    trigger_at=ended,
                    due_day=day if self.cal.is_business_day(day, place) else self.cal.add_business_days(day, 0, place),
                    reason=f"Interview with {self.name(pid)} ended at {local:%H:%M} their time — thank them by "
                    f"{deadline.astimezone(_zone(place.zone)):%a %H:%M}",
                    how=how,
                    channel=channel,
                    template=template,
                    due_by=deadline,
                )
                yield self.settle(touch, done=self.talked_after(pid, ended, outbound=True))

    def resume_check(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.RESUME_CHECK)
        if rule is None:
            return
        for entry in self.ledger:
            if entry.kind not in {InteractionKind.RESUME_SENT, InteractionKind.APPLICATION}:
                continue
            for pid in entry.person_ids:
                due_day = self.day_after(entry.occurred_at, rule.delay, pid)
                touch = self.touch(
                    rule,
                    key=f"resume-check/{entry.id}/{pid}",
                    person_id=pid,
                    opportunity_id=entry.opportunity_id,
                    trigger=entry,
                    trigger_at=entry.occurred_at,
                    due_day=due_day,
                    reason=f"Your résumé went to {self.name(pid)} on {entry.occurred_at:%a %d %b} — ask if they have "
                    "any questions",
                    how=[f"résumé sent {entry.occurred_at:%Y-%m-%d}; {rule.delay} business days later: {due_day}"],
                )
                talk = self.talked_after(pid, entry.occurred_at)
                if talk is not None and not is_outbound_talk(talk):
                    yield self.settle(touch, cancel=f"{self.name(pid)} got in touch on {talk.occurred_at:%d %b}")
                else:
                    yield self.settle(touch, done=talk)

    def rounds(
        self,
        rule: Rule,
        *,
        prefix: str,
        opportunity_id: int,
        start: datetime,
        first_day: date,
        heard: Interaction | None,
        closed: str | None,
        reason: str,
        how: list[str],
    ) -> list[Touch]:
        """Up to `max_unanswered` nudges `repeat` business days apart; a reply or a closed stage ends them."""
        pid = self.contact(opportunity_id)
        sent = [e for e in self.by_opportunity.get(opportunity_id, ()) if e.occurred_at > start and is_outbound_talk(e)]
        touches: list[Touch] = []
        day, anchor = first_day, start
        for n in range(1, rule.max_unanswered + 1):
            touch = self.touch(
                rule,
                key=f"{prefix}/{n}",
                person_id=pid,
                opportunity_id=opportunity_id,
                trigger=None,
                trigger_at=anchor,
                due_day=day,
                reason=reason if n == 1 else f"{reason} (nudge {n} of {rule.max_unanswered})",
                how=[*how, f"nudge {n}: due {day}"],
                round_=n,
                channel=Channel.EMAIL if pid is not None else Channel.NONE,
            )
            # a nudge counts as sent when a message went out no earlier than two days before it was due
            made = next((e for e in sent if e.occurred_at >= touch.due_from - timedelta(days=2)), None)
            if made is not None and (heard is None or made.occurred_at < heard.occurred_at):
                touches.append(self.settle(touch, done=made))
                sent = [e for e in sent if e.occurred_at > made.occurred_at]
                anchor = made.occurred_at
                day = self.day_after(made.occurred_at, rule.repeat, pid)
                continue
            if heard is not None:
                touches.append(self.settle(touch, cancel=f"reply received {heard.occurred_at:%d %b}"))
            elif closed is not None:
                touches.append(self.settle(touch, cancel=closed))
            else:
                touches.append(touch)
            return touches
        if heard is None and closed is None and touches:
            last = touches[-1]
            touches.append(
                dataclasses.replace(
                    self.touch(
                        rule,
                        key=f"{prefix}/cold",
                        person_id=pid,
                        opportunity_id=opportunity_id,
                        trigger=None,
                        trigger_at=anchor,
                        due_day=day,
                        reason=f"{rule.max_unanswered} nudges to {self.company(opportunity_id)} unanswered — "
                        f"move it to cold? (followup stage {opportunity_id} cold)",
                        how=[*how, f"after {rule.max_unanswered} unanswered nudges: propose cold on {day}"],
                        kind=TouchKind.GO_COLD,
                        channel=Channel.NONE,
                    ),
                    round=last.round + 1,
                )
            )
        return touches

    def first_heard(self, opportunity_id: int, after: datetime) -> Interaction | None:
        for entry in self.by_opportunity.get(opportunity_id, ()):
            if entry.occurred_at <= after:
                continue
            if entry.direction is Direction.IN or entry.kind in {
                InteractionKind.OUTCOME,
                InteractionKind.INTERVIEW,
                InteractionKind.MEETING,
            }:
                return entry
        return None

    def closed(self, opportunity_id: int, allowed: frozenset[Stage]) -> str | None:
        stage = self.stage(opportunity_id)
        return None if stage in allowed else f"stage is {stage}"

    def check_in(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.CHECK_IN)
        if rule is None:
            return
        for oid, entries in self.by_opportunity.items():
            applied = next((e for e in entries if e.kind is InteractionKind.APPLICATION), None)
            if applied is None:
                continue
            pid = self.contact(oid)
            first_day = self.day_after(applied.occurred_at, rule.delay, pid)
            yield from self.rounds(
                rule,
                prefix=f"check-in/{oid}",
                opportunity_id=oid,
                start=applied.occurred_at,
                first_day=first_day,
                heard=self.first_heard(oid, applied.occurred_at),
                closed=self.closed(oid, frozenset({Stage.APPLIED, Stage.LEAD})),
                reason=f"Applied to {self.company(oid)} on {applied.occurred_at:%a %d %b} and nothing heard — "
                f"check in with {self.name(pid)}",
                how=[f"applied {applied.occurred_at:%Y-%m-%d}; {rule.delay} business days of silence: {first_day}"],
            )

    def post_interview(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.POST_INTERVIEW)
        if rule is None:
            return
        latest: dict[int, Interview] = {}
        for interview in self.data.interviews:
            if interview.status is InterviewStatus.SCHEDULED and (
                interview.opportunity_id not in latest or interview.ends_at > latest[interview.opportunity_id].ends_at
            ):
                latest[interview.opportunity_id] = interview
        for oid, interview in latest.items():
            found = self.data.opportunities.get(oid)
            pid = self.contact(oid) or (interview.interviewer_ids[0] if interview.interviewer_ids else None)
            decision = found[0].decision_expected if found else None
            if decision is not None:
                first_day = self.cal.add_business_days(decision, rule.after_decision, self.place(pid))
                how = [f"they expected to decide on {decision}; {rule.after_decision} business days later: {first_day}"]
            else:
                thanked = next(
                    (e for e in self.by_opportunity.get(oid, ()) if e.occurred_at > interview.ends_at
                     and is_outbound_talk(e)),
                    None,
                )  # fmt: skip
                base = thanked.occurred_at if thanked else interview.ends_at
                first_day = self.day_after(base, rule.delay, pid)
                how = [f"thank-you {'sent' if thanked else 'due'} {base:%Y-%m-%d}; {rule.delay} business days later: "
                       f"{first_day}"]  # fmt: skip
            heard = next(
                (e for e in self.by_opportunity.get(oid, ()) if e.occurred_at > interview.ends_at
                 and (e.direction is Direction.IN or e.kind is InteractionKind.OUTCOME)),
                None,
            )  # fmt: skip
            yield from self.rounds(
                rule,
                prefix=f"post-interview/{oid}/{interview.id}",
                opportunity_id=oid,
                start=interview.ends_at,
                first_day=first_day,
                heard=heard,
                closed=self.closed(oid, frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.APPLIED, Stage.LEAD})),
                reason=f"No decision from {self.company(oid)} since the interview on {interview.ends_at:%a %d %b} — "
                f"ask {self.name(pid)} how it stands",
                how=how,
            )

    def feedback(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.FEEDBACK)
        if rule is None:
            return
        for oid, entries in self.by_opportunity.items():
            outcome = next(
                (e for e in reversed(entries) if e.kind is InteractionKind.OUTCOME
                 and e.outcome in {Outcome.REJECTED, Outcome.FILLED}),
                None,
            )  # fmt: skip
            if outcome is None or self.stage(oid) not in {Stage.REJECTED, Stage.FILLED}:
                continue
            links = self.roles.get(oid, [])
            by_role = {link.role: link.person_id for link in sorted(links, key=lambda x: x.person_id, reverse=True)}
            pid = (outcome.person_ids[0] if outcome.person_ids else None) or by_role.get(Role.HIRING_MANAGER) or (
                by_role.get(Role.RECRUITER)
            )
            due_day = self.day_after(outcome.occurred_at, rule.delay, pid)
            touch = self.touch(
                rule,
                key=f"feedback/{oid}/{outcome.id}",
                person_id=pid,
                opportunity_id=oid,
                trigger=outcome,
                trigger_at=outcome.occurred_at,
                due_day=due_day,
                reason=f"{self.company(oid)}: {outcome.outcome} — thank {self.name(pid)}, ask what would have made "
                "the difference, and stay in touch",
                how=[f"outcome {outcome.occurred_at:%Y-%m-%d}; {rule.delay} business day(s) later: {due_day}"],
                channel=Channel.EMAIL if pid is not None else Channel.NONE,
            )
            yield self.settle(touch, done=self.talked_after(pid, outcome.occurred_at, outbound=True) if pid else None)

    def reply_owed(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.REPLY_OWED)
        if rule is None:
            return
        for pid, entries in self.by_person.items():
            inbound = [e for e in entries if is_inbound_human(e)]
            if not inbound:
                continue
            last = inbound[-1]
            place = self.place(pid)
            deadline = self.cal.end_of_business_day(
                self.day_after(last.occurred_at, rule.delay, pid), place, SendWindow(*rule.send_window)
            )
            touch = self.touch(
                rule,
                key=f"reply-owed/{pid}/{last.id}",
                person_id=pid,
                opportunity_id=last.opportunity_id,
                trigger=last,
                trigger_at=last.occurred_at,
                due_day=self.cal.add_business_days(self.cal.local_day(last.occurred_at, place), 0, place),
                reason=f"{self.name(pid)} wrote on {last.occurred_at:%a %d %b}"
                + (f" (“{last.subject}”)" if last.subject else "")
                + " — reply by the end of the next business day",
                how=[f"{last.kind} from them {last.occurred_at:%Y-%m-%d %H:%M} UTC"],
                due_by=deadline,
            )
            answer = next(
                (e for e in entries if e.occurred_at > last.occurred_at
                 and (is_outbound_talk(e) or (e.kind is InteractionKind.CALL and e.answered))),
                None,
            )  # fmt: skip
            yield self.settle(touch, done=answer)

    def keep_in_touch(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.KEEP_IN_TOUCH)
        if rule is None:
            return
        for pid, person in self.data.people.items():
            if not person.in_network:
                continue
            talks = [e for e in self.by_person.get(pid, ()) if e.kind in _TALK or e.kind is InteractionKind.RESUME_SENT]
            last = talks[-1].occurred_at if talks else person.created_at
            if last is None:
                continue
            cadence = person.cadence_days or (
                rule.cadence_days_interviewed if pid in self.interviewed else rule.cadence_days
            )
            place = self.place(pid)
            due_day = self.cal.add_business_days(self.cal.local_day(last + timedelta(days=cadence), place), 0, place)
            yield self.touch(
                rule,
                key=f"keep-in-touch/{pid}/{self.cal.local_day(last, place)}",
                person_id=pid,
                opportunity_id=None,
                trigger=talks[-1] if talks else None,
                trigger_at=last,
                due_day=due_day,
                reason=f"Last in touch with {person.name} on {last:%d %b %Y} — share news, an article or a "
                "milestone",
                how=[f"last contact {last:%Y-%m-%d}; every {cadence} days: {due_day}"],
            )

    def closing(self) -> Iterable[Touch]:
        rule = self.playbook.rule(TouchKind.CLOSING)
        if rule is None:
            return
        accepted = [e for e in self.ledger if e.kind is InteractionKind.OUTCOME and e.outcome is Outcome.ACCEPTED]
        if not accepted:
            return
        offer = accepted[-1]
        for oid in sorted(self.data.opportunities):
            if oid == offer.opportunity_id or self.stage(oid) in CLOSED_STAGES:
                continue
            pid = self.contact(oid)
            due_day = self.day_after(offer.occurred_at, rule.delay, pid)
            touch = self.touch(
                rule,
                key=f"closing/{oid}/{offer.id}",
                person_id=pid,
                opportunity_id=oid,
                trigger=offer,
                trigger_at=offer.occurred_at,
                due_day=due_day,
                reason=f"You accepted an offer — withdraw from {self.company(oid)} gracefully",
                how=[f"offer accepted {offer.occurred_at:%Y-%m-%d}: {due_day}"],
                channel=Channel.EMAIL if pid is not None else Channel.NONE,
            )
            done = next((e for e in self.by_opportunity.get(oid, ()) if e.occurred_at > offer.occurred_at
                         and is_outbound_talk(e)), None)  # fmt: skip
            yield self.settle(touch, done=done)
        helpers = sorted({link.person_id for link in self.data.links if link.role in {Role.REFERRER, Role.REFERENCE}})
        for pid in helpers:
            due_day = self.day_after(offer.occurred_at, rule.delay, pid)
            touch = self.touch(
                rule,
                key=f"closing-thanks/{pid}/{offer.id}",
                person_id=pid,
                opportunity_id=offer.opportunity_id,
                trigger=offer,
                trigger_at=offer.occurred_at,
                due_day=due_day,
                reason=f"You accepted an offer — thank {self.name(pid)} for their help",
                how=[f"offer accepted {offer.occurred_at:%Y-%m-%d}: {due_day}"],
                template=rule.alternate_template or rule.template,
            )
            yield self.settle(touch, done=self.talked_after(pid, offer.occurred_at, outbound=True))

    # Spacing -------------------------------------------------------------------------------------

    def spread(self, touches: list[Touch]) -> list[Touch]:
        """At least `min_gap` business days between two pending non-urgent touches to one person."""
        gap = self.playbook.min_gap
        if gap <= 0:
            return touches
        result: list[Touch] = []
        per_person: dict[int, list[Touch]] = defaultdict(list)
        for touch in touches:
            movable = touch.status is TouchStatus.PENDING and not touch.urgent and touch.person_id is not None
            (per_person[touch.person_id].append(touch) if movable and touch.person_id is not None
             else result.append(touch))  # fmt: skip
        for pid, own in per_person.items():
            place = self.place(pid)
            previous: date | None = None
            for touch in sorted(own, key=lambda t: (t.due_from, t.key)):
                day = self.cal.local_day(touch.due_from, place)
                if previous is not None and self.cal.business_days_between(previous, day, place) < gap:
                    later = self.cal.add_business_days(previous, gap, place)
                    touch = self.shift(touch, later, place, f"moved to {later}: {gap} business days after the "
                                       f"previous note to {self.name(pid)}")  # fmt: skip
                    day = later
                previous = day
                result.append(touch)
        return result

    def shift(self, touch: Touch, day: date, place: Place, note: str) -> Touch:
        rule = self.playbook.rules[touch.kind if touch.kind is not TouchKind.GO_COLD else TouchKind.CHECK_IN]
        window = SendWindow(*rule.send_window)
        due_from = self.cal.window(day, place, window)[0]
        due_by = max(touch.due_by, self.cal.window(self.cal.add_business_days(day, rule.window, place), place, window)[1])
        send_at = self.cal.next_send_time(due_from, place, window, prefer_midweek=self.playbook.prefer_midweek)
        return dataclasses.replace(
            touch, due_from=due_from, due_by=due_by, send_at=min(send_at, due_by), how=(*touch.how, note)
        )
