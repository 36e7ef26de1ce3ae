"""One cell of another program's file: its dates, its status words (→ stages) and source words."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal

from followup.domain.model import Source, Stage
from followup.errors import InvalidInputError

DateOrder = Literal["mdy", "dmy", "ymd"]
DATE_ORDERS: tuple[DateOrder, ...] = ("mdy", "dmy", "ymd")
# Countries that write 03/04/2024 month first; everyone else (who uses slashes) writes the day first.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"})

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
} | {"sept": 9}
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,4})([/.])(\d{1,2})\2(\d{1,4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
)
_DAY_MONTH = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})$")  # 12 Mar 2024, 12-Mar-24
_MONTH_DAY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")  # Mar 12, 2024
DATE_FIX = "Write the date as YYYY-MM-DD (e.g. 2024-03-12), or as LinkedIn does: 12 Mar 2024."


def month_first(country: str | None) -> DateOrder:
    """How a person in `country` most likely wrote 03/04/2024."""
    return "mdy" if (country or "").upper() in MONTH_FIRST_COUNTRIES else "dmy"


def read_date(text: str, *, order: DateOrder = "mdy") -> date:
    """A day as spreadsheets and trackers write it; InvalidInputError (with the fix) otherwise.

    `order` decides numeric forms with slashes (03/04/2024); dots (03.04.2024) are always day first.
    """
    value = text.strip()
    parts = value.split(" ")
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and len(parts[2]) == 4:
        month = _MONTHS.get(parts[1].lower())  # LinkedIn's "12 Mar 2024", tens of thousands a file
        if month is not None:
            return _day(text, int(parts[2]), month, int(parts[0]))
    if m := _ISO.match(value):
        return _day(text, int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_MONTH.match(value):
        return _day(text, _year(m[3]), _month(text, m[2]), int(m[1]))
    if m := _MONTH_DAY.match(value):
        return _day(text, int(m[3]), _month(text, m[1]), int(m[2]))
    if m := _NUMERIC.match(value):
        return _numeric(text, m, order)
    raise _not_a_date(text, "it is in no form of date followup reads")


def _numeric(text: str, m: re.Match[str], order: DateOrder) -> date:
    first, separator, second, third = int(m[1]), m[2], int(m[3]), m[4]
    if len(m[1]) == 4:  # 2024/03/12
        return _day(text, first, second, int(third))
    if len(third) not in (2, 4):
        raise _not_a_date(text, "the year needs two or four digits")
    year = _year(third)
    if separator == "." or order == "dmy":
        return _day(text, year, second, first)
    return _day(text, year, first, second)


def numeric_order(values: Iterable[str]) -> DateOrder | None:
    """The order a column of 03/04/2024-style dates must be in, when some value gives it away
    (a first number above 12 is a day); None when every value reads both ways."""
    day_first = month_first_seen = False
    for value in values:
        m = _NUMERIC.match(value.strip())
        if m is None or len(m[1]) == 4 or m[2] == ".":
            continue
        day_first |= int(m[1]) > 12
        month_first_seen |= int(m[3]) > 12
    if day_first and not month_first_seen:
        return "dmy"
    if month_first_seen and not day_first:
        return "mdy"
    return None


def has_numeric_dates(values: Iterable[str]) -> bool:
    return any((m := _NUMERIC.match(v.strip())) and len(m[1]) != 4 and m[2] == "/" for v in values)


def _year(text: str) -> int:
    number = int(text)
    if len(text) == 2:  # Excel's 12-Mar-24
        return 2000 + number if number < 70 else 1900 + number
    return number


def _month(text: str, word: str) -> int:
    number = _MONTHS.get(word.lower())
    if number is None:
        raise _not_a_date(text, f"{word!r} is not the name of a month")
    return number


def _day(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise _not_a_date(text, f"there is no month {month}")
    if not 1900 <= year <= 2999:
        raise _not_a_date(text, f"the year {year} is out of range")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _not_a_date(text, f"{calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def _not_a_date(text: str, why: str) -> InvalidInputError:
    return InvalidInputError(f"{text.strip()!r} is not a date: {why}.", hint=DATE_FIX)


# Status words → stages ---------------------------------------------------------------------------

# What other trackers and people's spreadsheets write in their status column (lower case, one space).
STATUS_WORDS: dict[str, Stage] = {
    **dict.fromkeys(
        ("lead", "wishlist", "wish list", "saved", "bookmarked", "interested", "to apply", "not applied",
         "not yet applied", "researching", "prospect", "planned", "new", "open", "considering"),
        Stage.LEAD),
    **dict.fromkeys(
        ("applied", "application sent", "application submitted", "submitted", "sent", "applied online",
         "in review", "under review", "pending", "waiting", "awaiting response", "no reply yet"),
        Stage.APPLIED),
    **dict.fromkeys(
        ("screening", "screen", "phone screen", "phone screening", "phone call", "recruiter screen",
         "recruiter call", "hr call", "hr screen", "initial call", "intro call", "first call",
         "assessment", "take home", "take-home", "coding challenge", "online test", "test"),
        Stage.SCREENING),
    **dict.fromkeys(
        ("interviewing", "interview", "interviews", "interview scheduled", "interviewed", "onsite",
         "on-site", "on site", "final round", "final interview", "technical interview",
         "second interview", "2nd interview", "first interview", "1st interview", "in progress",
         "in process"),
        Stage.INTERVIEWING),
    **dict.fromkeys(("offer", "offered", "offer received", "negotiating", "negotiation"), Stage.OFFER),
    **dict.fromkeys(("accepted", "offer accepted", "hired", "signed", "got the job"), Stage.ACCEPTED),
    **dict.fromkeys(
        ("rejected", "rejection", "not selected", "unsuccessful", "turned down", "no", "denied",
         "declined by employer", "not moving forward", "no offer"),
        Stage.REJECTED),
    **dict.fromkeys(("filled", "position filled", "role filled", "job filled", "closed by employer"),
                    Stage.FILLED),
    **dict.fromkeys(
        ("withdrawn", "withdrew", "withdraw", "not interested", "declined offer", "offer declined",
         "i declined", "dropped", "archived"),
        Stage.WITHDRAWN),
    **dict.fromkeys(
        ("cold", "ghosted", "no response", "no answer", "no reply", "silence", "stale", "expired",
         "dead", "never heard back"),
        Stage.COLD),
}  # fmt: skip
_NOISE = re.compile(r"[\s_\-\u2013\u2014:./]+")


def status_key(word: str) -> str:
    """A status as compared: lower case, punctuation and runs of spaces as one space."""
    return _NOISE.sub(" ", word.casefold()).strip()


def read_status(word: str, extra: Mapping[str, Stage] | None = None) -> Stage:
    """The stage a status word names: the user's own words (a map file) first, then the known ones,
    then a known phrase the cell starts with ("Rejected after phone screen" → rejected)."""
    key = status_key(word)
    known = {**STATUS_WORDS, **{status_key(k): v for k, v in (extra or {}).items()}}
    if key in known:
        return known[key]
    for phrase in sorted(known, key=len, reverse=True):
        if key.startswith(phrase + " "):
            return known[phrase]
    raise InvalidInputError(
        f"the status {word.strip()!r} names no stage.",
        hint=(
            "Use a stage (" + ", ".join(s.value for s in Stage) + "), or say what it means in a map file "
            f'(--map-file) under [status]: "{word.strip()}" = "applied".'
        ),
    )


def moves_forward(current: Stage, wanted: Stage) -> bool:
    """Whether an imported status may change a stage: forward along the open path, or to a close;
    never back, and never out of a closed stage (the ledger since then knows better than a file)."""
    if wanted is current or current.is_closed:
        return False
    return wanted.is_closed or wanted.rank > current.rank


# Source words → sources ---------------------------------------------------------------------------

SOURCE_WORDS: dict[str, Source] = {
    **{s.value.replace("-", " "): s for s in Source},
    **dict.fromkeys(
        ("linkedin", "linkedin jobs", "indeed", "glassdoor", "monster", "ziprecruiter", "wellfound",
         "angellist", "dice", "stepstone", "xing", "welcome to the jungle", "otta", "hired", "job board",
         "jobs board", "job site", "board", "seek", "reed", "totaljobs", "remoteok", "we work remotely"),
        Source.JOB_BOARD),
    **dict.fromkeys(("company website", "careers page", "career page", "website", "company", "direct",
                     "career site", "careers site"), Source.COMPANY_SITE),
    **dict.fromkeys(("referral", "referred", "friend", "employee referral", "referred by a friend"),
                    Source.REFERRAL),
    **dict.fromkeys(("recruiter", "agency", "headhunter", "recruiter outreach", "recruiting agency",
                     "inbound", "recruiter reached out"), Source.RECRUITER),
    **dict.fromkeys(("network", "networking", "contact", "meetup", "event", "conference", "alumni"),
                    Source.NETWORK),
}  # fmt: skip


def read_source(word: str) -> Source:
    """Where an opportunity came from; a word followup does not know is `other` (never an error)."""
    return SOURCE_WORDS.get(status_key(word), Source.OTHER)
