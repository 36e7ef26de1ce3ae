"""Invitations read from iCalendar data (.ics files, text/calendar mail parts), with the icalendar package."""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from followup.calendar.zones import WINDOWS_ZONES, Zones, known_zone
from followup.domain.inbound import SYNTHETIC_DOMAIN, Attendee, Invitation

if TYPE_CHECKING:
    from icalendar import Component

__all__ = ["WINDOWS_ZONES", "read_invitations"]  # WINDOWS_ZONES lives in zones.py, kept importable here

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # tabs stay: they fold lines
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
# Lines a sender forgot to fold are taken as more text only after these; anywhere else they are dropped.
_TEXT_PROPERTIES = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-ALT-DESC"})
_FIX_BY_HAND = "record it with `followup log interview`"


def read_invitations(
    data: bytes, *, source: str, default_zone: str = "UTC"
) -> tuple[list[Invitation], list[str]]:
    """Every VEVENT of the calendar data as an Invitation, in file order, and the problems met, one line
    each, naming `source` and the event. Never raises: a bad event is skipped, the others are read.

    Floating and all-day times are read in `default_zone`. A recurring event gives its first occurrence;
    an override of one occurrence (RECURRENCE-ID) gives its own Invitation, uid "UID/occurrence"."""
    cleaned = _clean(_decode(data))
    if not {"VCALENDAR", "VEVENT"} & set(cleaned.tops):
        nothing = "nothing was read: check that this is the invitation's .ics file"
        return [], [f"{source}: not iCalendar data (no BEGIN:VCALENDAR line); {nothing}"]
    problems = [f"{source}: {note}" for note in cleaned.notes]
    from icalendar import Calendar, Timezone  # ~80 ms: only reading invitations pays for it

    try:
        # icalendar warns when it guesses what "/vendor/Europe/Berlin" means; Zones makes that guess too
        with warnings.catch_warnings(action="ignore"):
            tops = Calendar.from_ical(cleaned.text, multiple=True)
    except Exception as error:  # icalendar raises ValueError and others on hostile input
        return [], [*problems, f"{source}: not readable as iCalendar ({error}); nothing was read"]
    vtimezones = [tz for top in tops for tz in top.walk("VTIMEZONE") if isinstance(tz, Timezone)]
    zones = Zones({str(tz["TZID"]).strip(): tz for tz in vtimezones if "TZID" in tz})
    floating = known_zone(default_zone)
    invitations: list[Invitation] = []
    events = [(top, event) for top in tops for event in top.walk("VEVENT")]
    for number, (top, event) in enumerate(events):
        line = cleaned.event_lines[number] if len(cleaned.event_lines) == len(events) else None
        reader = _EventReader(event, _label(event, line, number), zones, floating, default_zone)
        try:
            invitation = reader.read(_method(top))
        except Exception as error:  # the promise is to skip a broken event, whatever icalendar raises
            reader.note(f"could not be read ({error}); the event was skipped, {_FIX_BY_HAND}")
            invitation = None
        problems += [f"{source}: event {reader.label}: {note}" for note in reader.notes]
        if invitation is not None:
            invitations.append(invitation)
    return invitations, list(dict.fromkeys(problems))


# ---------------------------------------------------------------------------------------------------
# Bytes to clean text


@dataclass
class _Cleaned:
    text: str
    tops: list[str] = field(default_factory=list)  # the top-level components, e.g. ["VCALENDAR"]
    event_lines: list[int] = field(default_factory=list)  # the line of each BEGIN:VEVENT, in order
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")  # Outlook's legacy encoding


