"""Pieces of SQL shared by the storage adapters: IN lists, LIKE patterns, chunks, enum look-ups."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from followup.domain.model import Role, Source, Stage

END_OF_TIME = datetime(9999, 12, 31, tzinfo=UTC)
# Plain dict look-ups: calling an Enum class per row costs ~1 µs each, a visible share of a listing.
STAGE = {s.value: s for s in Stage}
ROLE = {r.value: r for r in Role}
SOURCE = {s.value: s for s in Source}


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """An `IN (…)` list with one named parameter per value."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def like(text: str) -> str:
    """A case-insensitive LIKE pattern for `text`, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """Slices short enough for any database's limit on parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
