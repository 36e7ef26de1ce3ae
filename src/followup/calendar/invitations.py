"""Invitations read from iCalendar data (.ics files, text/calendar mail parts), with the icalendar package."""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, available_timezones

from followup.domain.inbound import SYNTHETIC_DOMAIN, Attendee, Invitation

if TYPE_CHECKING:
    from icalendar import Component, Timezone

# Windows zone names, as Exchange and Outlook write them in TZID, to IANA names: the CLDR windowsZones
# mapping (territory "001") for the common zones, with today's canonical IANA names.
WINDOWS_ZONES: dict[str, str] = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Mountain Standard Time": "America/Denver",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Eastern Standard Time": "America/New_York",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Venezuela Standard Time": "America/Caracas",
    "Atlantic Standard Time": "America/Halifax",
    "SA Western Standard Time": "America/La_Paz",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Greenland Standard Time": "America/Nuuk",
    "Montevideo Standard Time": "America/Montevideo",
    "UTC-02": "Etc/GMT+2",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "GTB Standard Time": "Europe/Bucharest",
    "Middle East Standard Time": "Asia/Beirut",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "Jordan Standard Time": "Asia/Amman",
    "Arabic Standard Time": "Asia/Baghdad",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Afghanistan Standard Time": "Asia/Kabul",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Taipei Standard Time": "Asia/Taipei",
    "W. Australia Standard Time": "Australia/Perth",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "Tasmania Standard Time": "Australia/Hobart",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Fiji Standard Time": "Pacific/Fiji",
    "UTC+12": "Etc/GMT-12",
}
_WINDOWS_FOLDED = {name.casefold(): iana for name, iana in WINDOWS_ZONES.items()}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # tabs stay: they fold lines
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
# Lines a sender forgot to fold are taken as more text only after these; anywhere else they are dropped.
_TEXT_PROPERTIES = frozenset({"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-ALT-DESC"})
_IANA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
# Outlook's offset names: "(UTC) Dublin, …", "(GMT +01:00)", "GMT +0100 (Standard) / GMT +0200 (Daylight)"
_OFFSET = re.compile(r"\((?:GMT|UTC)\)|(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?")
_WORDS = re.compile(r"[^\W\d_]+(?:[ _][^\W\d_]+)*")  # "Amsterdam", "New York", "Brasília"
_REGIONS = {
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "pacific": "America/Los_Angeles",
    "atlantic": "America/Halifax",
}
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
        # icalendar warns when it guesses what "/vendor/Europe/Berlin" means; _Zones makes that guess too
        with warnings.catch_warnings(action="ignore"):
            tops = Calendar.from_ical(cleaned.text, multiple=True)
    except Exception as error:  # icalendar raises ValueError and others on hostile input
        return [], [*problems, f"{source}: not readable as iCalendar ({error}); nothing was read"]
    vtimezones = [tz for top in tops for tz in top.walk("VTIMEZONE") if isinstance(tz, Timezone)]
    zones = _Zones({str(tz["TZID"]).strip(): tz for tz in vtimezones if "TZID" in tz})
    floating = _zone(default_zone)
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
        self, event: Component, label: str, zones: _Zones, floating: ZoneInfo | None, default_zone: str
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


# ---------------------------------------------------------------------------------------------------
# Time zones