def _clean(raw: str) -> _Cleaned:
    """The content lines icalendar can read: one kind of line break, no control characters or blank
    lines, nothing outside BEGIN…END, unfolded text joined to its property, unclosed components closed."""
    cleaned = _Cleaned("")
    out: list[str] = []
    stack: list[str] = []
    ignored: list[str] = []
    last = ""
    for number, dirty in enumerate(_LINE_BREAK.split(raw), start=1):
        line = _CONTROL.sub("", dirty)
        if not line.strip() or (not stack and not line.upper().startswith("BEGIN:")):
            continue
        if line[0] in " \t":
            out.append(line)
            continue
        head = _CONTENT_LINE.match(line)
        if head is None:
            if last in _TEXT_PROPERTIES:
                out.append(" \\n" + line)
            else:
                ignored.append(str(number))
            continue
        last = head.group(0)[:-1].upper()
        value = line[head.end() :].strip().upper()
        if last == "BEGIN":
            if not stack:
                cleaned.tops.append(value)
            if value == "VEVENT":
                cleaned.event_lines.append(number)
            stack.append(value)
        elif last == "END":
            if value not in stack:
                ignored.append(str(number))
                continue
            while stack[-1] != value:
                out.append(f"END:{stack.pop()}")
            stack.pop()
        out.append(line)
    if ignored:
        cleaned.notes.append(f"line {', '.join(ignored)}: not an iCalendar line (NAME:value), ignored")
    if stack:
        cleaned.notes.append(f"the data ends before END:{stack[0]} (cut off?); what was there was read")
        out.extend(f"END:{name}" for name in reversed(stack))
    cleaned.text = "\r\n".join(out) + "\r\n"
    return cleaned


# ---------------------------------------------------------------------------------------------------
# One event


@dataclass(frozen=True)
class _When:
    local: datetime  # aware, in the zone it was written in
    zone: str  # IANA name for showing it
    all_day: bool
    written: str  # as written (wall time and TZID), for ids that must not depend on our reading

    @property
    def at(self) -> datetime:
        return self.local.astimezone(UTC)


