"""Tests for reading typed dates, times and durations (followup.domain.when)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.when import (
    ACCEPTED_FORMS,
    DURATION_FORMS,
    parse_duration,
    parse_when,
)
from followup.errors import InvalidDateError

CHICAGO = ZoneInfo("America/Chicago")
# Thanksgiving 2026: a Thursday, well clear of any DST change.
NOW = datetime(2026, 11, 26, 10, 15, tzinfo=CHICAGO)


def at(year: int, month: int, day: int, hour: int, minute: int, *, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=CHICAGO)


def test_now_is_returned_unchanged() -> None:
    assert parse_when("now", now=NOW) == NOW
    assert parse_when("  NOW ", now=NOW) == NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", at(2026, 11, 26, 0, 0)),
        ("yesterday", at(2026, 11, 25, 0, 0)),
        ("tomorrow", at(2026, 11, 27, 0, 0)),
        ("yesterday 10:00", at(2026, 11, 25, 10, 0)),
        ("tomorrow 14:00", at(2026, 11, 27, 14, 0)),
        ("today 9am", at(2026, 11, 26, 9, 0)),
        ("tomorrow 2:30pm", at(2026, 11, 27, 14, 30)),
        ("tomorrow 2:30 pm", at(2026, 11, 27, 14, 30)),
        ("Tomorrow   14:00", at(2026, 11, 27, 14, 0)),
        ("today 12am", at(2026, 11, 26, 0, 0)),
        ("today 12pm", at(2026, 11, 26, 12, 0)),
    ],
)
def test_named_days(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", at(2026, 11, 26, 14, 0)),
        ("09:05", at(2026, 11, 26, 9, 5)),
        ("9am", at(2026, 11, 26, 9, 0)),
        ("2:30pm", at(2026, 11, 26, 14, 30)),
        ("2:30PM", at(2026, 11, 26, 14, 30)),
        ("14h", at(2026, 11, 26, 14, 0)),
        ("14h30", at(2026, 11, 26, 14, 30)),
        ("12am", at(2026, 11, 26, 0, 0)),
        ("12pm", at(2026, 11, 26, 12, 0)),
        ("12:30am", at(2026, 11, 26, 0, 30)),
        ("0:00", at(2026, 11, 26, 0, 0)),
        ("23:59", at(2026, 11, 26, 23, 59)),
    ],
)
def test_bare_time_is_today_even_when_already_past(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW) == expected
    assert parse_when(text, now=NOW, prefer="future") == expected


# NOW is Thursday 2026-11-26 10:15.
@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("tue", at(2026, 11, 24, 0, 0), at(2026, 12, 1, 0, 0)),
        ("tuesday", at(2026, 11, 24, 0, 0), at(2026, 12, 1, 0, 0)),
        ("tues 10:30", at(2026, 11, 24, 10, 30), at(2026, 12, 1, 10, 30)),
        ("fri", at(2026, 11, 20, 0, 0), at(2026, 11, 27, 0, 0)),
        ("wed 3pm", at(2026, 11, 25, 15, 0), at(2026, 12, 2, 15, 0)),
        ("sun", at(2026, 11, 22, 0, 0), at(2026, 11, 29, 0, 0)),
        # Today is Thursday: today counts on whichever side of now the moment falls.
        ("thu 9:00", at(2026, 11, 26, 9, 0), at(2026, 12, 3, 9, 0)),
        ("thu 10:30", at(2026, 11, 19, 10, 30), at(2026, 11, 26, 10, 30)),
        ("thu 10:15", at(2026, 11, 26, 10, 15), at(2026, 11, 26, 10, 15)),
        ("thu", at(2026, 11, 26, 0, 0), at(2026, 12, 3, 0, 0)),
        ("thur 11:00", at(2026, 11, 19, 11, 0), at(2026, 11, 26, 11, 0)),
        ("thurs 11:00", at(2026, 11, 19, 11, 0), at(2026, 11, 26, 11, 0)),
        ("Thursday 11:00", at(2026, 11, 19, 11, 0), at(2026, 11, 26, 11, 0)),
    ],
)
def test_weekday_follows_prefer(text: str, past: datetime, future: datetime) -> None:
    assert parse_when(text, now=NOW) == past
    assert parse_when(text, now=NOW, prefer="past") == past
    assert parse_when(text, now=NOW, prefer="future") == future


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next thu", at(2026, 12, 3, 0, 0)),
        ("next fri", at(2026, 11, 27, 0, 0)),
        ("next wed 10:30", at(2026, 12, 2, 10, 30)),
        ("last thu", at(2026, 11, 19, 0, 0)),
        ("last wed", at(2026, 11, 25, 0, 0)),
        ("last fri 9am", at(2026, 11, 20, 9, 0)),
        # "next"/"last" skip today even when the moment would fall on the preferred side.
        ("next thu 23:00", at(2026, 12, 3, 23, 0)),
        ("last thu 1:00", at(2026, 11, 19, 1, 0)),
    ],
)
def test_next_and_last_ignore_prefer(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW, prefer="past") == expected
    assert parse_when(text, now=NOW, prefer="future") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", at(2026, 11, 29, 10, 15)),
        ("-2w", at(2026, 11, 12, 10, 15)),
        ("+2h", at(2026, 11, 26, 12, 15)),
        ("-30m", at(2026, 11, 26, 9, 45)),
        ("+1d12h", at(2026, 11, 27, 22, 15)),
        ("+1d 12h", at(2026, 11, 27, 22, 15)),
        ("-1w2d", at(2026, 11, 17, 10, 15)),
        ("+0d", NOW),
        ("3 days ago", at(2026, 11, 23, 10, 15)),
        ("1 day ago", at(2026, 11, 25, 10, 15)),
        ("2h ago", at(2026, 11, 26, 8, 15)),
        ("in 2 weeks", at(2026, 12, 10, 10, 15)),
        ("in 45 minutes", at(2026, 11, 26, 11, 0)),
        ("in 3d", at(2026, 11, 29, 10, 15)),
    ],
)
def test_relative_offsets(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02", at(2026, 11, 2, 0, 0)),
        ("2026-11-02 14:00", at(2026, 11, 2, 14, 0)),
        ("2026-11-02T14:00", at(2026, 11, 2, 14, 0)),
        ("2026-11-02t14:00", at(2026, 11, 2, 14, 0)),
        ("2026-11-02T14:00:05", at(2026, 11, 2, 14, 0, second=5)),
        ("2026-11-02 2pm", at(2026, 11, 2, 14, 0)),
        ("2024-02-29", at(2024, 2, 29, 0, 0)),
    ],
)
def test_iso_dates_are_local(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02T14:00+01:00", at(2026, 11, 2, 7, 0)),
        ("2026-11-02T13:00Z", at(2026, 11, 2, 7, 0)),
        ("2026-11-02T13:00z", at(2026, 11, 2, 7, 0)),
        ("2026-11-02T08:30-0500", at(2026, 11, 2, 7, 30)),
        ("2026-11-02 13:00:00Z", at(2026, 11, 2, 7, 0)),
    ],
)
def test_iso_offsets_are_honoured_then_shown_in_the_user_zone(text: str, expected: datetime) -> None:
    found = parse_when(text, now=NOW)
    assert found == expected
    assert found.tzinfo is CHICAGO


def test_results_are_in_the_zone_of_now() -> None:
    paris_now = datetime(2026, 11, 26, 17, 15, tzinfo=ZoneInfo("Europe/Paris"))
    found = parse_when("2026-11-02T13:00Z", now=paris_now)
    assert found == datetime(2026, 11, 2, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert found.tzinfo is paris_now.tzinfo


# US DST ends on 2026-11-01 (02:00 CDT -> 01:00 CST) and starts on 2027-03-14.
def test_days_keep_the_wall_clock_across_fall_back() -> None:
    before = at(2026, 10, 31, 10, 15)
    found = parse_when("+1d", now=before)
    assert found == at(2026, 11, 1, 10, 15)
    assert found.utcoffset() == timedelta(hours=-6)
    # Same-zone subtraction is wall-clock; UTC shows the 25 real hours of that day.
    assert found.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=25)


def test_days_keep_the_wall_clock_across_spring_forward() -> None:
    found = parse_when("-1w", now=at(2027, 3, 20, 9, 0))
    assert found == at(2027, 3, 13, 9, 0)
    assert found.utcoffset() == timedelta(hours=-6)


def test_hours_are_elapsed_time_across_fall_back() -> None:
    # 00:30 CDT plus two real hours is 01:30 CST, the second 01:30 of the night.
    found = parse_when("+2h", now=at(2026, 11, 1, 0, 30))
    assert found.astimezone(UTC) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert (found.hour, found.minute, found.fold) == (1, 30, 1)


def test_a_time_in_the_spring_forward_gap_moves_forward() -> None:
    for text in ("2027-03-14 02:30", "2027-03-14T02:30", "tomorrow 2:30am"):
        found = parse_when(text, now=at(2027, 3, 13, 12, 0))
        assert found.astimezone(UTC) == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)
        assert (found.hour, found.minute) == (3, 30)


def test_a_day_step_landing_in_the_gap_moves_forward() -> None:
    found = parse_when("+1d", now=at(2027, 3, 13, 2, 30))
    assert found == at(2027, 3, 14, 3, 30)


def test_a_repeated_time_picks_the_first_occurrence() -> None:
    found = parse_when("2026-11-01 01:30", now=NOW)
    assert found.utcoffset() == timedelta(hours=-5)
    assert found.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_weekday_compares_real_time_inside_the_repeated_hour() -> None:
    # Now is the second 01:10 (CST); 01:30 today resolves to the first 01:30 (CDT),
    # which is already past in real time although its wall clock reads later.
    second_pass = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=CHICAGO)
    found = parse_when("sun 1:30", now=second_pass, prefer="past")
    assert found.date() == second_pass.date()
    assert found.astimezone(UTC) <= second_pass.astimezone(UTC)


@pytest.mark.parametrize(
    "text",
    [
        "blorp",
        "",
        "   ",
        "yesterday at noon",
        "tue tue",
        "next",
        "last 10:00",
        "+3x",
        "+",
        "3 days",
        "in 3 fortnights",
        "2026-13-01",
        "2026-11-02T14:00+01:00 extra",
        "2026-11-02X14:00",
    ],
)
def test_unreadable_text_names_the_input_and_lists_the_forms(text: str) -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_when(text, now=NOW)
    assert f'"{text.strip()}"' in caught.value.message
    assert caught.value.hint == ACCEPTED_FORMS
    assert "3 days ago" in str(caught.value)


def test_unreadable_message_wording() -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_when("blorp", now=NOW)
    assert caught.value.message == 'Cannot read the date "blorp".'
    assert ACCEPTED_FORMS.startswith("Accepted forms: 2026-11-02, 2026-11-02 14:00, today,")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "there is no such day"),
        ("2026-02-30 10:00", "there is no such day"),
        ("2025-02-29", "there is no such day"),
        ("25:00", "the hour must be 0-23"),
        ("24:00", "the hour must be 0-23"),
        ("tomorrow 25:00", "the hour must be 0-23"),
        ("10:60", "the minutes and seconds must be 0-59"),
        ("2026-11-02T10:00:61", "the minutes and seconds must be 0-59"),
        ("25h", "the hour must be 0-23"),
        ("13pm", "the hour must be 1-12 with am or pm"),
        ("0am", "the hour must be 1-12 with am or pm"),
        ("2026-11-02T14:00+24:00", "the offset is out of range"),
        ("+99999999999d", "it is too far away"),
        ("-9999999w", "it is too far away"),
    ],
)
def test_impossible_values_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_when(text, now=NOW)
    assert caught.value.message == f'Cannot read the date "{text}": {reason}.'
    assert caught.value.hint == ACCEPTED_FORMS


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("today", now=datetime(2026, 11, 26, 10, 15))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45m", timedelta(minutes=45)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        ("90", timedelta(minutes=90)),
        ("2.5", timedelta(minutes=2, seconds=30)),
        ("2d", timedelta(days=2)),
        ("  2D ", timedelta(days=2)),
        ("1 hour", timedelta(hours=1)),
        ("30 mins", timedelta(minutes=30)),
        ("14d", timedelta(days=14)),
        ("2w", timedelta(days=14)),
        ("13d23h59m", timedelta(days=14) - timedelta(minutes=1)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("blorp", None),
        ("", None),
        ("-5m", None),
        ("1 30", None),
        ("5x", None),
        ("1h30", None),
        ("0", "it must be longer than zero"),
        ("0m", "it must be longer than zero"),
        ("0h0m", "it must be longer than zero"),
        ("15d", "it must be at most 14 days"),
        ("14d1m", "it must be at most 14 days"),
        ("3w", "it must be at most 14 days"),
        ("99999999999999999999999999999999999d", "it must be at most 14 days"),
    ],
)
def test_bad_durations_name_the_input(text: str, reason: str | None) -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_duration(text)
    suffix = f": {reason}." if reason else "."
    assert caught.value.message == f'Cannot read the duration "{text}"{suffix}'
    assert caught.value.hint == DURATION_FORMS


# --- properties -------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # hypothesis takes naive bounds
    max_value=datetime(2100, 1, 1),
    timezones=st.just(CHICAGO),
    allow_imaginary=False,
)
weekday_names = st.sampled_from(["mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "sunday"])
times = st.sampled_from(["", " 00:00", " 1:30am", " 02:30", " 10:15", " 14:00", " 11:59pm"])


@given(now=moments, days=st.integers(min_value=0, max_value=3650))
def test_day_steps_round_trip_on_the_calendar(now: datetime, days: int) -> None:
    forward = parse_when(f"+{days}d", now=now)
    assert forward.date() == now.date() + timedelta(days=days)
    back = parse_when(f"-{days}d", now=forward)
    assert back.date() == now.date()
    if forward.time() == now.time():  # only a DST gap on the far day may shift the clock
        assert back.time() == now.time()


@given(now=moments, name=weekday_names, clock=times)
def test_weekday_prefer_side_holds(now: datetime, name: str, clock: str) -> None:
    past = parse_when(name + clock, now=now, prefer="past")
    future = parse_when(name + clock, now=now, prefer="future")
    assert past.astimezone(UTC) <= now.astimezone(UTC)
    assert future.astimezone(UTC) >= now.astimezone(UTC)
    assert past.weekday() == future.weekday()
    assert timedelta(0) <= now.date() - past.date() <= timedelta(days=7)
    assert timedelta(0) <= future.date() - now.date() <= timedelta(days=7)


@given(now=moments, name=weekday_names, clock=times)
def test_next_and_last_never_land_today(now: datetime, name: str, clock: str) -> None:
    following = parse_when(f"next {name}{clock}", now=now)
    previous = parse_when(f"last {name}{clock}", now=now)
    assert timedelta(days=1) <= following.date() - now.date() <= timedelta(days=7)
    assert timedelta(days=1) <= now.date() - previous.date() <= timedelta(days=7)


@given(minutes=st.integers(min_value=1, max_value=20160))
def test_minutes_durations_are_exact(minutes: int) -> None:
    assert parse_duration(f"{minutes}m") == timedelta(minutes=minutes)
    assert parse_duration(str(minutes)) == timedelta(minutes=minutes)


@given(now=moments, text=st.text(alphabet="0123456789:+-. tTzZapmhdwinagoextuesrl", max_size=24))
def test_any_text_reads_or_fails_with_invalid_date(now: datetime, text: str) -> None:
    found: datetime | None = None
    try:
        found = parse_when(text, now=now)
    except InvalidDateError as error:
        message = error.message
    if found is None:
        assert f'"{text.strip()}"' in message
    else:
        assert found.tzinfo is CHICAGO


@given(text=st.text(alphabet="0123456789. hmdw-", max_size=16))
def test_any_duration_reads_within_bounds_or_fails(text: str) -> None:
    found: timedelta | None = None
    try:
        found = parse_duration(text)
    except InvalidDateError as error:
        message = error.message
    if found is None:
        assert f'"{text.strip()}"' in message
    else:
        assert timedelta(0) < found <= timedelta(days=14)
