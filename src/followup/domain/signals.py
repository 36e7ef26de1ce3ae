"""Employer signals in a reply (offer, rejection, interview …) and whether a stranger's mail is job-related.

Pure: regular expressions over text, no I/O. Every phrase table is a module constant compiled once and
matched case-insensitively; text is read with runs of white space as one space, so line wrapping never
hides a phrase.
"""

from __future__ import annotations

import re

from followup.domain.inbound import Signal, SignalMatch
from followup.domain.mailtext import new_text

PHRASE_LIMIT = 80
_SPACE = re.compile(r"\s+")

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
_CANDIDATE_WORDS = ("candidate", "applicant", "individual", "profile")
# Words each phrase of a signal needs (one of them at least): a text without any is not searched for
# that signal's phrases, which cost far more to run (a test holds every phrase to its signal's words).
SIGNAL_WORDS: dict[Signal, tuple[str, ...]] = {
    Signal.OFFER: ("offer", "extend", "compensation"),
    Signal.REJECTION: (
        *_CANDIDATE_WORDS, "decided", "moving", "taking", "progress", "proceed", "pursu", "continu",
        "inviting", "able", "forward", "ahead", "further", "position", "filled", "longer", "closed",
        "application", "candidacy", "regret", "successful", "selected", "shortlisted", "offer", "consider",
        "direction",
    ),
    Signal.INTERVIEW: ("interview", "screen", "meet", "round", "stage", "site"),
    Signal.ASSESSMENT: (
        "coding", "home", "assessment", "test", "exercise", "challenge", "hackerrank", "codility",
        "codesignal", "coderbyte", "coderpad", "hirevue", "devskiller", "technical",
    ),
    Signal.AVAILABILITY: ("availab", "free", "time", "day", "slot", "date", "window", "calendly", "cal.com"),
    Signal.APPLICATION_RECEIVED: ("applying", "application", "received", "submitted", "interest"),
}  # fmt: skip
# Characters that may stand before a phrase's first word; searched as spaces.
_OPENERS = '([{"“”«»<>*_|'


def employer_signals(subject: str, text: str) -> tuple[SignalMatch, ...]:
    """The employer signals in a message's subject and new text, most decisive first (offer,
    rejection, interview, assessment, availability, application received), each with the phrase
    that decided it as written (white space as single spaces, at most 80 characters)."""
    flat, low = _searchable(f"{subject}. {new_text(text)}")
    found: list[SignalMatch] = []
    for signal in SIGNAL_ORDER:
        if not _has_any(low, SIGNAL_WORDS[signal]):
            continue
        phrase = _first_phrase(flat, low, _SIGNAL_PATTERNS[signal], _GUARDS.get(signal))
        if phrase:
            found.append(SignalMatch(signal, phrase))
    if "unfortunately" in low and not any(m.signal is not Signal.APPLICATION_RECEIVED for m in found):
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
    for opener in _OPENERS:  # a replace a character: much quicker than any one pass that does all
        if opener in low:
            low = low.replace(opener, " ")
    return flat, low.replace("\u2019", "'")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of the words is in the text: a substring search a word is several times quicker than
    one regular expression of them all."""
    return any(word in text for word in words)


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
# A word each of JOB_PHRASES needs: most text has none, and a plain search for them costs a fraction of
# the phrases' own (a test holds every phrase to this list).
JOB_WORDS: tuple[str, ...] = (
    "application", "interview", "recruit", "talent", "hiring", "opportunit", "role", "position", "vacancy",
    "candida", "offer", "across",
)  # fmt: skip
_ATS = frozenset(ATS_DOMAINS)
_NEWSLETTER_REACH = 2000


def job_related(subject: str, sender: str, text: str = "") -> str | None:
    """Why a message from an unknown sender looks like job-search mail: the phrase, or the applicant
    tracking system's domain it came from; None when it does not, and for job-alert newsletters."""
    head = f"{subject}\n{text[:_NEWSLETTER_REACH]}"
    if "job" in head.lower() and _JOB_NEWSLETTER.search(_SPACE.sub(" ", head)):
        return None
    address = sender.strip().strip("<>").lower()
    domain = address.rpartition("@")[2].strip(" >")
    while domain:  # the domain, then each domain it is part of
        if domain in _ATS:
            return domain
        domain = domain.partition(".")[2]
    linkedin = _LINKEDIN_JOBS.search(address) if "linkedin" in address else None
    if linkedin:
        return linkedin.group(0).lower()
    for part in (subject, new_text(text) if text else ""):
        if not _has_any(part.lower(), JOB_WORDS):
            continue
        flat, low = _searchable(part)
        phrase = _first_phrase(flat, low, _JOB_PATTERN, None)
        if phrase:
            return phrase
    return None
