"""Calendar export: every stored touch as a to-do and every interview as an event, in one calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from followup.domain.agenda import TouchRecord
from followup.domain.model import Interview, Person
from followup.domain.touches import TouchKind
from followup.ports import CalendarEvent, CalendarTodo
from followup.services.context import Context

if TYPE_CHECKING:
    from followup.ports import CalendarWriter
    from followup.services.planning import Planning

_SUMMARY = {
    TouchKind.THANK_YOU: "Thank {who}",
    TouchKind.RESUME_CHECK: "Check that {who} received your résumé",
    TouchKind.CHECK_IN: "Check in with {who}",
    TouchKind.POST_INTERVIEW: "Follow up with {who} after the interview",
    TouchKind.FEEDBACK: "Ask {who} for feedback",
    TouchKind.REPLY_OWED: "Reply to {who}",
    TouchKind.KEEP_IN_TOUCH: "Keep in touch with {who}",
    TouchKind.CLOSING: "Close the loop with {who}",
    TouchKind.FIND_ADDRESS: "Find a working address for {who}",
}


@dataclass(frozen=True)
class Feed:
    """A rendered calendar and what it holds."""

    text: str
    todos: int
    events: int


class CalendarExport:
    def __init__(self, context: Context, planning: Planning, writer: CalendarWriter) -> None:
        self.ctx, self.planning, self.writer = context, planning, writer

    def export(self, now: datetime) -> str:
        """The whole calendar as iCalendar text."""
        return self.feed(now).text

    def feed(self, now: datetime) -> Feed:
        """Every stored touch (open or not, so subscribed calendars learn what was done or cancelled)
        and every interview, with the people and titles they name."""
        self.planning.ensure_current()
        records = self.planning.store.records()
        interviews = self.ctx.repo.all_interviews()
        person_ids = {r.touch.person_id for r in records if r.touch.person_id is not None}
        person_ids.update(p for i in interviews for p in i.interviewer_ids)
        people = {p.id: p for p in self.ctx.repo.get_people(sorted(person_ids)) if p.id is not None}
        _, titles = self.ctx.repo.labels(
            person_ids=(),
            opportunity_ids={r.touch.opportunity_id for r in records if r.touch.opportunity_id is not None}
            | {i.opportunity_id for i in interviews},
        )
        todos = [todo_of(r, people, titles) for r in records]
        events = [event_of(i, people, titles) for i in interviews]
        return Feed(self.writer.render(todos, events, now=now), len(todos), len(events))


def todo_of(record: TouchRecord, people: Mapping[int, Person], titles: Mapping[int, str]) -> CalendarTodo:
    """A touch in words: "Thank Jane Doe (Northwind Traders)", its reason and whom to reach how."""
    touch = record.touch
    person = people.get(touch.person_id) if touch.person_id is not None else None
    title = titles.get(touch.opportunity_id) if touch.opportunity_id is not None else None
    company = title.split(" — ")[0] if title else (person.organisation if person else None)
    if touch.kind is TouchKind.GO_COLD:
        summary = f"Move {title or 'this opportunity'} to cold?"
    else:
        who = person.name if person else (f"the {company} team" if company else "your contact")
        summary = _SUMMARY[touch.kind].format(who=who)
        if company and person:
            summary += f" ({company})"
    lines = [touch.reason]
    if touch.cancel_reason:
        lines.append(f"Cancelled: {touch.cancel_reason}")
    if person is not None:
        lines += ["", *contact_lines(person)]
    if title:
        lines += ["", f"Opportunity: {title}"]
    lines += ["", f"followup why {record.id}"]
    return CalendarTodo(record, summary, "\n".join(lines))


def contact_lines(person: Person) -> list[str]:
    """Name, position, addresses (bounced ones marked), phone and profile."""
    lines = [person.name]
    position = ", ".join(part for part in (person.title, person.organisation) if part)
    if position:
        lines.append(position)
    lines += [f"E-mail: {e.address}{' (bounced)' if e.bad else ''}" for e in person.emails]
    if person.phone:
        lines.append(f"Phone: {person.phone}")
    if person.linkedin_url:
        lines.append(f"LinkedIn: {person.linkedin_url}")
    return lines


def event_of(interview: Interview, people: Mapping[int, Person], titles: Mapping[int, str]) -> CalendarEvent:
    """An interview in words: "Interview: Northwind Traders — Data Engineer", who and what about."""
    title = titles.get(interview.opportunity_id, "an opportunity")
    lines = [f"{interview.kind.value.capitalize()} interview"]
    interviewers = [people[pid] for pid in interview.interviewer_ids if pid in people]
    if interviewers:
        lines.append("Interviewers:")
    for person in interviewers:
        reach = ", ".join(x for x in (person.primary_email, person.phone) if x)
        lines.append(f"  {person.name}{' — ' + reach if reach else ''}")
    if interview.notes:
        lines += ["", interview.notes]
    return CalendarEvent(interview, f"Interview: {title}", "\n".join(lines))