class _EventReader:
    """Reads one VEVENT; what was wrong with it ends up in `notes`."""

    def __init__(
        self, event: Component, label: str, zones: Zones, floating: ZoneInfo | None, default_zone: str
    ) -> None:
        self.event, self.label, self.zones = event, label, zones
        self.floating, self.default_zone = floating, default_zone
        self.notes: list[str] = []

    def note(self, what: str) -> None:
        self.notes.append(what)

    def read(self, method: str) -> Invitation | None:
        start_prop = self._one("DTSTART")
        if start_prop is None:
            self.note(f"has no DTSTART; the event was skipped, {_FIX_BY_HAND}")
            return None
        start = self._when(start_prop, "DTSTART", f"the event was skipped, {_FIX_BY_HAND}")
        if start is None:
            return None
        end = self._end(start)
        summary = self._text("SUMMARY")
        uid = self._text("UID")
        if not uid:
            digest = hashlib.sha256(f"{start.written}\n{summary}".encode()).hexdigest()[:32]
            uid = f"{digest}@{SYNTHETIC_DOMAIN}"
            self.note(f"has no UID; it was given {uid!r}, so a later update of it will not be recognised")
        recurrence = self._one("RECURRENCE-ID")
        if recurrence is not None:
            uid = f"{uid}/{self._occurrence(recurrence)}"
        organizer = self._one("ORGANIZER")
        attendees = [_person(p) for p in self._all("ATTENDEE")]
        return Invitation(
            uid=uid,
            sequence=self._sequence(),
            method=method,
            cancelled=method == "CANCEL" or self._text("STATUS").upper() == "CANCELLED",
            starts_at=start.at,
            ends_at=end,
            timezone=start.zone,
            summary=summary,
            location=self._text("LOCATION"),
            description=self._text("DESCRIPTION"),
            organizer=_person(organizer) if organizer is not None else None,
            attendees=tuple({a.address: a for a in attendees if a is not None}.values()),
        )

    def _all(self, name: str) -> list[Any]:
        value = self.event.get(name)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def _one(self, name: str) -> Any:
        values = self._all(name)
        if len(values) > 1:
            self.note(f"{name} appears {len(values)} times; the first was used")
        return values[0] if values else None

    def _text(self, name: str) -> str:
        value = self._one(name)
        return "" if value is None else str(value).strip()

    def _sequence(self) -> int:
        value = self._one("SEQUENCE")
        try:
            return int(str(value)) if value is not None else 0
        except ValueError:
            self.note(f"SEQUENCE {str(value)!r} is not a number; 0 was used, so updates may be missed")
            return 0

    def _when(self, prop: Any, name: str, otherwise: str) -> _When | None:
        """A date or date-time property as written: TZID resolved, floating and all-day in default_zone.
        None, with a note ending in `otherwise`, when it is not a date."""
        value = _dt(prop)
        if isinstance(value, datetime):
            wall = value.replace(tzinfo=None)
            tzid = prop.params.get("TZID")
            if tzid:
                return self._in_zone(wall, str(tzid))
            if value.tzinfo is not None:
                return _When(value.astimezone(UTC), "UTC", all_day=False, written=value.isoformat())
            return _When(wall.replace(tzinfo=self._floating()), self.default_zone, False, wall.isoformat())
        if isinstance(value, date):
            midnight = datetime.combine(value, time(), self._floating())
            return _When(midnight, self.default_zone, all_day=True, written=value.isoformat())
        self.note(f"{name} {_raw(prop)!r} is not a date or date-time (like 20260301T100000Z); {otherwise}")
        return None

    def _in_zone(self, wall: datetime, tzid: str) -> _When:
        resolved = self.zones.resolve(tzid, wall)
        written = f"{wall.isoformat()} {tzid}"
        if resolved is None:
            self.note(
                f"TZID {tzid!r} is not a known time zone and the file has no VTIMEZONE for it; "
                "its time was read as UTC: check it with the sender"
            )
            return _When(wall.replace(tzinfo=UTC), "UTC", all_day=False, written=written)
        local, zone = resolved
        return _When(local, zone, all_day=False, written=written)

    def _floating(self) -> tzinfo:
        if self.floating is None:
            self.note(f"default zone {self.default_zone!r} is unknown; floating times were read as UTC")
            return UTC
        return self.floating

    def _end(self, start: _When) -> datetime:
        """DTEND, else DTSTART + DURATION, else one hour (one day for an all-day event)."""
        end_prop, duration_prop = self._one("DTEND"), self._one("DURATION")
        length, words = (timedelta(days=1), "one day") if start.all_day else (timedelta(hours=1), "one hour")
        fallback = f"the event was given {words}"
        if end_prop is not None:
            end = self._when(end_prop, "DTEND", fallback)
            if end is not None and end.at >= start.at:
                return end.at
            if end is not None:
                self.note(f"DTEND {_raw(end_prop)!r} is before DTSTART; {fallback}")
        elif duration_prop is not None:
            duration = _dt(duration_prop)
            if isinstance(duration, timedelta) and duration >= timedelta(0):
                length = duration
            else:
                self.note(f"DURATION {_raw(duration_prop)!r} is not a duration (like PT45M); {fallback}")
        # days are nominal (the same wall time on a later day), hours and minutes exact (RFC 5545 §3.3.6)
        later_day = (start.local + timedelta(days=length.days)).astimezone(UTC)
        return later_day + timedelta(seconds=length.seconds, microseconds=length.microseconds)

    def _occurrence(self, prop: Any) -> str:
        """The occurrence an override replaces, as it goes into the uid: a UTC time, a date or, when
        floating, the wall time as written (so that the uid never depends on default_zone)."""
        value = _dt(prop)
        kept = "it was kept as written in the uid"
        if isinstance(value, datetime) and (value.tzinfo is not None or prop.params.get("TZID")):
            when = self._when(prop, "RECURRENCE-ID", kept)
            if when is not None:
                return when.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(value, date):
            return value.isoformat()
        self.note(f"RECURRENCE-ID {_raw(prop)!r} is not a date or date-time; {kept}")
        return _raw(prop)


def _method(top: Component) -> str:
    if top.name != "VCALENDAR":
        return "PUBLISH"
    method = top.get("METHOD")
    if isinstance(method, list):
        method = method[0] if method else None
    return str(method).strip().upper() if method else "PUBLISH"


def _label(event: Component, line: int | None, index: int) -> str:
    uid = event.get("UID")
    if uid is not None and not isinstance(uid, list) and str(uid).strip():
        return repr(str(uid).strip())
    return f"at line {line}" if line is not None else f"#{index + 1}"


def _person(prop: Any) -> Attendee | None:
    address = str(prop).strip()
    if address[:7].lower() == "mailto:":
        address = address[7:].strip()
    if not address:
        return None
    name = getattr(prop, "params", {}).get("CN", "")
    return Attendee(address.lower(), str(name).strip().strip('"'))


def _dt(prop: Any) -> object:
    try:
        return prop.dt
    except (AttributeError, ValueError):  # a plain value, or icalendar's vBroken for one it could not read
        return None


def _raw(prop: Any) -> str:
    try:
        raw = prop.to_ical()
    except Exception:  # a broken value is shown as icalendar kept it
        return str(prop)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
