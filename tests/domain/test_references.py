"""Picking one record from what a user typed."""

from __future__ import annotations

import pytest

from followup.domain.references import as_id, pick
from followup.errors import AmbiguousReferenceError, NotFoundError

PEOPLE = ["Jane Doe", "Janet Smith", "Raj Patel", "Dejan Novak"]


def choose(fragment: str) -> str:
    return pick(fragment, PEOPLE, names=lambda n: (n,), describe=lambda n: n, noun="person")


def test_ids_with_or_without_hash() -> None:
    assert as_id("12") == 12
    assert as_id(" #7 ") == 7
    assert as_id("jane") is None


def test_a_word_start_beats_a_substring() -> None:
    assert choose("raj") == "Raj Patel"
    # "jan" starts a word in Jane and Janet (ambiguous) but "dejan" only contains it
    with pytest.raises(AmbiguousReferenceError) as error:
        choose("jan")
    assert "Jane Doe" in error.value.message
    assert "Janet Smith" in error.value.message
    assert "Dejan Novak" not in error.value.message


def test_a_whole_name_beats_a_longer_one() -> None:
    assert choose("jane doe") == "Jane Doe"
    assert choose("JANE") == "Jane Doe"  # a whole word beats "Janet", which only starts with it


def test_a_substring_is_the_last_resort() -> None:
    assert choose("ova") == "Dejan Novak"


def test_nothing_found_names_the_fragment_and_the_listing() -> None:
    with pytest.raises(NotFoundError) as error:
        choose("zed")
    assert "'zed'" in error.value.message
    assert "followup list people" in (error.value.hint or "")


def test_exact_keys_match_only_whole() -> None:
    emails = {"Jane Doe": "jane@northwind.example", "Raj Patel": "raj@northwind.example"}
    found = pick(
        "raj@northwind.example",
        PEOPLE,
        names=lambda n: (n,),
        exact=lambda n: (emails.get(n, ""),),
        describe=lambda n: n,
        noun="person",
    )
    assert found == "Raj Patel"
    with pytest.raises(NotFoundError):
        pick(
            "northwind",
            PEOPLE,
            names=lambda n: (n,),
            exact=lambda n: (emails.get(n, ""),),
            describe=lambda n: n,
            noun="person",
        )
