"""Reading the dates, times and durations people type: "tomorrow 14:00", "tue", "+3d", "45m"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Literal

from followup.errors import InvalidDateError

ACCEPTED_FORMS = (
    "Accepted forms: 2026-11-02, 2026-11-02 14:00, today, yesterday 10:00, tomorrow 14:00,"
    " tue 10:30, 14:00, +3d, -2w, 3 days ago."
)
DURATION_FORMS = "Accepted forms: 45m, 1h, 1h30m, 1.5h, 90 (minutes), 2d; at most 14 days."
MAX_DURATION = timedelta(days=14)

_WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_UNITS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
}
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}

_TIME_24 = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_TIME_12 = re.compile(r"(\d{1,2})(?::(\d{2}))? ?([ap])\.?m\.?")
_TIME_H = re.compile(r"(\d{1,2})h(\d{2})?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r" ?(z|[+-]\d{2}:?\d{2})?"
)
_REL_BODY = re.compile(r"(?:\d+ ?[a-z]+ ?)+")
_REL_GROUP = re.compile(r"(\d+) ?([a-z]+)")
_NUMBER = r"\d+(?:\.\d+)?"
_DUR_BODY = re.compile(rf"(?:{_NUMBER} ?[a-z]+ ?)+")
_DUR_GROUP = re.compile(rf"({_NUMBER}) ?([a-z]+)")


def parse_when(text: str, *, now: datetime, prefer: Literal["past", "future"] = "past") -> datetime:
    """Read `text` as a moment in `now`'s zone; `prefer` picks which way a bare weekday goes."""
    tz = now.tzinfo
    if tz is None or now.utcoffset() is None:
        # A naive `now` would make astimezone() consult the machine's zone: a hidden clock read.
        raise ValueError("parse_when needs a timezone-aware `now`")
    if prefer not in ("past", "future"):
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")
    s = " ".join(text.lower().split())
    if s == "now":
        return now
    try:
        found = _relative(s, now, tz)
    except (OverflowError, ValueError):
        raise _invalid(text, "it is too far away") from None
    if found is not None:
        return found
    found = _iso(s, text, tz)
    if found is not None:
        return found
    clock = _parse_time(s, text)
    if clock is not None:
        return _at(now.date(), clock, tz)
    head, _, rest = s.partition(" ")
    if head in ("next", "last"):
        name, _, rest = rest.partition(" ")
        head = f"{head} {name}"
    clock = _parse_time(rest, text) if rest else time(0)
    if clock is not None:
        found = _on_day(head, clock, now=now, tz=tz, prefer=prefer, text=text)
        if found is not None:
            return found
    raise _invalid(text)


def parse_duration(text: str) -> timedelta:
    """Read a positive length of time of at most 14 days; a bare number means minutes."""
    s = " ".join(text.lower().split())
    if re.fullmatch(_NUMBER, s):
        seconds = Decimal(s) * 60
    elif _DUR_BODY.fullmatch(s):
        seconds = Decimal(0)
        for number, word in _DUR_GROUP.findall(s):
            unit = _UNITS.get(word)
            if unit is None:
                raise _invalid(text, kind="duration")
            seconds += Decimal(number) * _UNIT_SECONDS[unit]
    else:
        raise _invalid(text, kind="duration")
    # Compare before building the timedelta so absurd inputs fail politely, not with OverflowError.
    if seconds > Decimal(MAX_DURATION.total_seconds()):
        raise _invalid(text, "it must be at most 14 days", kind="duration")
    result = timedelta(microseconds=round(seconds * 1_000_000))
    if result <= timedelta(0):
        raise _invalid(text, "it must be longer than zero", kind="duration")
    return result


def _invalid(text: str, reason: str | None = None, *, kind: str = "date") -> InvalidDateError:
    shown = text.strip()
    message = f'Cannot read the {kind} "{shown}"' + (f": {reason}." if reason else ".")
    hint = ACCEPTED_FORMS if kind == "date" else DURATION_FORMS
    return InvalidDateError(message, hint=hint)


def _normalise(moment: datetime, tz: tzinfo) -> datetime:
    # The UTC round trip moves a wall time that falls in a DST gap forward by the gap's length,
    # and settles fold=0 (the earlier occurrence) for a wall time that happens twice.
    return moment.astimezone(UTC).astimezone(tz)


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    return _normalise(datetime.combine(day, clock, tzinfo=tz), tz)


def _utc(moment: datetime) -> datetime:
    # Aware datetimes sharing a tzinfo compare by wall time, ignoring fold; UTC compares real time.
    return moment.astimezone(UTC)


