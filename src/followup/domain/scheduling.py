"""The planner's shared arithmetic: where a recipient is, when a touch is due, who the contact is."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from operator import attrgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.domain.calendar import BusinessCalendar, Place, SendWindow, place_of
from followup.domain.model import (
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    Link,
    Opportunity,
    Person,
    Role,
    Stage,
)
from followup.domain.touches import Channel, Playbook, Rule, Touch, TouchKind, TouchStatus

TALK = frozenset(
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
NOON = time(12, 0)
# Not a note and not in the playbook: when mail to someone bounced, find where to reach them.
FIND_ADDRESS_RULE = Rule(TouchKind.FIND_ADDRESS, "bounce", "", delay=0, window=2, urgent=True)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, ZoneInfoNotFoundError):  # the calendar treats an unknown zone as UTC too
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


def is_heard(entry: Interaction) -> bool:
    """Anything that came from their side, except what a machine wrote (out-of-office, bounce)."""
    return entry.direction is Direction.IN and not entry.kind.is_automatic


def is_outbound_talk(entry: Interaction) -> bool:
    return entry.kind in TALK and (entry.direction is Direction.OUT or entry.kind is InteractionKind.MEETING)


class Scheduler:
    def __init__(self, data: PlanInput, playbook: Playbook, calendar: BusinessCalendar) -> None:
        self.data, self.playbook, self.cal = data, playbook, calendar
        self.ledger = _in_order(data.ledger)
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
        self._timings: dict[tuple[object, ...], tuple[datetime, datetime, datetime]] = {}
        self._places: dict[int | None, Place] = {}

    def place(self, person_id: int | None) -> Place:
        found = self._places.get(person_id)
        if found is None:
            person = self.data.people.get(person_id) if person_id is not None else None
            found = self._places[person_id] = place_of(
                person.timezone if person else None,
                person.country if person else None,
                None,
                None,
                self.data.user_zone,
                self.data.user_country,
            )
        return found

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
        place, window = self.place(person_id), rule.hours
        start, _ = self.cal.window(due_day, place, window)
        if trigger_at <= start and due_by is None:
            # the usual case: the timing depends only on the day, the place and the rule
            timing_key = (due_day, place, rule.send_window, rule.window, rule.urgent)
            timing = self._timings.get(timing_key)
            if timing is None:
                timing = self._timings[timing_key] = self.timing(rule, place, window, start, None)
            due_from, end, send_at = timing
        else:
            due_from, end, send_at = self.timing(rule, place, window, max(start, trigger_at), due_by)
        return _made(
            {
                "key": key,
                "kind": kind or rule.kind,
                "person_id": person_id,
                "opportunity_id": opportunity_id,
                "due_from": due_from,
                "due_by": end,
                "send_at": send_at,
                "reason": reason,
                "template": template or rule.template,
                "trigger_id": trigger.id if trigger else None,
                "trigger_at": trigger_at,
                "urgent": rule.urgent,
                "round": round_,
                "channel": channel,
                "status": TouchStatus.PENDING,
                "cancel_reason": None,
                "how": tuple(how),
            }
        )

    def timing(
        self, rule: Rule, place: Place, window: SendWindow, earliest: datetime, due_by: datetime | None
    ) -> tuple[datetime, datetime, datetime]:
        """When a touch is due (from, by) and the suggested moment to send it."""
        due_from = self.cal.next_send_time(earliest, place, window)
        last_day = self.cal.add_business_days(self.cal.local_day(due_from, place), rule.window, place)
        end = due_by or self.cal.window(last_day, place, window)[1]
        if end <= due_from:  # a trigger late on the due day: the next business day is the deadline
            end = self.cal.end_of_business_day(
                self.cal.add_business_days(self.cal.local_day(due_from, place), 1, place), place, window
            )
        send_at = self.cal.next_send_time(
            due_from, place, window, prefer_midweek=self.playbook.prefer_midweek and not rule.urgent
        )
        return due_from, end, due_from if send_at > end else send_at

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

    def talked_after(
        self, person_id: int, moment: datetime, *, outbound: bool | None = None
    ) -> Interaction | None:
        for entry in self.by_person.get(person_id, ()):
            if entry.occurred_at <= moment or entry.kind not in TALK:
                continue
            if outbound is None or is_outbound_talk(entry) == outbound:
                return entry
        return None

    def settle(self, touch: Touch, *, done: Interaction | None = None, cancel: str | None = None) -> Touch:
        if done is not None:
            return _copy(touch, status=TouchStatus.DONE, send_at=touch.due_from)
        if cancel is not None:
            return _copy(touch, status=TouchStatus.CANCELLED, cancel_reason=cancel)
        return touch

    def first_heard(self, opportunity_id: int, after: datetime) -> Interaction | None:
        for entry in self.by_opportunity.get(opportunity_id, ()):
            if entry.occurred_at <= after:
                continue
            if is_heard(entry) or entry.kind in {
                InteractionKind.OUTCOME,
                InteractionKind.INTERVIEW,
                InteractionKind.MEETING,
            }:
                return entry
        return None

    def closed(self, opportunity_id: int, allowed: frozenset[Stage]) -> str | None:
        stage = self.stage(opportunity_id)
        return None if stage in allowed else f"stage is {stage}"

    def spread(self, touches: list[Touch]) -> list[Touch]:
        """At least `min_gap` business days between two pending non-urgent touches to one person."""
        gap = self.playbook.min_gap
        if gap <= 0:
            return touches
        result: list[Touch] = []
        per_person: dict[int, list[Touch]] = defaultdict(list)
        for touch in touches:
            movable = touch.status is TouchStatus.PENDING and not touch.urgent and touch.person_id is not None
            (
                per_person[touch.person_id].append(touch)
                if movable and touch.person_id is not None
                else result.append(touch)
            )
        for pid, own in per_person.items():
            if len(own) == 1:  # nothing to keep apart
                result.append(own[0])
                continue
            place = self.place(pid)
            previous: date | None = None
            for planned in sorted(own, key=lambda t: (t.due_from, t.key)):
                touch, day = planned, self.cal.local_day(planned.due_from, place)
                if previous is not None and self.cal.business_days_between(previous, day, place) < gap:
                    day = self.cal.add_business_days(previous, gap, place)
                    note = f"moved to {day}: {gap} business days after the previous note to {self.name(pid)}"
                    touch = self.shift(planned, day, place, note)
                previous = day
                result.append(touch)
        return result

    def rule_of(self, kind: TouchKind) -> Rule:
        """The rule a touch was planned by (go-cold follows check-in's; find-address has its own)."""
        if kind is TouchKind.GO_COLD:
            return self.playbook.rules[TouchKind.CHECK_IN]
        if kind is TouchKind.FIND_ADDRESS:
            return FIND_ADDRESS_RULE
        return self.playbook.rules[kind]

    def away(self, touches: list[Touch]) -> list[Touch]:
        """A pending note to someone whose out-of-office named a return date moves to the business day
        after it, when the out-of-office came after the note's trigger and the note was due before then."""
        returning: dict[int, list[Interaction]] = defaultdict(list)  # out-of-offices naming a return
        for entry in self.ledger:
            if entry.kind is InteractionKind.AUTO_REPLY and entry.returns_on is not None:
                for person_id in entry.person_ids:
                    returning[person_id].append(entry)
        result: list[Touch] = []
        for touch in touches:
            pid = touch.person_id
            if (
                pid not in returning
                or touch.status is not TouchStatus.PENDING
                or touch.channel is Channel.NONE
            ):
                result.append(touch)
                continue
            place = self.place(pid)
            day = self.cal.local_day(touch.due_from, place)
            back = max(
                (
                    e
                    for e in returning[pid]
                    if e.occurred_at >= touch.trigger_at and e.returns_on is not None and e.returns_on >= day
                ),
                key=lambda e: (e.returns_on, e.occurred_at),
                default=None,
            )
            if back is None or back.returns_on is None:
                result.append(touch)
                continue
            moved = self.cal.add_business_days(back.returns_on, 1, place)
            note = (
                f"moved to {moved}: {self.name(pid)}'s out-of-office of {on_day(back.occurred_at, '%d %b')} "
                f"says they are back on {back.returns_on}"
            )
            result.append(self.shift(touch, moved, place, note))
        return result

    def shift(self, touch: Touch, day: date, place: Place, note: str) -> Touch:
        rule = self.rule_of(touch.kind)
        window = rule.hours
        due_from = self.cal.window(day, place, window)[0]
        due_by = max(
            touch.due_by,
            self.cal.window(self.cal.add_business_days(day, rule.window, place), place, window)[1],
        )
        send_at = self.cal.next_send_time(
            due_from, place, window, prefer_midweek=self.playbook.prefer_midweek
        )
        return dataclasses.replace(
            touch, due_from=due_from, due_by=due_by, send_at=min(send_at, due_by), how=(*touch.how, note)
        )


def _made(*fields: Mapping[str, object]) -> Touch:
    """`Touch(**fields)` (the mappings merged, later ones winning) at a third of the cost, for a plan
    makes tens of thousands: a frozen dataclass's `__init__` sets each of its 17 fields through
    `object.__setattr__`; here `__dict__` is filled at once and nothing is checked. Every field must
    be given: the planner's property test holds its touches to the dataclass's fields and to
    `dataclasses.replace(touch)`."""
    made = object.__new__(Touch)
    values = made.__dict__
    for given in fields:
        values.update(given)
    return made


def _copy(touch: Touch, **changes: object) -> Touch:
    """`dataclasses.replace(touch, **changes)` the same way (a plan settles most of its touches)."""
    return _made(touch.__dict__, changes)


def on_day(moment: datetime, form: str) -> str:
    """`format(moment, form)` for a form of the day alone (no hour): remembered per day, since a plan
    writes the same few thousand days into tens of thousands of reasons."""
    return _day_text(moment.date(), form)


@lru_cache(maxsize=8192)
def _day_text(day: date, form: str) -> str:
    return day.strftime(form)


def _in_order(ledger: Sequence[Interaction]) -> list[Interaction]:
    """The ledger by time, then id (an entry not stored yet counts as id 0). Sorted by a C key first;
    only a tie between a stored entry and one without an id needs the slower key."""
    try:
        return sorted(ledger, key=_TIME_AND_ID)
    except TypeError:
        return sorted(ledger, key=lambda e: (e.occurred_at, e.id or 0))


_TIME_AND_ID = attrgetter("occurred_at", "id")
