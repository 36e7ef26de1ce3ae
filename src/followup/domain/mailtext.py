"""The new part of a reply: without quotes, quote headers, signatures or footers, and as a snippet.

Pure: regular expressions over text, no I/O. Return dates are in returndates.py and employer signals in
signals.py; both read only the text `new_text` keeps.
"""

from __future__ import annotations

import functools
import re

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
# How every form above may start (a quote mark, a rule, a signature, a field, a quote header): a line
# that starts otherwise is kept without trying them one by one (a test holds the two readings equal).
_MAYBE_SPECIAL = re.compile(
    r"\s*(?:[>\-_*]|sent|get|envoy|von|begin|from|de|date|gesendet|datum|to|an|à|subject|betreff|objet|cc"
    r"|on\s|am\s|le\s|el\s)",
    re.I,
)


@functools.lru_cache(maxsize=16)  # a message's text is read for its signals, its snippet and its dates
def new_text(text: str) -> str:
    """The part of a reply its sender wrote now: without quoted ('>') lines, quote headers ("On …
    wrote:", Outlook "From:/Sent:" blocks, "-----Original Message-----"), signatures ("-- ", "Sent
    from my iPhone") or a mailing list's footer. Quoted lines between answers are dropped and the
    answers kept; lines keep their words, lose trailing spaces, and runs of blank lines become one."""
    return _new_text(text, quick=True)


def _new_text(text: str, *, quick: bool) -> str:
    """`new_text`; `quick` lets a line that cannot start any of the forms above through at once."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    written = False  # a signature delimiter before any words is no signature
    i = 0
    while i < len(lines):
        line = lines[i]
        if quick and not _MAYBE_SPECIAL.match(line):
            kept.append(line)
            written = written or bool(line.strip())
            i += 1
            continue
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