def _relative(s: str, now: datetime, tz: tzinfo) -> datetime | None:
    if s[:1] in ("+", "-"):
        sign, body = (1 if s[0] == "+" else -1), s[1:].strip()
    elif s.startswith("in "):
        sign, body = 1, s[3:]
    elif s.endswith(" ago"):
        sign, body = -1, s[:-4]
    else:
        return None
    if not _REL_BODY.fullmatch(body):
        return None
    totals = dict.fromkeys(_UNIT_SECONDS, 0)
    for number, word in _REL_GROUP.findall(body):
        unit = _UNITS.get(word)
        if unit is None:
            return None
        totals[unit] += int(number)
    calendar = timedelta(days=totals["d"] + 7 * totals["w"]) * sign
    elapsed = timedelta(hours=totals["h"], minutes=totals["m"]) * sign
    moved = now
    if calendar:
        # Days and weeks step the calendar, keeping the time of day even across a DST change.
        moved = _normalise((now.replace(tzinfo=None) + calendar).replace(tzinfo=tz), tz)
    # Hours and minutes are elapsed time: "+2h" is two real hours, even on a DST night.
    return (_utc(moved) + elapsed).astimezone(tz)


def _iso(s: str, text: str, tz: tzinfo) -> datetime | None:
    match = _ISO.fullmatch(s)
    if match is None:
        return None
    y, mo, d, h, mi, sec, frac, offset = match.groups()
    day = _date(y, mo, d, text)
    clock = _time(int(h), int(mi), int(sec or 0), text, micro=int((frac or "0").ljust(6, "0")))
    if offset is None:
        return _at(day, clock, tz)
    if offset == "z":
        zone = UTC
    else:
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise _invalid(text, "the offset is out of range")
        zone = timezone((-1 if offset[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes))
    return datetime.combine(day, clock, tzinfo=zone).astimezone(tz)


def _date(y: str, mo: str, d: str, text: str) -> date:
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise _invalid(text, "there is no such day") from None


def _time(hour: int, minute: int, second: int, text: str, *, micro: int = 0) -> time:
    if hour > 23:
        raise _invalid(text, "the hour must be 0-23")
    if minute > 59 or second > 59:
        raise _invalid(text, "the minutes and seconds must be 0-59")
    return time(hour, minute, second, micro)


def _parse_time(s: str, text: str) -> time | None:
    """Read a time of day, `None` if `s` does not look like one; out-of-range values fail."""
    if match := _TIME_24.fullmatch(s):
        return _time(int(match[1]), int(match[2]), int(match[3] or 0), text)
    if match := _TIME_H.fullmatch(s):
        return _time(int(match[1]), int(match[2] or 0), 0, text)
    if match := _TIME_12.fullmatch(s):
        hour = int(match[1])
        if not 1 <= hour <= 12:
            raise _invalid(text, "the hour must be 1-12 with am or pm")
        # 12am is midnight and 12pm is noon: the 12 wraps to 0 before pm adds its 12 hours.
        return _time(hour % 12 + (12 if match[3] == "p" else 0), int(match[2] or 0), 0, text)
    return None


def _on_day(head: str, clock: time, *, now: datetime, tz: tzinfo, prefer: str, text: str) -> datetime | None:
    today = now.date()
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if head in offsets:
        return _at(today + timedelta(days=offsets[head]), clock, tz)
    if match := _ISO_DATE.fullmatch(head):
        year, month, day = match.groups()
        return _at(_date(year, month, day, text), clock, tz)
    mode, _, name = head.rpartition(" ")
    weekday = _WEEKDAYS.get(name)
    if weekday is None:
        return None
    return _on_weekday(weekday, mode, clock, now=now, tz=tz, prefer=prefer)


def _on_weekday(weekday: int, mode: str, clock: time, *, now: datetime, tz: tzinfo, prefer: str) -> datetime:
    today = now.date()
    ahead, behind = (weekday - today.weekday()) % 7, (today.weekday() - weekday) % 7
    if mode == "next":
        return _at(today + timedelta(days=ahead or 7), clock, tz)
    if mode == "last":
        return _at(today - timedelta(days=behind or 7), clock, tz)
    if prefer == "future":
        found = _at(today + timedelta(days=ahead), clock, tz)
        if _utc(found) < _utc(now):
            found = _at(today + timedelta(days=ahead + 7), clock, tz)
        return found
    found = _at(today - timedelta(days=behind), clock, tz)
    if _utc(found) > _utc(now):
        found = _at(today - timedelta(days=behind + 7), clock, tz)
    return found
