"""Tests for the recipient's business calendar (followup.domain.calendar)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.calendar import BusinessCalendar, Place, SendWindow, place_of

NINE_TO_FIVE = SendWindow()
NEW_YORK = Place("America/New_York", "US")
BERLIN = Place("Europe/Berlin", "DE")


class FakeHolidays:
    """Holidays from a table written in the test; counts the questions asked."""

    def __init__(self, table: dict[str, Iterable[date]]) -> None:
        self.table = {country: frozenset(days) for country, days in table.items()}
        self.asked: list[tuple[str, int]] = []

    def of(self, country: str, year: int) -> frozenset[date]:
        self.asked.append((country, year))
        return frozenset(d for d in self.table.get(country, ()) if d.year == year)


# Only the days the stories need; the real lists are checked in tests/calendar/test_holidays.py.
CALENDAR = BusinessCalendar(
    FakeHolidays(
        {
            "US": [date(2026, 11, 26), date(2026, 12, 25)],  # Thanksgiving (Thu), Christmas (Fri)
            "DE": [date(2026, 12, 25), date(2026, 12, 26)],  # Christmas Day, Second Day of Christmas
        }
    )
)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def at(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


# --- where the recipient is -----------------------------------------------------------------------


IN_KOLKATA = ("Asia/Kolkata", "IN")
DE_BERLIN = ("Europe/Berlin", "DE")
US_NEW_YORK = ("America/New_York", "US")
UNKNOWN = (None, None)


@pytest.mark.parametrize(
    ("person", "org", "user", "expected"),
    [
        (IN_KOLKATA, DE_BERLIN, US_NEW_YORK, Place("Asia/Kolkata", "IN")),
        (UNKNOWN, DE_BERLIN, US_NEW_YORK, Place("Europe/Berlin", "DE")),
        (UNKNOWN, UNKNOWN, US_NEW_YORK, Place("America/New_York", "US")),
        # Zone and country fall back independently: a remote employee of a German company ...
        (("Europe/Lisbon", None), DE_BERLIN, US_NEW_YORK, Place("Europe/Lisbon", "DE")),
        # ... or an Indian contact whose zone nobody recorded.
        ((None, "IN"), UNKNOWN, US_NEW_YORK, Place("America/New_York", "IN")),
        # Empty strings (a blank form field) count as unknown.
        (("", ""), ("Europe/Berlin", ""), ("UTC", None), Place("Europe/Berlin", None)),
    ],
)
def test_place_falls_back_from_person_to_organisation_to_user(
    person: tuple[str | None, str | None],
    org: tuple[str | None, str | None],
    user: tuple[str, str | None],
    expected: Place,
) -> None:
    assert place_of(*person, *org, *user) == expected


def test_send_window_must_start_before_it_ends() -> None:
    with pytest.raises(ValueError, match="start before it ends"):
        SendWindow(time(17, 0), time(9, 0))
    with pytest.raises(ValueError, match="start before it ends"):
        SendWindow(time(9, 0), time(9, 0))
    assert SendWindow() == SendWindow(time(9, 0), time(17, 0))


# --- business days ------------------------------------------------------------------------------


def test_thanksgiving_is_skipped_but_the_friday_after_is_a_business_day() -> None:
    # Interview on Wednesday 25 November 2026; the Friday after Thanksgiving is not a federal holiday.
    assert not CALENDAR.is_business_day(date(2026, 11, 26), NEW_YORK)
    assert CALENDAR.is_business_day(date(2026, 11, 27), NEW_YORK)
    assert CALENDAR.add_business_days(date(2026, 11, 25), 1, NEW_YORK) == date(2026, 11, 27)
    assert CALENDAR.add_business_days(date(2026, 11, 25), 3, NEW_YORK) == date(2026, 12, 1)
    assert CALENDAR.business_days_between(date(2026, 11, 25), date(2026, 12, 1), NEW_YORK) == 3


def test_german_christmas_weekend() -> None:
    # 25 Dec 2026 is a Friday, the 26th a Saturday: Thursday's note waits until Monday the 28th.
    assert CALENDAR.add_business_days(date(2026, 12, 24), 1, BERLIN) == date(2026, 12, 28)
    assert CALENDAR.business_days_between(date(2026, 12, 23), date(2026, 12, 31), BERLIN) == 5
    # The same Friday is a business day for a recipient whose country is unknown (weekends only).
    assert CALENDAR.is_business_day(date(2026, 12, 25), Place("Europe/Berlin", None))
    # A country absent from the source has weekends only too.
    assert CALENDAR.is_business_day(date(2026, 12, 25), Place("Europe/Paris", "FR"))


def test_adding_zero_business_days_stays_or_moves_to_the_next_one() -> None:
    assert CALENDAR.add_business_days(date(2026, 11, 25), 0, NEW_YORK) == date(2026, 11, 25)
    assert CALENDAR.add_business_days(date(2026, 11, 28), 0, NEW_YORK) == date(2026, 11, 30)  # Saturday
    assert CALENDAR.add_business_days(date(2026, 11, 26), 0, NEW_YORK) == date(2026, 11, 27)  # Thanksgiving
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_business_days(date(2026, 11, 25), -1, NEW_YORK)


def test_business_days_between_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert CALENDAR.business_days_between(date(2026, 11, 25), date(2026, 11, 25), NEW_YORK) == 0
    assert CALENDAR.business_days_between(date(2026, 11, 25), date(2026, 11, 20), NEW_YORK) == 0


def test_holidays_are_asked_once_per_country_and_year() -> None:
    source = FakeHolidays({"US": [date(2026, 11, 26)]})
    calendar = BusinessCalendar(source)
    calendar.business_days_between(date(2026, 11, 1), date(2027, 1, 31), NEW_YORK)
    calendar.is_business_day(date(2026, 12, 25), Place("UTC", None))  # no country: nothing to ask
    assert source.asked == [("US", 2026), ("US", 2027)]


def test_a_source_with_no_business_days_fails_instead_of_looping() -> None:
    every_day = [date(2026, 1, 1) + timedelta(days=i) for i in range(800)]
    calendar = BusinessCalendar(FakeHolidays({"XX": every_day}))
    with pytest.raises(ValueError, match="no business day"):
        calendar.add_business_days(date(2026, 1, 1), 1, Place("UTC", "XX"))


# --- local days and windows -----------------------------------------------------------------------


def test_local_day_is_the_date_at_the_recipient() -> None:
    # Sunday evening in UTC is already Monday morning on the Chatham Islands (+13:45 in November).
    chatham = Place("Pacific/Chatham", "NZ")
    assert CALENDAR.local_day(utc(2026, 11, 1, 20, 0), chatham) == date(2026, 11, 2)
    assert CALENDAR.local_day(at("America/New_York", 2026, 11, 1, 22, 0), BERLIN) == date(2026, 11, 2)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.local_day(datetime(2026, 11, 2, 9, 0), BERLIN)  # naive: the point of the test


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        # US clocks go back on Sunday 1 November 2026: 09:00 is 13:00Z before, 14:00Z after.
        (NEW_YORK, date(2026, 10, 30), (utc(2026, 10, 30, 13), utc(2026, 10, 30, 21))),
        (NEW_YORK, date(2026, 11, 2), (utc(2026, 11, 2, 14), utc(2026, 11, 2, 22))),
        # EU clocks go back on Sunday 25 October 2026, a week before the US ones.
        (BERLIN, date(2026, 10, 23), (utc(2026, 10, 23, 7), utc(2026, 10, 23, 15))),
        (BERLIN, date(2026, 10, 26), (utc(2026, 10, 26, 8), utc(2026, 10, 26, 16))),
        (Place("Asia/Kolkata", "IN"), date(2026, 11, 2), (utc(2026, 11, 2, 3, 30), utc(2026, 11, 2, 11, 30))),
        # Chatham at +13:45 in November and +12:45 in June: Monday's window opens on Sunday in UTC.
        (
            Place("Pacific/Chatham", "NZ"),
            date(2026, 11, 2),
            (utc(2026, 11, 1, 19, 15), utc(2026, 11, 2, 3, 15)),
        ),
        (
            Place("Pacific/Chatham", "NZ"),
            date(2026, 6, 1),
            (utc(2026, 5, 31, 20, 15), utc(2026, 6, 1, 4, 15)),
        ),
    ],
)
def test_nine_to_five_window_in_utc(place: Place, day: date, expected: tuple[datetime, datetime]) -> None:
    assert CALENDAR.window(day, place, NINE_TO_FIVE) == expected


def test_window_edges_in_the_hours_clocks_change() -> None:
    # Going back (1 Nov 2026, 01:00-02:00 happens twice in New York): the first 01:30 (EDT) is taken.
    night = SendWindow(time(1, 30), time(3, 0))
    assert CALENDAR.window(date(2026, 11, 1), NEW_YORK, night) == (
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 1, 8),
    )
    # Going forward (8 Mar 2026, 02:00-03:00 never happens): 02:30 lands an hour later, at 03:30 EDT.
    early = SendWindow(time(2, 30), time(9, 0))
    assert CALENDAR.window(date(2026, 3, 8), NEW_YORK, early) == (utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 13))
    # A window shorter than the gap would end before it starts; it shrinks to its start instead.
    sliver = SendWindow(time(2, 30), time(3, 15))
    assert CALENDAR.window(date(2026, 3, 8), NEW_YORK, sliver) == (
        utc(2026, 3, 8, 7, 30),
        utc(2026, 3, 8, 7, 30),
    )


def test_an_unknown_zone_is_read_as_utc() -> None:
    assert CALENDAR.window(date(2026, 11, 2), Place("Mars/Olympus_Mons", None), NINE_TO_FIVE) == (
        utc(2026, 11, 2, 9),
        utc(2026, 11, 2, 17),
    )


def test_end_of_business_day() -> None:
    assert CALENDAR.end_of_business_day(date(2026, 11, 25), NEW_YORK, NINE_TO_FIVE) == utc(2026, 11, 25, 22)
    # Christmas Friday in Germany: the deadline is Monday 28 December, 17:00 CET.
    assert CALENDAR.end_of_business_day(date(2026, 12, 25), BERLIN, NINE_TO_FIVE) == utc(2026, 12, 28, 16)


# --- next send time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earliest", "place", "expected"),
    [
        # Inside the window: send now (as UTC).
        (at("America/New_York", 2026, 11, 25, 10, 15), NEW_YORK, utc(2026, 11, 25, 15, 15)),
        # Before the window: wait for 09:00 local.
        (at("America/New_York", 2026, 11, 25, 7, 0), NEW_YORK, utc(2026, 11, 25, 14)),
        # The window end itself still counts.
        (at("America/New_York", 2026, 11, 25, 17, 0), NEW_YORK, utc(2026, 11, 25, 22)),
        # Wednesday evening before Thanksgiving: Friday morning.
        (at("America/New_York", 2026, 11, 25, 18, 0), NEW_YORK, utc(2026, 11, 27, 14)),
        # Thursday evening before German Christmas: Monday the 28th, 09:00 CET.
        (at("Europe/Berlin", 2026, 12, 24, 17, 30), BERLIN, utc(2026, 12, 28, 8)),
        # Friday evening in New York, the weekend of the US change: Monday 09:00 EST.
        (at("America/New_York", 2026, 10, 30, 18, 0), NEW_YORK, utc(2026, 11, 2, 14)),
        # A user in New York writing on Friday 23 Oct at 16:00 (22:00 in Berlin): Monday 09:00 CET.
        (at("America/New_York", 2026, 10, 23, 16, 0), BERLIN, utc(2026, 10, 26, 8)),
        # Sunday 18:00 UTC is Monday 07:45 on Chatham: the window opens at 19:15 UTC the same Sunday.
        (utc(2026, 11, 1, 18), Place("Pacific/Chatham", "NZ"), utc(2026, 11, 1, 19, 15)),
        (utc(2026, 11, 2, 12), Place("Asia/Kolkata", "IN"), utc(2026, 11, 3, 3, 30)),
    ],
)
def test_next_send_time(earliest: datetime, place: Place, expected: datetime) -> None:
    sent = CALENDAR.next_send_time(earliest, place, NINE_TO_FIVE)
    assert sent == expected
    assert sent.tzinfo is UTC


@pytest.mark.parametrize(
    ("earliest", "max_wait_days", "expected"),
    [
        # Monday 9 Nov 10:00 moves to Tuesday 09:00.
        (at("America/New_York", 2026, 11, 9, 10, 0), 3, utc(2026, 11, 10, 14)),
        # Friday 27 Nov (after Thanksgiving): Tuesday is 4 days away, beyond the default 3 ...
        (at("America/New_York", 2026, 11, 27, 10, 0), 3, utc(2026, 11, 27, 15)),
        # ... and within 4.
        (at("America/New_York", 2026, 11, 27, 10, 0), 4, utc(2026, 12, 1, 14)),
        # Wednesday evening: the first candidate is Friday (Thursday is Thanksgiving), which stays.
        (at("America/New_York", 2026, 11, 25, 18, 0), 3, utc(2026, 11, 27, 14)),
        # Already midweek: unchanged.
        (at("America/New_York", 2026, 11, 10, 11, 0), 3, utc(2026, 11, 10, 16)),
        # No waiting allowed: Monday stays Monday.
        (at("America/New_York", 2026, 11, 9, 10, 0), 0, utc(2026, 11, 9, 15)),
    ],
)
def test_prefer_midweek(earliest: datetime, max_wait_days: int, expected: datetime) -> None:
    sent = CALENDAR.next_send_time(
        earliest, NEW_YORK, NINE_TO_FIVE, prefer_midweek=True, max_wait_days=max_wait_days
    )
    assert sent == expected


def test_prefer_midweek_skips_a_midweek_holiday() -> None:
    # Monday 21 Dec 2026 with Tuesday and Wednesday as (invented) holidays: Thursday is 3 days away.
    calendar = BusinessCalendar(FakeHolidays({"XX": [date(2026, 12, 22), date(2026, 12, 23)]}))
    place = Place("UTC", "XX")
    monday = utc(2026, 12, 21, 10)
    assert calendar.next_send_time(monday, place, NINE_TO_FIVE, prefer_midweek=True) == utc(2026, 12, 24, 9)
    assert (
        calendar.next_send_time(monday, place, NINE_TO_FIVE, prefer_midweek=True, max_wait_days=2) == monday
    )


# --- properties ---------------------------------------------------------------------------------

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Santiago",  # clocks change at midnight
    "Australia/Lord_Howe",  # half-hour daylight saving
]
FIRST, LAST = date(2026, 1, 1), date(2027, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST)
places = st.builds(Place, zone=st.sampled_from(ZONES), country=st.sampled_from(["XX", None]))
holiday_sets = st.frozensets(days, max_size=40)
windows = (
    st.lists(st.times(), min_size=2, max_size=2, unique=True)
    .map(sorted)
    .map(lambda edges: SendWindow(edges[0], edges[1]))
)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


def is_free(day: date, place: Place, holidays: frozenset[date]) -> bool:
    """Business day, decided without the calendar under test."""
    return day.weekday() < 5 and not (place.country == "XX" and day in holidays)


@given(earliest=moments, place=places, window=windows, holidays=holiday_sets, midweek=st.booleans())
def test_next_send_time_is_inside_a_window_of_a_business_day(
    earliest: datetime, place: Place, window: SendWindow, holidays: frozenset[date], midweek: bool
) -> None:
    calendar = BusinessCalendar(FakeHolidays({"XX": holidays}))
    sent = calendar.next_send_time(earliest, place, window, prefer_midweek=midweek)
    day = calendar.local_day(sent, place)
    start, end = calendar.window(day, place, window)
    assert sent >= earliest
    assert start <= sent <= end
    assert is_free(day, place, holidays)


@given(earliest=moments, place=places, window=windows, holidays=holiday_sets)
def test_next_send_time_is_the_first_possible_moment(
    earliest: datetime, place: Place, window: SendWindow, holidays: frozenset[date]
) -> None:
    calendar = BusinessCalendar(FakeHolidays({"XX": holidays}))
    sent = calendar.next_send_time(earliest, place, window)
    if sent > earliest:
        day = calendar.local_day(sent, place)
        assert sent == calendar.window(day, place, window)[0]
        skipped = calendar.local_day(earliest, place)
        while skipped < day:
            assert (
                not is_free(skipped, place, holidays) or calendar.window(skipped, place, window)[1] < earliest
            )
            skipped += timedelta(days=1)


@given(day=days, n=st.integers(0, 40), place=places, holidays=holiday_sets)
def test_adding_business_days_lands_on_one_and_grows_with_n(
    day: date, n: int, place: Place, holidays: frozenset[date]
) -> None:
    calendar = BusinessCalendar(FakeHolidays({"XX": holidays}))
    landed = calendar.add_business_days(day, n, place)
    assert is_free(landed, place, holidays)
    assert landed >= day
    # From a non-business day, 0 and 1 both give the next business day; past that, each step moves on.
    if n >= 1 or is_free(day, place, holidays):
        assert calendar.add_business_days(day, n + 1, place) > landed


def test_from_a_weekend_zero_and_one_business_days_are_the_same_monday() -> None:
    saturday = date(2026, 11, 28)
    assert CALENDAR.add_business_days(saturday, 0, NEW_YORK) == date(2026, 11, 30)
    assert CALENDAR.add_business_days(saturday, 1, NEW_YORK) == date(2026, 11, 30)
    assert CALENDAR.add_business_days(saturday, 2, NEW_YORK) == date(2026, 12, 1)


@given(day=days, n=st.integers(1, 40), place=places, holidays=holiday_sets)
def test_business_days_between_undoes_adding(
    day: date, n: int, place: Place, holidays: frozenset[date]
) -> None:
    calendar = BusinessCalendar(FakeHolidays({"XX": holidays}))
    assert calendar.business_days_between(day, calendar.add_business_days(day, n, place), place) == n


@given(earliest=moments, zone=st.sampled_from(ZONES))
def test_the_zone_of_the_input_does_not_matter(earliest: datetime, zone: str) -> None:
    same_moment = earliest.astimezone(ZoneInfo(zone))
    assert CALENDAR.next_send_time(same_moment, BERLIN, NINE_TO_FIVE) == CALENDAR.next_send_time(
        earliest, BERLIN, NINE_TO_FIVE
    )
