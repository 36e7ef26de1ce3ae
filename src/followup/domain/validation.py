"""Checks and clean-ups for values typed by users or read from files, with fix-it messages."""

from __future__ import annotations

import re
import zoneinfo
from urllib.parse import urlsplit

from followup.domain.countries import COUNTRY_CODES, COUNTRY_NAMES
from followup.errors import InvalidInputError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# Deliberately pragmatic: RFC 5322 allows far more, but nobody hands a recruiter "a"@b.
_EMAIL = re.compile(r"^[^@\s\"'<>(),;:\\\[\]]+@(?:[^@\s.\"'<>(),;:\\\[\]]+\.)+[^@\s.\"'<>(),;:\\\[\]\d]{2,}$")


def clean_line(value: str, *, field: str, required: bool = True, max_length: int = 300) -> str:
    """One line of text: control characters (CR, LF, NUL, tab …) become spaces, whitespace collapses.

    Names and subjects end up in mail headers and terminal lines; a CR or LF there is never wanted.
    """
    cleaned = _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()
    if required and not cleaned:
        raise InvalidInputError(
            f"The {field} is empty.", hint=f'Give a {field}, e.g. "Jane Doe".', field=field
        )
    if len(cleaned) > max_length:
        raise InvalidInputError(
            f"The {field} is {len(cleaned)} characters long; at most {max_length} are allowed.",
            hint="Put longer text in --notes.",
            field=field,
        )
    return cleaned


def clean_text(value: str) -> str:
    """Free text (notes): keeps line breaks, drops NUL and other control characters."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text).strip()


def check_email(value: str) -> str:
    address = value.strip()
    if not _EMAIL.match(address) or len(address) > 254:
        raise InvalidInputError(
            f"The e-mail address {value!r} is not valid.",
            hint="Give an address such as jane@northwind.example (--email).",
            field="email",
        )
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_timezone(value: str) -> str:
    name = value.strip()
    try:
        if not name or _CONTROL.search(name) or name.startswith("/"):
            raise ValueError(name)
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise InvalidInputError(
            f"The time zone {value!r} is not known.",
            hint="Give an IANA zone name such as America/Chicago, Europe/Berlin or UTC (--tz).",
            field="time zone",
        ) from None
    return name


def check_country(value: str) -> str:
    """An ISO 3166 code, from a code ("de"), an alpha-3 code ("DEU") or a country's name ("Germany")."""
    code = value.strip().upper()
    if code in COUNTRY_CODES:
        return code
    named = COUNTRY_NAMES.get(" ".join(value.split()).lower())
    if named is None:
        raise InvalidInputError(
            f"The country {value!r} is neither an ISO 3166 country code nor a country's name.",
            hint="Give a two-letter code such as US, GB, DE or IN (--country), or a name such as Germany.",
            field="country",
        )
    return named


def check_url(value: str, *, field: str = "URL") -> str:
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or _CONTROL.search(url):
        raise InvalidInputError(
            f"The {field} {value!r} is not a web address.",
            hint="Give a full address such as https://careers.northwind.example/jobs/42.",
            field=field,
        )
    return url


def check_cadence(days: int) -> int:
    if not 1 <= days <= 3650:
        raise InvalidInputError(
            f"A stay-in-touch cadence of {days} days is out of range.",
            hint="Give a number of days between 1 and 3650 (--cadence 90).",
            field="cadence",
        )
    return days
