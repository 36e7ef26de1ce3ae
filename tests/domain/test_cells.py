"""Cells of other programs' files: dates in every everyday form, status words, source words."""

from __future__ import annotations

from datetime import date

import pytest

from followup.domain.cells import moves_forward, numeric_order, read_date, read_source, read_status
from followup.domain.model import Source, Stage
from followup.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-12", date(2024, 3, 12)),
        ("2024-03-12 14:05:00", date(2024, 3, 12)),
        ("2024-03-12T14:05:00Z", date(2024, 3, 12)),
        ("12 Mar 2024", date(2024, 3, 12)),  # LinkedIn
        ("03 Jan 2023", date(2023, 1, 3)),
        ("12 March 2024", date(2024, 3, 12)),
        ("12-Mar-24", date(2024, 3, 12)),  # Excel
        ("Mar 12, 2024", date(2024, 3, 12)),
        ("September 3rd 2024", date(2024, 9, 3)),
        ("2024/03/12", date(2024, 3, 12)),
        ("12.03.2024", date(2024, 3, 12)),  # dots are always day first
        ("3/12/2024", date(2024, 3, 12)),  # month first by default
        ("3/12/24 9:15 AM", date(2024, 3, 12)),
    ],
)
def test_dates_in_everyday_forms(text: str, expected: date) -> None:
    assert read_date(text) == expected


def test_slashes_follow_the_order_given() -> None:
    assert read_date("03/04/2024", order="mdy") == date(2024, 3, 4)
    assert read_date("03/04/2024", order="dmy") == date(2024, 4, 3)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024-02-30", "February 2024 has 29 days"),
        ("31 Feb 2023", "February 2023 has 28 days"),
        ("2024-13-01", "there is no month 13"),
        ("12 Foo 2024", "'Foo' is not the name of a month"),
        ("next week", "in no form of date"),
        ("3/12/202", "the year needs two or four digits"),
    ],
)
def test_impossible_dates_say_why_and_how_to_fix(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        read_date(text)
    assert f"{text!r} is not a date" in error.value.message
    assert why in error.value.message
    assert "YYYY-MM-DD" in (error.value.hint or "")


def test_a_column_of_slashed_dates_gives_its_order_away() -> None:
    assert numeric_order(["03/04/2024", "25/04/2024"]) == "dmy"
    assert numeric_order(["03/04/2024", "04/25/2024"]) == "mdy"
    assert numeric_order(["03/04/2024", "05/06/2024"]) is None
    assert numeric_order(["2024-03-04", "12 Mar 2024"]) is None


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("Applied", Stage.APPLIED),
        ("  INTERVIEWING ", Stage.INTERVIEWING),
        ("Phone screen", Stage.SCREENING),
        ("phone-screen", Stage.SCREENING),
        ("Offer", Stage.OFFER),
        ("Rejected", Stage.REJECTED),
        ("Rejected - after phone screen", Stage.REJECTED),
        ("Ghosted", Stage.COLD),
        ("Wishlist", Stage.LEAD),
        ("withdrawn", Stage.WITHDRAWN),
        ("filled", Stage.FILLED),
        ("Accepted", Stage.ACCEPTED),
    ],
)
def test_status_words_become_stages(word: str, stage: Stage) -> None:
    assert read_status(word) is stage


def test_the_users_own_words_come_first() -> None:
    assert read_status("Beworben", {"beworben": Stage.APPLIED}) is Stage.APPLIED
    assert read_status("Offer", {"offer": Stage.SCREENING}) is Stage.SCREENING


def test_an_unknown_status_names_the_fix() -> None:
    with pytest.raises(InvalidInputError) as error:
        read_status("Maybe later")
    assert "'Maybe later' names no stage" in error.value.message
    assert '[status]: "Maybe later" = "applied"' in (error.value.hint or "")


def test_an_imported_status_moves_a_stage_forward_only() -> None:
    assert moves_forward(Stage.LEAD, Stage.APPLIED)
    assert moves_forward(Stage.APPLIED, Stage.REJECTED)
    assert not moves_forward(Stage.INTERVIEWING, Stage.APPLIED)
    assert not moves_forward(Stage.APPLIED, Stage.APPLIED)
    assert not moves_forward(Stage.REJECTED, Stage.OFFER)  # a closed stage is the ledger's to reopen


def test_source_words() -> None:
    assert read_source("LinkedIn") is Source.JOB_BOARD
    assert read_source("Employee referral") is Source.REFERRAL
    assert read_source("company-site") is Source.COMPANY_SITE
    assert read_source("a friend of a friend") is Source.OTHER