class _Zones:
    """TZID → zone: IANA names, Windows names, "/vendor/Area/City", the file's VTIMEZONE, "(GMT+01:00) …"."""

    def __init__(self, vtimezones: dict[str, Timezone]) -> None:
        self.vtimezones = vtimezones
        self.built: dict[str, tzinfo | None] = {}

    def resolve(self, tzid: str, wall: datetime) -> tuple[datetime, str] | None:
        """The wall time made aware, and an IANA name to show it in; None when the TZID means nothing."""
        name = tzid.strip().strip('"')
        iana = _zone_name(name) or _WINDOWS_FOLDED.get(name.casefold()) or _global_name(name)
        if iana is not None:
            return wall.replace(tzinfo=ZoneInfo(iana)), iana
        custom = self._custom(name)
        if custom is not None:
            local = wall.replace(tzinfo=custom)
            return local, _name_for(local, _candidates(name, self.vtimezones.get(name)))
        stated = _OFFSET.search(name)
        if stated is None:
            return None
        sign, hours, minutes = stated.groups()
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        for candidate in _candidates(name, None):
            zone = ZoneInfo(candidate)
            local = wall.replace(tzinfo=zone)
            if local.utcoffset() == offset + (local.dst() or timedelta(0)):  # the name states standard time
                return local, candidate
        local = wall.replace(tzinfo=timezone(offset))
        return local, _name_for(local, [])

    def _custom(self, name: str) -> tzinfo | None:
        """The zone the file's own VTIMEZONE describes, built by icalendar (None if none or unusable)."""
        if name not in self.built:
            component = self.vtimezones.get(name)
            try:
                self.built[name] = component.to_tz(lookup_tzid=False) if component is not None else None
            except Exception:  # a VTIMEZONE icalendar cannot use is as good as none
                self.built[name] = None
        return self.built[name]


def _zone(name: str) -> ZoneInfo | None:
    found = _zone_name(name)
    return ZoneInfo(found) if found else None


def _zone_name(name: str) -> str | None:
    if not _IANA_NAME.fullmatch(name) or name in _NOT_ZONES:
        return None
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found (a KeyError), malformed, a directory
        return None
    return name


def _global_name(name: str) -> str | None:
    """The IANA name at the end of a "globally unique" TZID (RFC 5545 §3.2.19), as libical, Evolution and
    Lightning write them: "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin"."""
    if not name.startswith("/"):
        return None
    parts = name.strip("/").split("/")
    return next((z for i in range(len(parts) - 1) if (z := _zone_name("/".join(parts[i:])))), None)


@cache
def _all_zones() -> tuple[str, ...]:
    """The place zones of the tz database, by name (Etc/GMT-11 and the like are named by offset, never met
    as a candidate)."""
    places = (z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return tuple(sorted(places))


@cache
def _cities() -> dict[str, str]:
    """City → zone ("new york" → America/New_York); the first zone in name order wins a shared city.
    Outlook names the North American zones by region, not city: "(UTC-05:00) Eastern Time (US & Canada)"."""
    cities = {f"{region} time": zone for region, zone in _REGIONS.items()}
    for zone in _all_zones():
        cities.setdefault(zone.rpartition("/")[2].replace("_", " ").casefold(), zone)
    return cities


def _candidates(tzid: str, vtimezone: Timezone | None) -> list[str]:
    """IANA names a custom TZID may mean: X-LIC-LOCATION, a name inside it ("custom_Pacific/Fiji"), or a
    city it lists ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna")."""
    names = [str(vtimezone.get("X-LIC-LOCATION", "")).strip()] if vtimezone is not None else []
    folded = tzid.casefold()
    names += sorted((z for z in _all_zones() if z.casefold() in folded), key=len, reverse=True)
    cities = _cities()
    names += [cities[w.casefold()] for w in _WORDS.findall(tzid) if w.casefold() in cities]
    return [z for z in dict.fromkeys(names) if _zone_name(z)]


def _name_for(local: datetime, candidates: list[str]) -> str:
    """An IANA name showing `local` at the same offset: a candidate that agrees, else Etc/GMT±h, else any
    zone at that offset then, else UTC."""
    offset = local.utcoffset() or timedelta(0)
    at = local.astimezone(UTC)
    for name in candidates:
        if at.astimezone(ZoneInfo(name)).utcoffset() == offset:
            return name
    hours, rest = divmod(offset, timedelta(hours=1))
    if not rest and -12 <= hours <= 14:
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # POSIX style: Etc/GMT-11 is UTC+11
    return next((z for z in _all_zones() if at.astimezone(ZoneInfo(z)).utcoffset() == offset), "UTC")
