"""The date an out-of-office says the person is back, in English, German and French.

Pure: regular expressions over the new text of a reply (mailtext.new_text), no I/O.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from followup.domain.mailtext import new_text

_MONTH_NAMES = (
    "january jan januar jänner janvier janv",
    "february feb februar février fevrier févr fevr",
    "march mar märz maerz mär mars",
    "april apr avril avr",
    "may mai",
    "june jun juni juin",
    "july jul juli juillet juil",
    "august aug août aout",
    "september sep sept septembre",
    "october oct oktober okt octobre",
    "november nov novembre",
    "december dec dezember dez décembre decembre déc",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            "monday mon montag lundi",
            "tuesday tues tue dienstag mardi",
            "wednesday wed mittwoch mercredi",
            "thursday thurs thur thu donnerstag jeudi",
            "friday fri freitag vendredi",
            "saturday sat samstag samedi",
            "sunday sun sonntag dimanche",
        )
    )
    for name in names.split()
}
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_ARTICLE = r"(?:the|le|den|dem|am)\s+"
_DATE = (
    rf"(?:{_ARTICLE})?(?:(?:{_WEEKDAY})\b\.?,?\s+(?:{_ARTICLE})?)?(?:"
    r"(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<dot_d>\d{1,2})\.(?P<dot_m>\d{1,2})\.(?P<dot_y>\d{4}|\d{2})?"
    r"|(?P<num_a>\d{1,2})/(?P<num_b>\d{1,2})(?:/(?P<num_y>\d{4}|\d{2}))?"
    rf"|(?P<day_d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s*(?:of\s+)?(?P<day_m>{_MONTH})\b\.?(?:,?\s+(?P<day_y>\d{{4}}))?"
    rf"|(?P<mon_m>{_MONTH})\b\.?\s+(?P<mon_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<mon_y>\d{{4}}))?"
    rf"|(?P<weekday>{_WEEKDAY})\b(?!['\u2019]s)"
    r")(?![\d/])"
)
# Words after which the date named is the first day back …
_BACK_ON = (
    r"back(?:\s+(?:in|at|to)\s+(?:the\s+|my\s+)?(?:office|work|desk))?(?:\s+(?:on|from|by))?"
    r"|return(?:ing|s)?(?:\s+to\s+(?:the\s+)?(?:office|work))?(?:\s+date(?:\s+is|:)?)?(?:\s+(?:on|from))?"
    r"|(?:available|reachable)\s+again(?:\s+(?:on|from))?"
    r"|zurück(?:\s+im\s+büro)?(?:\s+(?:am|ab))?"
    r"|wieder(?:\s+(?:im\s+büro|erreichbar|da|verfügbar))?(?:\s+(?:am|ab))?"
    r"|(?:de\s+)?retour(?:\s+au\s+bureau)?(?:\s+prévu)?(?:\s+(?:à\s+partir\s+du|dès\s+le))?"
)
# … and after these, the last day away.
_AWAY_UNTIL = (
    r"until|till|through|thru"
    r"|bis(?:\s+(?:einschließlich|einschl\.|inklusive|inkl\.))?(?:\s+zum)?"
    r"|jusqu['\u2019]\s?(?:au|à)"
)
_RETURN = re.compile(rf"\b(?:(?P<back>{_BACK_ON})|(?P<until>{_AWAY_UNTIL}))\s*,?\s+{_DATE}", re.I)
# "Ab dem 7. Januar bin ich wieder erreichbar": the date comes first.
_AGAIN_FROM = re.compile(rf"\b(?:ab|am)\s+{_DATE}(?=[^.!?]{{0,60}}\bwieder\b)", re.I)


def return_date(text: str, *, received: date) -> date | None:
    """The day an out-of-office (its new text) says the person is back, or None when it names none.

    "back on X", "returning X", "zurück am X", "de retour le X" give X; "until X", "bis zum X",
    "jusqu'au X" give the day after X. A date without a year is the first one that puts the return on
    or after `received`; a weekday alone is the first such day after `received`. Numbers with a slash
    are month/day unless the first is over 12 ("5/12" is 12 May, "13/5" is 13 May); with dots they
    are day.month ("6.1." is 6 January). The result is never before `received`."""
    flat = " ".join(new_text(text).split())
    found: list[tuple[int, date]] = []
    for pattern in (_RETURN, _AGAIN_FROM):
        for match in pattern.finditer(flat):
            when = _resolve(match, received)
            if when is not None:
                found.append((match.start(), when))
                break
    return min(found)[1] if found else None


def _resolve(match: re.Match[str], received: date) -> date | None:
    g = match.groupdict()
    after = timedelta(days=1 if g.get("until") else 0)
    if g["weekday"]:
        ahead = (_WEEKDAYS[g["weekday"].lower()] - received.weekday() - 1) % 7 + 1
        try:
            return received + timedelta(days=ahead) + after
        except OverflowError:
            return None
    year = g["iso_y"] or g["dot_y"] or g["num_y"] or g["day_y"] or g["mon_y"]
    if g["iso_y"]:
        month, day = int(g["iso_m"]), int(g["iso_d"])
    elif g["dot_d"]:
        month, day = int(g["dot_m"]), int(g["dot_d"])
    elif g["num_a"]:
        first, second = int(g["num_a"]), int(g["num_b"])
        month, day = (second, first) if first > 12 else (first, second)
    elif g["day_d"]:
        month, day = _MONTHS[g["day_m"].lower()], int(g["day_d"])
    else:
        month, day = _MONTHS[g["mon_m"].lower()], int(g["mon_d"])
    if year:
        years = [int(year) + (2000 if len(year) == 2 else 0)]
    else:  # from the year before: "until 31 December", read on 1 January, means back that day
        years = list(range(received.year - 1, received.year + 5))
    for candidate in years:
        try:
            back = date(candidate, month, day) + after
        except (ValueError, OverflowError):
            continue
        if back >= received:
            return back
    return None
