"""Public holidays from the `holidays` package (python-holidays), loaded only when first asked."""

from __future__ import annotations

from datetime import date


class HolidaysLibrary:
    """A `HolidaySource` backed by python-holidays; a country it does not know has no holidays."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], frozenset[date]] = {}

    def of(self, country: str, year: int) -> frozenset[date]:
        """Public holidays of `country` (ISO 3166-1 alpha-2, any case) in `year`."""
        key = (country.upper(), year)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = _load(*key)
        return found


def _load(country: str, year: int) -> frozenset[date]:
    # The library resolves the code with getattr on its own module, so a name such as "utils" would
    # reach something that is not a country; every two-letter code either works or raises
    # NotImplementedError.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        return frozenset()
    # Imported here: loading it takes tens of milliseconds, which only planning should pay.
    import holidays

    try:
        table = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return frozenset()
    # Observed days are filed under their own year already; the filter keeps that a guarantee.
    return frozenset(day for day in table if day.year == year)
