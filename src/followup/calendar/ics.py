"""IcsWriter: touches as VTODO and interviews as VEVENT in one iCalendar file, with the icalendar package."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.domain.agenda import TouchRecord
from followup.domain.model import Interview, InterviewStatus
from followup.domain.touches import Decision, TouchStatus

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Todo

    from followup.ports import CalendarEvent, CalendarTodo

PRODID = "-//followup//followup//EN"
CALENDAR_NAME = "followup"

# Control characters are not allowed in iCalendar TEXT (RFC 5545 §3.3.11); line breaks are kept and
# escaped by icalendar, tabs are harmless.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UID_SAFE = re.compile(r"[A-Za-z0-9_-]")


def uid_of(key: str) -> str:
    """A touch's UID from its planner key: `/` becomes `.`, anything else outside [A-Za-z0-9_-] is
    %-encoded, so the mapping stays one-to-one and the UID is safe as a CalDAV file name."""
    parts: list[str] = []
    for char in key:
        if _UID_SAFE.fullmatch(char):
            parts.append(char)
        elif char == "/":
            parts.append(".")
        else:
            parts.append("".join(f"%{byte:02X}" for byte in char.encode()))
    return "".join(parts) + "@followup"


def text(value: str) -> str:
    """Plain text fit for a TEXT property: one kind of line break, no control characters."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def status_of(record: TouchRecord) -> str:
    """NEEDS-ACTION while open; what the user did wins over what the planner later decided."""
    if record.decision is Decision.DONE or record.touch.status is TouchStatus.DONE:
        return "COMPLETED"
    if record.decision is Decision.SKIPPED or record.touch.status is TouchStatus.CANCELLED:
        return "CANCELLED"
    return "NEEDS-ACTION"


def zone_of(interview: Interview) -> ZoneInfo:
    """The interview's own zone; UTC if the stored name is unknown to this machine's tz database."""
    try:
        return ZoneInfo(interview.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class IcsWriter:
    """Implements the CalendarWriter port."""

    def render(self, todos: Sequence[CalendarTodo], events: Sequence[CalendarEvent], *, now: datetime) -> str:
        from icalendar import Calendar  # ~80 ms: only the export pays for it

        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", CALENDAR_NAME)
        stamp = now.astimezone(UTC)
        for todo in todos:
            calendar.add_component(self._todo(todo, stamp))
        for event in events:
            calendar.add_component(self._event(event, stamp))
        self._add_timezones(calendar, [e.interview for e in events])
        data: bytes = calendar.to_ical()
        return data.decode("utf-8")

    @staticmethod
    def _todo(item: CalendarTodo, stamp: datetime) -> Todo:
        from icalendar import Alarm, Todo

        record, touch = item.record, item.record.touch
        todo = Todo()
        todo.add("uid", uid_of(touch.key))
        todo.add("sequence", record.sequence)
        todo.add("dtstamp", stamp)
        todo.add("dtstart", record.due_from.astimezone(UTC))
        todo.add("due", record.due_by.astimezone(UTC))
        todo.add("summary", text(item.summary))
        todo.add("description", text(item.description))
        todo.add("categories", [touch.kind.value])
        todo.add("priority", 1 if touch.urgent else 5)
        status = status_of(record)
        todo.add("status", status)
        if status == "COMPLETED":
            done_at = record.decided_at if record.decision is Decision.DONE and record.decided_at else stamp
            todo.add("completed", done_at.astimezone(UTC))
            todo.add("percent-complete", 100)
        if record.is_open:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            # fires when the touch becomes due (DTSTART), not at the end of its window
            alarm.add("trigger", timedelta(0), parameters={"RELATED": "START"})
            alarm.add("description", text(item.summary))
            todo.add_component(alarm)
        return todo

    @staticmethod
    def _event(item: CalendarEvent, stamp: datetime) -> Event:
        from icalendar import Event

        interview = item.interview
        zone = zone_of(interview)
        event = Event()
        event.add("uid", interview.uid or f"interview-{interview.id}@followup")
        event.add("sequence", interview.sequence)
        event.add("dtstamp", stamp)
        # wall times in the interview's own zone (TZID + VTIMEZONE): right on both sides of a DST change
        event.add("dtstart", interview.starts_at.astimezone(zone))
        event.add("dtend", interview.ends_at.astimezone(zone))
        event.add("summary", text(item.summary))
        if interview.location:
            event.add("location", text(interview.location))
        if item.description:
            event.add("description", text(item.description))
        cancelled = interview.status is InterviewStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    @staticmethod
    def _add_timezones(calendar: Calendar, interviews: Sequence[Interview]) -> None:
        """VTIMEZONE blocks for the zones the events name, covering their dates with a year to spare
        (the full 1970 to 2038 history would make the file mostly time zone rules)."""
        if not interviews:
            return
        first = min(i.starts_at for i in interviews).date() - timedelta(days=366)
        last = max(i.ends_at for i in interviews).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=max(first, date(1970, 1, 1)), last_date=last)
