"""What people write in mail: the new part of a reply, the date an out-of-office names, employer signals.

Pure: regular expressions over text, no I/O. Every phrase table is a module constant compiled once,
case-insensitive; text is read with runs of white space as one space, so line wrapping never hides a
phrase.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from followup.domain.inbound import Signal, SignalMatch

PHRASE_LIMIT = 80
_SPACE = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------------
# The new part of a reply

_QUOTED = re.compile(r"[ \t]*>")
_SIGNATURE_DELIMITER = re.compile(r"--[ \t]*")  # "-- " by the book; many clients drop the space
_RULE = re.compile(r"[ \t]*[-_=*]{2,}[ \t]*")
_UNDERSCORE_RULE = re.compile(r"[ \t]*_{10,}[ \t]*")  # Outlook's separator, or a mailing list's footer
_SEPARATOR = re.compile(
    r"[ \t]*-{2,}[ \t]*(?:original message|forwarded message|ursprüngliche nachricht|weitergeleitete"
    r" nachricht|message d['\u2019]origine|message transféré)[ \t]*-{2,}[ \t]*"
    r"|[ \t]*begin forwarded message:[ \t]*",
    re.I,
)
_DEVICE_SIGNATURE = re.compile(
    r"[ \t]*(?:sent from my\b|sent from (?:outlook|mail for windows|yahoo mail|proton ?mail|gmail|samsung)\b"
    r"|sent via (?:superhuman|blackberry|samsung|android|mobile)\b|get outlook for\b|envoyé de mon\b"
    r"|von meinem\b.*\bgesendet\b)[^\n]{0,60}",
    re.I,
)
# "From:"/"Sent:"/"To:" lines of an Outlook header block, also as "*From:*" and in German and French.
_FIELD = re.compile(
    r"[ \t]*\*?(?P<name>from|von|de|sent|date|gesendet|datum|envoyé|to|an|à|subject|betreff|objet|cc)"
    r"[ \t]*:\*?(?:\s|$)",
    re.I,
)
_FROM_FIELDS = frozenset({"from", "von", "de"})
_DATE_FIELDS = frozenset({"sent", "date", "gesendet", "datum", "envoyé"})
_TO_FIELDS = frozenset({"to", "an", "à", "subject", "betreff", "objet"})
# "On <date>, <name> wrote:" and its German, French and Spanish forms; a date (a digit) is required.
_QUOTE_HEADER_START = re.compile(r"(?:on|am|le|el)\s", re.I)
_QUOTE_HEADER = re.compile(
    r"(?:on\s.*\d.*\swrote|am\s.*\d.*\s(?:schrieb\s.+|hat\s.+\sgeschrieben)|le\s.*\d.*\sa\s+écrit"
    r"|el\s.*\d.*\sescribió)\s*:",
    re.I,
)
_QUOTE_HEADER_LIMIT = 300


def new_text(text: str) -> str:
    """The part of a reply its sender wrote now: without quoted ('>') lines, quote headers ("On …
    wrote:", Outlook "From:/Sent:" blocks, "-----Original Message-----"), signatures ("-- ", "Sent
    from my iPhone") or a mailing list's footer. Quoted lines between answers are dropped and the
    answers kept; lines keep their words, lose trailing spaces, and runs of blank lines become one."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    written = False  # a signature delimiter before any words is no signature
    i = 0
    while i < len(lines):
        line = lines[i]
        if _QUOTED.match(line):
            i += 1
            continue
        if written and (_SIGNATURE_DELIMITER.fullmatch(line) or _UNDERSCORE_RULE.fullmatch(line)):
            break
        if _DEVICE_SIGNATURE.fullmatch(line) or _SEPARATOR.fullmatch(line) or _outlook_block(lines, i):
            break
        span = _quote_header(lines, i)
        if span:
            after = next((j for j in range(i + span, len(lines)) if lines[j].strip()), None)
            if after is None or not _QUOTED.match(lines[after]):
                break  # the quote is not marked with '>': all that follows is quoted
            i += span
            continue
        kept.append(line)
        written = written or bool(line.strip())
        i += 1
    return _tidy(kept)


def _outlook_block(lines: list[str], i: int) -> bool:
    first = _FIELD.match(lines[i])
    if not first or first.group("name").lower() not in _FROM_FIELDS:
        return False
    names: set[str] = set()
    for line in lines[i + 1 : i + 6]:
        field = _FIELD.match(line)
        if not field:
            break
        names.add(field.group("name").lower())
    return bool(names & _DATE_FIELDS) and bool(names & _TO_FIELDS)


def _quote_header(lines: list[str], i: int) -> int:
    """How many lines (1 to 3) the quote header starting at line `i` spans; 0 when there is none."""
    if not _QUOTE_HEADER_START.match(lines[i].lstrip()):
        return 0
    joined = ""
    for span, line in enumerate(lines[i : i + 3], start=1):
        if not line.strip() or _QUOTED.match(line):
            return 0
        joined = f"{joined} {line.strip()}".strip()
        if len(joined) > _QUOTE_HEADER_LIMIT:
            return 0
        if _QUOTE_HEADER.fullmatch(joined):
            return span
    return 0


def _tidy(lines: list[str]) -> str:
    while lines and (not lines[-1].strip() or _RULE.fullmatch(lines[-1])):
        lines.pop()
    while lines and (not lines[0].strip() or _RULE.fullmatch(lines[0])):
        lines.pop(0)
    out: list[str] = []
    for line in lines:
        blank = not line.strip()
        if blank and (not out or not out[-1]):
            continue
        out.append("" if blank else line)
    return "\n".join(out)


def snippet(text: str, limit: int = 300) -> str:
    """`new_text` on one line (single spaces), at most `limit` characters: cut at a word boundary
    and ended with "…" when it is longer."""
    flat = " ".join(new_text(text).split())
    if len(flat) <= limit:
        return flat
    if limit < 1:
        return ""
    head = flat[: limit - 1]
    if flat[limit - 1] != " ":
        space = head.rfind(" ")
        if space > 0:
            head = head[:space]
    return head.rstrip(" ,;:-") + "…"


# ---------------------------------------------------------------------------------------------------
# The date an out-of-office says the person is back

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


# ---------------------------------------------------------------------------------------------------
# Employer signals

# Most decisive first: the order of `employer_signals`' answer.
SIGNAL_ORDER: tuple[Signal, ...] = (
    Signal.OFFER,
    Signal.REJECTION,
    Signal.INTERVIEW,
    Signal.ASSESSMENT,
    Signal.AVAILABILITY,
    Signal.APPLICATION_RECEIVED,
)
_CANDIDATES = r"(?:qualified |suitable |strong )?(?:candidates?|applicants?|individuals?|profiles?)"
# Regular-expression fragments over text whose white space is single spaces.
SIGNAL_PHRASES: dict[Signal, tuple[str, ...]] = {
    Signal.OFFER: (
        r"(?:pleased|happy|delighted|excited|thrilled|glad) to (?:formally )?(?:offer|extend)\b"
        r"(?! (?:you )?(?:an? |the |this )?(?:interview|call|chat|phone|video|slot|meeting|time|chance"
        r"|invitation|opportunity to (?:interview|meet|speak|talk|chat)))",
        r"offer letter",
        r"extend(?:ing)? (?:you )?(?:an?|this|our|the) (?:formal |verbal |written |official )?"
        r"(?:job |employment )?offer",
        r"(?:offer of employment|employment offer|job offer)(?!s)",
        r"(?:like|love|want) to offer you (?:the|a|this) (?:[\w-]+ ){0,3}(?:position|role|job)",
        r"(?:your|proposed|the enclosed|the attached) compensation package",
    ),
    Signal.REJECTION: (
        rf"(?:mov|go|proceed|continu)(?:e|ing) (?:forward |ahead )?with (?:an?other|other|a different|"
        rf"different|more) {_CANDIDATES}",
        r"decided (?:not to|against) (?:proceed|progress|move|continue|pursue|take|invite|offer|extend)",
        r"(?:will not|won't|not) be (?:moving forward|taking (?:you|your application|your candidacy) "
        r"(?:forward|further)|progressing|proceeding|pursuing your|continuing with your|inviting you"
        r"|able to (?:offer you|progress|proceed|move forward))",
        r"(?:will not|won't|(?:are|is) not|not going to|unable to|cannot|can't) (?:be )?(?:mov|proceed|"
        r"progress)(?:e|ing)? (?:forward|ahead|further)",
        r"not in a position to (?:extend|make|offer|progress|proceed|move)",
        r"(?:position|role|vacancy|job|opening) (?:has|have) (?:now |already )?been filled",
        r"(?:position|role|vacancy|opening) (?:is|has been) (?:no longer (?:available|open)|closed)",
        rf"pursue (?:other|another|different) {_CANDIDATES}",
        r"not (?:to )?(?:progress|proceed with|move forward with|pursue|take forward|continue with) your "
        r"(?:application|candidacy)",
        r"regret to (?:inform|let you know|advise|tell)",
        rf"after (?:careful|much|thorough|due) (?:consideration|review|deliberation)[^.!?]{{0,120}}?"
        rf"(?:other|another|different|stronger|more suitable|more qualified) {_CANDIDATES}",
        r"(?:application|candidacy) (?:was|has been|is) (?:not successful|unsuccessful)",
        r"(?:have|has|were|was) not been (?:successful|selected|shortlisted)|unsuccessful on this occasion",
        r"(?:not|unable to) (?:be )?(?:able to )?offer you (?:the|a|this|an) (?:position|role|job|interview)",
        r"no longer (?:being )?consider(?:ed|ing)? (?:you|your application|your candidacy)",
        r"(?:decided|chosen) to go (?:in )?(?:a )?different direction",
        rf"(?:other|another) {_CANDIDATES} whose",
    ),
    Signal.INTERVIEW: (
        r"invit(?:e|ing|ation) (?:you )?(?:to|for) (?:an? |the |your )?(?:[\w-]+ ){0,2}interview",
        r"interview (?:invitation|request)",
        r"(?:like|love|want) to (?:schedule|arrange|set up|book|organi[sz]e) (?:an? |the |your )?(?:[\w-]+ )"
        r"{0,2}(?:interview|phone screen|screening call)",
        r"(?:like|love|want) to (?:interview|meet) you",
        r"offer you an? (?:[\w-]+ ){0,2}interview",
        r"next (?:round|stage)\b(?! of (?:funding|financing|investment|fundraising))",
        r"meet (?:the|our) (?:team|hiring manager|founders?|engineering team)",
        r"on-?site (?:interview|visit|round)|(?:come|invite you|join us) on-?site",
        r"(?:phone|video|technical|first[- ]round|second[- ]round|final[- ]round|final|panel|behaviou?ral"
        r"|hiring manager) (?:interview|screen)",
        r"phone screen|screening call",
    ),
    Signal.ASSESSMENT: (
        r"coding (?:challenge|test|exercise|assignment|assessment|task)",
        r"take[- ]home\b",
        r"(?:online|technical|coding|skills?|cognitive|psychometric|aptitude|personality|numerical|verbal)"
        r" (?:assessment|test)",
        r"assessment (?:link|invitation|invite|platform)",
        r"complete (?:an?|the|our|this) (?:short |brief |online )?(?:assessment|test|exercise|challenge)",
        r"hackerrank|codility|codesignal|testgorilla|coderbyte|coderpad|hirevue|devskiller|testdome",
        r"technical (?:exercise|challenge|task)",
    ),
    Signal.AVAILABILITY: (
        r"your availability",
        r"(?:when|what) (?:would|will|might) be (?:a )?(?:good|convenient|suitable) (?:time|times|day)",
        r"are you (?:available|free)\b",
        r"when (?:are|would) you (?:be )?(?:available|free)",
        r"(?:share|send|let (?:me|us) know|suggest|propose|provide) (?:me |us )?(?:a few|some|several|two"
        r"|three|2|3|your) (?:[\w-]+ ){0,2}(?:times?|slots?|dates?|windows?)\b",
        r"what (?:times?|days?|dates?) (?:would )?(?:work|suit|are good)",
        r"(?:book|schedule|pick|choose|select|grab) (?:a )?(?:time|slot)\b(?! machine)",
        r"(?:https?://)?(?:www\.)?(?:calendly\.com|cal\.com)/[\w./-]+",
    ),
    Signal.APPLICATION_RECEIVED: (
        r"thank(?:s| you) for (?:applying|your application|submitting your application)"
        r"(?! (?:the|this|these|those|that|it|my|our)\b)",
        r"(?:we|we've|we have|i have|i've) (?:successfully )?received your (?:job )?"
        r"(?:application|cv|résumé|resume)",
        r"(?:application|cv|résumé|resume) (?:has|was) (?:been )?(?:successfully )?(?:received|submitted)",
        r"thank(?:s| you) for (?:your )?interest in [^.!?]{0,60}?(?:role|position|vacancy|opening|job)\b",
        r"your application (?:for|to) [^.!?]{0,60}? (?:has|was) (?:been )?(?:received|submitted)",
    ),
}
# A weak rejection: "unfortunately" near words about the application. It gives way to any other
# signal but "application received", so "Unfortunately the start date moved" in an offer is no rejection.
_WEAK_REJECTION = re.compile(
    r" unfortunately\b[^.!?]{0,40}?\b(?:application|candidacy|candidates?|applicants?|position|role|vacancy"
    r"|unsuccessful|not (?:be )?(?:able|mov|progress|proceed|selected|shortlisted|successful))"
)
_NEGATED = r"\b(?:not|never|unable|cannot|no longer|no need)\b|n't\b"
# Thanks for something done: "thank you for attending the final interview", "thanks for your availability".
_THANKED = (
    r"\bthank(?:s| you) for (?:(?:attending|taking|completing|submitting|doing|joining|coming|sharing|sending"
    r"|providing)\b|your time\b|(?:the |your )?$)"
)
# Words just before a phrase, in the same sentence, that take it back: "not able to extend an offer",
# "if we extend an offer", "thank you for your availability".
_GUARDS: dict[Signal, re.Pattern[str]] = {
    Signal.OFFER: re.compile(rf"{_NEGATED}|\b(?:if|whether|may|might|could|should we|in case|before)\b"),
    Signal.INTERVIEW: re.compile(rf"{_NEGATED}|{_THANKED}"),
    Signal.ASSESSMENT: re.compile(rf"{_NEGATED}|{_THANKED}"),
    Signal.AVAILABILITY: re.compile(rf"{_NEGATED}|{_THANKED}"),
    Signal.APPLICATION_RECEIVED: re.compile(_NEGATED),
}
_GUARD_REACH = 60
_SENTENCE_END = re.compile(r"[.!?] ")


def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # A leading literal space lets the regex engine skip to word starts: several times faster than
    # a leading \b, as is matching lower-case text instead of using re.IGNORECASE.
    return re.compile(" (?:" + "|".join(f"(?:{p})" for p in phrases) + ")")


_SIGNAL_PATTERNS = {signal: _any_of(SIGNAL_PHRASES[signal]) for signal in SIGNAL_ORDER}
# Characters that may stand before a phrase's first word; searched as spaces.
_OPENERS = str.maketrans(dict.fromkeys('([{"“”«»<>*_|', " "))


def employer_signals(subject: str, text: str) -> tuple[SignalMatch, ...]:
    """The employer signals in a message's subject and new text, most decisive first (offer,
    rejection, interview, assessment, availability, application received), each with the phrase
    that decided it as written (white space as single spaces, at most 80 characters)."""
    flat, low = _searchable(f"{subject}. {new_text(text)}")
    found: list[SignalMatch] = []
    for signal in SIGNAL_ORDER:
        phrase = _first_phrase(flat, low, _SIGNAL_PATTERNS[signal], _GUARDS.get(signal))
        if phrase:
            found.append(SignalMatch(signal, phrase))
    if not any(m.signal is not Signal.APPLICATION_RECEIVED for m in found):
        weak = _first_phrase(flat, low, _WEAK_REJECTION, None)
        if weak:
            found.insert(0, SignalMatch(Signal.REJECTION, weak))
    return tuple(found)


def _searchable(text: str) -> tuple[str, str]:
    """`text` on one line after a space, and the same in lower case with _OPENERS as spaces and
    typographic apostrophes as "'", position for position."""
    flat = " " + " ".join(text.split())
    low = flat.lower()
    if len(low) != len(flat):  # a letter whose lower case is longer ("İ") would shift every position
        flat = "".join(c if len(c.lower()) == 1 else " " for c in flat)
        low = flat.lower()
    return flat, low.translate(_OPENERS).replace("\u2019", "'")


def _first_phrase(flat: str, low: str, pattern: re.Pattern[str], guard: re.Pattern[str] | None) -> str | None:
    for match in pattern.finditer(low):
        start = match.start() + 1  # after the leading space
        if guard is not None:
            before = low[max(0, start - _GUARD_REACH) : start]
            ends = list(_SENTENCE_END.finditer(before))
            if guard.search(before[ends[-1].end() :] if ends else before):
                continue
        return _shorten(flat[start : match.end()])
    return None


def _shorten(phrase: str) -> str:
    phrase = phrase.strip()
    if len(phrase) <= PHRASE_LIMIT:
        return phrase
    head = phrase[: PHRASE_LIMIT + 1]
    space = head.rfind(" ")
    return head[:space] if space > 0 else phrase[:PHRASE_LIMIT]


# ---------------------------------------------------------------------------------------------------
# Mail from strangers that is about the job search

# Applicant tracking systems that send mail for employers; a sender at one of these (or a subdomain).
ATS_DOMAINS: tuple[str, ...] = (
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "myworkday.com", "myworkdayjobs.com", "workday.com",
    "smartrecruiters.com", "ashbyhq.com", "icims.com", "jobvite.com", "taleo.net", "workable.com",
    "workablemail.com", "recruitee.com", "teamtailor.com", "teamtailor-mail.com", "bamboohr.com",
    "breezy.hr", "applytojob.com", "successfactors.com", "personio.de",
)  # fmt: skip
_LINKEDIN_JOBS = re.compile(r"(?<![\w.-])jobs(?:-noreply|-listings)?@linkedin\.com", re.I)
_JOB_NEWSLETTER = re.compile(
    r"\bjob alerts?\b|\bjobs? you (?:may|might) (?:be interested in|like)\b|\bnew jobs? (?:for you|matching|"
    r"that match)\b|\brecommended jobs\b|\bjobs? (?:recommended|picked) for you\b|\bjob recommendations\b",
    re.I,
)
JOB_PHRASES: tuple[str, ...] = (
    r"your (?:job )?application",
    r"application (?:for|to|at)\b",
    r"(?:phone |video |technical |job )?interview(?:s|ing)?\b",
    r"recruit(?:er|ers|ing|ment)\b",
    r"talent (?:acquisition|partner|team)",
    r"hiring (?:manager|team|process|for)\b",
    r"(?:job|career|exciting|new) opportunit(?:y|ies)",
    r"opportunity (?:at|with)\b",
    r"(?:[\w-]+ ){0,2}(?:role|position|vacancy)\b(?! (?:of|paper|statement)\b)",
    r"candida(?:te|cy)\b",
    r"job offer|offer letter",
    r"came across your (?:profile|cv|resume|résumé)",
)
_JOB_PATTERN = _any_of(JOB_PHRASES)
_NEWSLETTER_REACH = 2000


def job_related(subject: str, sender: str, text: str = "") -> str | None:
    """Why a message from an unknown sender looks like job-search mail: the phrase, or the applicant
    tracking system's domain it came from; None when it does not, and for job-alert newsletters."""
    if _JOB_NEWSLETTER.search(_SPACE.sub(" ", f"{subject}\n{text[:_NEWSLETTER_REACH]}")):
        return None
    address = sender.strip().strip("<>").lower()
    domain = address.rpartition("@")[2].strip(" >")
    for ats in ATS_DOMAINS:
        if domain == ats or domain.endswith("." + ats):
            return ats
    linkedin = _LINKEDIN_JOBS.search(address)
    if linkedin:
        return linkedin.group(0).lower()
    for part in (subject, new_text(text) if text else ""):
        flat, low = _searchable(part)
        phrase = _first_phrase(flat, low, _JOB_PATTERN, None)
        if phrase:
            return phrase
    return None
