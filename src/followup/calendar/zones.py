"""Time zones of iCalendar TZIDs: IANA and Windows names, vendor paths, VTIMEZONE, stated offsets."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, available_timezones

if TYPE_CHECKING:
    from icalendar import Timezone

# Windows zone names, as Exchange and Outlook write them in TZID, to IANA names: the CLDR windowsZones
# mapping (territory "001") for the common zones, with today's canonical IANA names.
WINDOWS_ZONES: dict[str, str] = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Mountain Standard Time": "America/Denver",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Eastern Standard Time": "America/New_York",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Venezuela Standard Time": "America/Caracas",
    "Atlantic Standard Time": "America/Halifax",
    "SA Western Standard Time": "America/La_Paz",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Greenland Standard Time": "America/Nuuk",
    "Montevideo Standard Time": "America/Montevideo",
    "UTC-02": "Etc/GMT+2",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "GTB Standard Time": "Europe/Bucharest",
    "Middle East Standard Time": "Asia/Beirut",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "Jordan Standard Time": "Asia/Amman",
    "Arabic Standard Time": "Asia/Baghdad",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Afghanistan Standard Time": "Asia/Kabul",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Taipei Standard Time": "Asia/Taipei",
    "W. Australia Standard Time": "Australia/Perth",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "Tasmania Standard Time": "Australia/Hobart",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Fiji Standard Time": "Pacific/Fiji",
    "UTC+12": "Etc/GMT-12",
}
_WINDOWS_FOLDED = {name.casefold(): iana for name, iana in WINDOWS_ZONES.items()}

_IANA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
# Outlook's offset names: "(UTC) Dublin, …", "(GMT +01:00)", "GMT +0100 (Standard) / GMT +0200 (Daylight)"
_OFFSET = re.compile(r"\((?:GMT|UTC)\)|(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?")
_WORDS = re.compile(r"[^\W\d_]+(?:[ _][^\W\d_]+)*")  # "Amsterdam", "New York", "Brasília"
_REGIONS = {
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "pacific": "America/Los_Angeles",
    "atlantic": "America/Halifax",
}


class Zones:
    """TZID → zone: IANA names, Windows names, "/vendor/Area/City", the file's VTIMEZONE, "(GMT+01:00) …"."""

    def __init__(self, vtimezones: dict[str, Timezone]) -> None:
        self.vtimezones = vtimezones
        self.built: dict[str, tzinfo | None] = {}

    def resolve(self, tzid: str, wall: datetime) -> tuple[datetime, str] | None:
        """The wall time made aware, and an IANA name to show it in; None when the TZID means nothing."""
        name = tzid.strip().strip('"')
        iana = _zone_name(name) or _WINDOWS_FOLDED.get(name.casefold()) or _global_name(name)
        if iana is not None:
            return wall.replace(tzinfo=ZoneInfo(iana)), iana
        custom = self._custom(name)
        if custom is not None:
            local = wall.replace(tzinfo=custom)
            return local, _name_for(local, _candidates(name, self.vtimezones.get(name)))
        stated = _OFFSET.search(name)
        if stated is None:
            return None
        sign, hours, minutes = stated.groups()
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        for candidate in _candidates(name, None):
            zone = ZoneInfo(candidate)
            local = wall.replace(tzinfo=zone)
            if local.utcoffset() == offset + (local.dst() or timedelta(0)):  # the name states standard time
                return local, candidate
        local = wall.replace(tzinfo=timezone(offset))
        return local, _name_for(local, [])

    def _custom(self, name: str) -> tzinfo | None:
        """The zone the file's own VTIMEZONE describes, built by icalendar (None if none or unusable)."""
        if name not in self.built:
            component = self.vtimezones.get(name)
            try:
                self.built[name] = component.to_tz(lookup_tzid=False) if component is not None else None
            except Exception:  # a VTIMEZONE icalendar cannot use is as good as none
                self.built[name] = None
        return self.built[name]


def known_zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name; None when it names no zone (a Windows name, say, or a typo)."""
    found = _zone_name(name)
    return ZoneInfo(found) if found else None


def _zone_name(name: str) -> str | None:
    if not _IANA_NAME.fullmatch(name) or name in _NOT_ZONES:
        return None
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found (a KeyError), malformed, a directory
        return None
    return name


def _global_name(name: str) -> str | None:
    """The IANA name at the end of a "globally unique" TZID (RFC 5545 §3.2.19), as libical, Evolution and
    Lightning write them: "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin"."""
    if not name.startswith("/"):
        return None
    parts = name.strip("/").split("/")
    return next((z for i in range(len(parts) - 1) if (z := _zone_name("/".join(parts[i:])))), None)


@cache
def _all_zones() -> tuple[str, ...]:
    """The place zones of the tz database, by name (Etc/GMT-11 and the like are named by offset, never met
    as a candidate)."""
    places = (z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return tuple(sorted(places))


@cache
def _cities() -> dict[str, str]:
    """City → zone ("new york" → America/New_York); the first zone in name order wins a shared city.
    Outlook names the North American zones by region, not city: "(UTC-05:00) Eastern Time (US & Canada)"."""
    cities = {f"{region} time": zone for region, zone in _REGIONS.items()}
    for zone in _all_zones():
        cities.setdefault(zone.rpartition("/")[2].replace("_", " ").casefold(), zone)
    return cities


def _candidates(tzid: str, vtimezone: Timezone | None) -> list[str]:
    """IANA names a custom TZID may mean: X-LIC-LOCATION, a name inside it ("custom_Pacific/Fiji"), or a
    city it lists ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna")."""
    names = [str(vtimezone.get("X-LIC-LOCATION", "")).strip()] if vtimezone is not None else []
    folded = tzid.casefold()
    names += sorted((z for z in _all_zones() if z.casefold() in folded), key=len, reverse=True)
    cities = _cities()
    names += [cities[w.casefold()] for w in _WORDS.findall(tzid) if w.casefold() in cities]
    return [z for z in dict.fromkeys(names) if _zone_name(z)]


def _name_for(local: datetime, candidates: list[str]) -> str:
    """An IANA name showing `local` at the same offset: a candidate that agrees, else Etc/GMT±h, else any
    zone at that offset then, else UTC."""
    offset = local.utcoffset() or timedelta(0)
    at = local.astimezone(UTC)
    for name in candidates:
        if at.astimezone(ZoneInfo(name)).utcoffset() == offset:
            return name
    hours, rest = divmod(offset, timedelta(hours=1))
    if not rest and -12 <= hours <= 14:
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # POSIX style: Etc/GMT-11 is UTC+11
    return next((z for z in _all_zones() if at.astimezone(ZoneInfo(z)).utcoffset() == offset), "UTC")
