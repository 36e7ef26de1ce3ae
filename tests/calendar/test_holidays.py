"""Tests for the python-holidays adapter (followup.calendar.holidays), against the real library."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from followup.calendar.holidays import HolidaysLibrary
from followup.domain.calendar import BusinessCalendar, HolidaySource, Place


def test_us_federal_holidays_2026() -> None:
    us = HolidaysLibrary().of("US", 2026)
    assert date(2026, 11, 26) in us  # Thanksgiving, a Thursday
    assert date(2026, 12, 25) in us
    assert date(2026, 11, 27) not in us  # the Friday after is not a federal holiday
    assert date(2026, 7, 3) in us  # 4 July is a Saturday: observed on Friday the 3rd
    assert all(day.year == 2026 for day in us)


def test_german_christmas_2026() -> None:
    de = HolidaysLibrary().of("DE", 2026)
    assert {date(2026, 12, 25), date(2026, 12, 26)} <= de
    assert date(2026, 12, 24) not in de  # Christmas Eve is a working day nationally


def test_country_codes_are_read_in_any_case() -> None:
    library = HolidaysLibrary()
    assert library.of("de", 2026) == library.of("DE", 2026)


def test_a_country_the_library_does_not_know_has_no_holidays() -> None:
    library = HolidaysLibrary()
    assert library.of("ZZ", 2026) == frozenset()  # user-assigned code, not a country
    assert library.of("utils", 2026) == frozenset()  # a module name inside the library, not a country
    assert library.of("", 2026) == frozenset()


def test_results_are_cached() -> None:
    library = HolidaysLibrary()
    assert library.of("US", 2026) is library.of("US", 2026)
    assert library.of("ZZ", 2026) is library.of("zz", 2026)


def test_it_drives_the_business_calendar() -> None:
    source: HolidaySource = HolidaysLibrary()
    calendar = BusinessCalendar(source)
    new_york = Place("America/New_York", "US")
    assert calendar.add_business_days(date(2026, 11, 25), 1, new_york) == date(2026, 11, 27)


def test_importing_the_adapter_does_not_load_the_library() -> None:
    # A fresh interpreter: in this one another test has loaded it already.
    probe = "import sys, followup.calendar.holidays; print('holidays' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
