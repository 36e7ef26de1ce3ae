"""Values from users are checked with messages that name the field and show a valid example."""

from __future__ import annotations

import pytest

from followup.domain.validation import (
    check_country,
    check_email,
    check_timezone,
    check_url,
    clean_line,
    clean_text,
)
from followup.errors import InvalidInputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane\r\nDoe", "Jane Doe"),
        ("Jane\x00Doe", "Jane Doe"),
        ("  Jane \t Doe  ", "Jane Doe"),
        ("Zoë O'Brien-Łukasz", "Zoë O'Brien-Łukasz"),
    ],
)
def test_names_never_keep_control_characters(raw: str, expected: str) -> None:
    assert clean_line(raw, field="name") == expected


def test_an_empty_name_is_refused_with_an_example() -> None:
    with pytest.raises(InvalidInputError) as error:
        clean_line("\r\n ", field="name")
    assert error.value.message == "The name is empty."
    assert "Jane Doe" in (error.value.hint or "")


def test_notes_keep_lines_but_not_nul() -> None:
    assert clean_text("first\r\nsecond\x00\rthird") == "first\nsecond\nthird"


@pytest.mark.parametrize("good", ["jane@northwind.example", "j.doe+jobs@mail.co.uk", "zoë@bücher.example"])
def test_valid_addresses(good: str) -> None:
    assert check_email(good) == good


def test_the_domain_of_an_address_is_lower_cased() -> None:
    assert check_email("Jane@Northwind.EXAMPLE") == "Jane@northwind.example"


@pytest.mark.parametrize(
    "bad",
    [
        "jane",
        "jane@",
        "@northwind.example",
        "jane@northwind",
        "a b@c.example",
        "jane@northwind.example\r\nBcc: x@y.example",
    ],
)
def test_invalid_addresses_name_the_value_and_the_flag(bad: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        check_email(bad)
    assert repr(bad) in error.value.message
    assert "--email" in (error.value.hint or "")


def test_time_zones_and_countries() -> None:
    assert check_timezone("America/Chicago") == "America/Chicago"
    assert check_country("de") == "DE"
    for bad_zone in ("Mars/Olympus", "", "../../etc/passwd", "/etc/localtime"):
        with pytest.raises(InvalidInputError, match="time zone"):
            check_timezone(bad_zone)
    with pytest.raises(InvalidInputError) as error:
        check_country("XX")
    assert "US, GB, DE" in (error.value.hint or "")


def test_urls_must_be_web_addresses() -> None:
    assert check_url("https://careers.northwind.example/42") == "https://careers.northwind.example/42"
    with pytest.raises(InvalidInputError, match="not a web address"):
        check_url("javascript:alert(1)")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Germany", "DE"), ("  united   KINGDOM ", "GB"), ("UK", "GB"), ("USA", "US"),
        ("United States", "US"), ("United States of America", "US"), ("DEU", "DE"), ("Deutschland", "DE"),
        ("South Korea", "KR"), ("Czechia", "CZ"), ("Czech Republic", "CZ"), ("gb", "GB"),
    ],
)  # fmt: skip
def test_a_country_may_be_given_by_its_name_or_alpha_3_code(written: str, code: str) -> None:
    assert check_country(written) == code


def test_an_unknown_country_name_says_what_is_accepted() -> None:
    with pytest.raises(InvalidInputError, match="'Narnia' is neither an ISO 3166 country code nor") as error:
        check_country("Narnia")
    assert "a name such as Germany" in (error.value.hint or "")
