"""The recipient's working calendar: business days, public holidays, send windows and time zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Longest run of non-business days searched before giving up: a year, so that a broken holiday source
# (every day a holiday) raises instead of looping forever.
_MAX_GAP_DAYS = 366
_MIDWEEK = frozenset({1, 2, 3})  # Tuesday, Wednesday, Thursday
_ONE_DAY = timedelta(days=1)


class HolidaySource(Protocol):
    """Public holidays of a country (ISO 3166-1 alpha-2 code) in one year."""

    def of(self, country: str, year: int) -> frozenset[date]: ...


@dataclass(frozen=True)
class SendWindow:
    """The hours, local to the recipient, in which a note may arrive."""

    start: time = time(9, 0)
    end: time = time(17, 0)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(
                f"the send window must start before it ends, got {self.start:%H:%M}-{self.end:%H:%M}"
            )


@dataclass(frozen=True)
class Place:
    """Where the recipient is.

    `zone` must be a valid IANA name (callers validate it); an unknown one is read as UTC rather than
    failing a whole planning run. `country` selects public holidays; None means weekends only.
    """

    zone: str
    country: str | None


def place_of(
    person_zone: str | None,
    person_country: str | None,
    org_zone: str | None,
    org_country: str | None,
    user_zone: str,
    user_country: str | None,
) -> Place:
    """The recipient's place: the person's, else their organisation's, else the user's; zone and country
    fall back independently, and an empty string counts as unknown."""
    return Place(
        zone=person_zone or org_zone or user_zone,
        country=person_country or org_country or user_country or None,
    )


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def _aware(moment: datetime) -> datetime:
    # A naive datetime would be read in the machine's zone, which is never the recipient's.
    if moment.tzinfo is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment.isoformat()}")
    return moment


def _instant(day: date, at: time, zone: tzinfo) -> datetime:
    # fold=0: an ambiguous wall time (clocks going back) is its first occurrence; a skipped one (clocks
    # going forward) keeps the offset from before the change, so it lands later by the size of the gap.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


class BusinessCalendar:
    """Business days and send times at the recipient; datetimes in any zone, results in UTC."""

    def __init__(self, holidays: HolidaySource) -> None:
        self._source = holidays
        self._cache: dict[tuple[str, int], frozenset[date]] = {}
        # Planning asks the same questions thousands of times (same days, same countries, same zones):
        # the answers never change, so they are remembered.
        self._next: dict[tuple[date, str | None], date] = {}
        self._added: dict[tuple[date, int, str | None], date] = {}
        self._windows: dict[tuple[date, str, SendWindow], tuple[datetime, datetime]] = {}
        self._zones: dict[str, tzinfo] = {}

    def _holidays(self, country: str | None, year: int) -> frozenset[date]:
        if country is None:
            return frozenset()
        key = (country, year)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._source.of(country, year)
        return found

    def is_business_day(self, day: date, place: Place) -> bool:
        """Monday to Friday and not a public holiday of the recipient's country."""
        return day.weekday() < 5 and day not in self._holidays(place.country, day.year)

    def _next_business_day(self, day: date, place: Place) -> date:
        """`day` itself if it is a business day, else the first one after it."""
        key = (day, place.country)
        found = self._next.get(key)
        if found is None:
            found = self._next[key] = self._search_business_day(day, place)
        return found

    def _search_business_day(self, day: date, place: Place) -> date:
        for offset in range(_MAX_GAP_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate, place):
                return candidate
        raise ValueError(f"no business day within {_MAX_GAP_DAYS} days of {day} for {place}")

    def add_business_days(self, day: date, n: int, place: Place) -> date:
        """The n-th business day after `day` (not counting `day`); for n == 0, `day` or the next
        business day."""
        if n < 0:
            raise ValueError(f"cannot add a negative number of business days ({n})")
        key = (day, n, place.country)
        found = self._added.get(key)
        if found is not None:
            return found
        result = self._next_business_day(day, place) if n == 0 else day
        for _ in range(n):
            result = self._next_business_day(result + _ONE_DAY, place)
        self._added[key] = result
        return result

    def business_days_between(self, start: date, end: date, place: Place) -> int:
        """How many business days d have start < d <= end (0 when end <= start)."""
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            count += self.is_business_day(day, place)
            day += _ONE_DAY
        return count

    def local_day(self, moment: datetime, place: Place) -> date:
        """The date at the recipient at that moment."""
        zone = self._zones.get(place.zone)
        if zone is None:
            zone = self._zones[place.zone] = _zone(place.zone)
        return _aware(moment).astimezone(zone).date()

    def window(self, day: date, place: Place, window: SendWindow) -> tuple[datetime, datetime]:
        """UTC start and end of the send window on the recipient's local `day`.

        On the day clocks go forward, an edge inside the skipped hour moves later by the gap; should that
        put the start after the end, the window shrinks to its start, so start <= end always holds.
        """
        key = (day, place.zone, window)
        found = self._windows.get(key)
        if found is None:
            zone = _zone(place.zone)
            start = _instant(day, window.start, zone)
            end = _instant(day, window.end, zone)
            found = self._windows[key] = (start, max(start, end))
        return found

    def end_of_business_day(self, day: date, place: Place, window: SendWindow) -> datetime:
        """The end of the send window on `day`, or on the next business day if `day` is not one (UTC)."""
        return self.window(self._next_business_day(day, place), place, window)[1]

    def next_send_time(
        self,
        earliest: datetime,
        place: Place,
        window: SendWindow,
        *,
        prefer_midweek: bool = False,
        max_wait_days: int = 3,
    ) -> datetime:
        """The first moment >= `earliest` inside the send window (both ends included) of a business day.

        With `prefer_midweek` a Monday or Friday gives way to the window start of the next Tuesday to
        Thursday business day, if that is at most `max_wait_days` calendar days later. Returns UTC.
        """
        earliest = _aware(earliest).astimezone(UTC)
        day = self._next_business_day(self.local_day(earliest, place), place)
        start, end = self.window(day, place, window)
        if earliest > end:
            day = self._next_business_day(day + _ONE_DAY, place)
            start, end = self.window(day, place, window)
        if prefer_midweek and day.weekday() not in _MIDWEEK:
            for wait in range(1, max_wait_days + 1):
                later = day + timedelta(days=wait)
                if later.weekday() in _MIDWEEK and self.is_business_day(later, place):
                    return self.window(later, place, window)[0]
        return max(earliest, start)
