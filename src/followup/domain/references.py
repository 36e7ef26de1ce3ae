"""Resolving what a user typed ("12", "#12", "jane", "northwind") to exactly one record."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from followup.errors import AmbiguousReferenceError, NotFoundError

T = TypeVar("T")
_ID = re.compile(r"^#?(\d+)$")
_MAX_LISTED = 10
_PLURAL = {"opportunity": "opportunities", "person": "people"}


MAX_ID = 2**63 - 1  # the largest id a database column holds; a larger number names no record


def as_id(reference: str) -> int | None:
    """The number in "12" or "#12"; None for a name fragment (or a number no record can have)."""
    match = _ID.match(reference.strip())
    if not match:
        return None
    number = int(match.group(1))
    return number if number <= MAX_ID else None


def pick(
    reference: str,
    candidates: Sequence[T],
    *,
    names: Callable[[T], Sequence[str]],
    describe: Callable[[T], str],
    noun: str,
    exact: Callable[[T], Sequence[str]] = lambda _: (),
) -> T:
    """Choose the one candidate the fragment means.

    Tiers, first non-empty one wins: a whole name equal to the fragment, then a name with a word
    equal to it ("jane" → Jane Doe, not Janet), then a word starting with it, then a name
    containing it. Several in the winning tier is an error that lists them, so the user can retype
    with the id. `exact` keys (e-mail addresses) match only whole,
    so "northwind" does not pick everyone with a northwind.example address.
    """
    fragment = reference.strip().casefold()

    def whole(c: T) -> bool:
        return any(n.casefold() == fragment for n in (*names(c), *exact(c)))

    def word(c: T) -> bool:
        return any(w == fragment for n in names(c) for w in _words(n))

    def word_start(c: T) -> bool:
        return any(w.startswith(fragment) for n in names(c) for w in _words(n))

    def inside(c: T) -> bool:
        return any(fragment in n.casefold() for n in names(c))

    for test in (whole, word, word_start, inside):
        hits = [c for c in candidates if test(c)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            listed = "\n".join(f"  {describe(c)}" for c in hits[:_MAX_LISTED])
            more = f"\n  … and {len(hits) - _MAX_LISTED} more" if len(hits) > _MAX_LISTED else ""
            raise AmbiguousReferenceError(
                f"{reference!r} matches {len(hits)} {_PLURAL.get(noun, noun + 's')}:\n{listed}{more}",
                hint=f"Use the id in the first column, or a longer part of the {noun}'s name.",
            )
    raise NotFoundError(
        f"No {noun} matches {reference!r}.",
        hint=f"See `followup list {_PLURAL.get(noun, noun + 's')}` for ids and names.",
    )


def _words(name: str) -> list[str]:
    folded = name.casefold()
    return [folded, *re.split(r"[\s\-_.@,/()]+", folded)]
