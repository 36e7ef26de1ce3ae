"""The UID sets the reader sends: short, and naming exactly the UIDs asked for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from followup.mail.imapread import _uid_set


def _expand(text: str) -> set[int]:
    found: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition(":")
        found.update(range(int(low), int(high or low) + 1))
    return found


def test_runs_become_ranges() -> None:
    assert _uid_set([10, 9, 7, 4, 3, 2, 1]) == "1:4,7,9:10"
    assert _uid_set([5]) == "5"


@given(st.lists(st.integers(1, 2_000), min_size=1, max_size=500))
def test_the_set_names_exactly_the_uids(uids: list[int]) -> None:
    text = _uid_set(uids)
    assert _expand(text) == set(uids)
    assert text.count(",") < len(set(uids))
