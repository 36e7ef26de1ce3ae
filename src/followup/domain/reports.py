"""Failed recipients in delivery reports: message/delivery-status parts and providers' plain-text bounces.

Pure: the standard library's email package and no I/O. The part-reading helpers the reports need live
here too, and classify.py, which reads the rest of the message, uses them from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.header import Header, decode_header
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32

from followup.domain.inbound import DeliveryFailure

# Phrases after which a provider's plain-text report lists the recipients that failed.
FAILURE_INTROS: tuple[str, ...] = (
    "could not be delivered", "couldn't be delivered", "cannot be delivered", "unable to deliver",
    "wasn't able to deliver", "delivery has failed", "failed permanently", "permanent fatal errors",
    "delivery to the following recipient", "could not deliver", "wasn't delivered", "was not delivered",
)  # fmt: skip
_ADDR = r"[^\s<>()\[\]@,;:\"']+@[^\s<>()\[\]@,;:\"']+\.[^\s<>()\[\]@,;:\"']+"
_STATUS = re.compile(r"\b[245]\.\d{1,3}\.\d{1,3}\b")
_DIAGNOSTIC_LIMIT = 200


class Phrases:
    """A table of phrases searched as one case-insensitive pattern (a colon after a phrase is part of
    it). Most text holds none of them: a search for each phrase's longest word (rarer than its first:
    "delivered", not "could"), in a lower-case copy, skips the pattern then (a large case-insensitive
    alternation is slow to run)."""

    def __init__(self, table: tuple[str, ...]) -> None:
        words = (r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in table)
        self.pattern = re.compile("(?:" + "|".join(words) + r")(?:\s*:)?", re.I)
        self.keys = tuple(
            sorted({max(phrase.split(), key=len).casefold() for phrase in table if phrase.split()})
        )

    def search(self, text: str) -> re.Match[str] | None:
        folded = text.casefold()
        if not any(key in folded for key in self.keys):  # a substring search a key: quicker than a regex
            return None
        return self.pattern.search(text)


def phrases(table: tuple[str, ...]) -> Phrases:
    return Phrases(table)


_FAILURE_INTRO = phrases(FAILURE_INTROS)

# ---------------------------------------------------------------------------------------------------
# Reading parts


def children(part: Message) -> list[Message]:
    """The sub-parts of a multipart or message/* part. (Never `get_payload()` on a leaf: with 8-bit
    bytes in its charset parameter the standard library raises.)"""
    payload = part.get_payload() if part.is_multipart() else []
    return [p for p in payload if isinstance(p, Message)]


def payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def decode(data: bytes, charset: str | None) -> str:
    """The declared charset when it decodes cleanly, else UTF-8, else Windows-1252, else Latin-1."""
    for name in (charset, "utf-8", "windows-1252"):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeError, ValueError):
                continue
    return data.decode("latin-1")


def clean(value: object) -> str:
    """A header value on one line. The parser hands over a value with 8-bit bytes as a Header of
    charset unknown-8bit: those bytes are decoded as UTF-8, else Windows-1252."""
    if isinstance(value, Header):
        value = "".join(
            d if isinstance(d, str) else decode(d, charset) for d, charset in decode_header(value)
        )
    return " ".join(str(value or "").split())


# ---------------------------------------------------------------------------------------------------
# Delivery reports


def is_report_part(part: Message) -> bool:
    return part.get_content_type() == "message/delivery-status"


def _address(value: str) -> str:
    """An address as written in a report, lower case, without `rfc822;` or angle brackets."""
    value = re.sub(r"^\s*rfc822\s*;", "", clean(value), flags=re.I).strip()
    found = re.search(_ADDR, value)
    return found.group(0).lower().strip(".") if found else ""


def _diagnostic(value: str) -> str:
    text = re.sub(r"^\s*(?:smtp|x-[\w-]+)\s*;\s*", "", clean(value), flags=re.I)
    return text if len(text) <= _DIAGNOSTIC_LIMIT else text[: _DIAGNOSTIC_LIMIT - 1] + "…"


def _status(value: str) -> str:
    found = _STATUS.search(value)
    return found.group(0) if found else ""


def report_blocks(part: Message) -> Iterator[Message]:
    if part.is_multipart():
        yield from children(part)
    else:  # not split into blocks (encoded, or cut off): split it here
        data = decode(payload(part), part.get_content_charset())
        for chunk in re.split(r"\r?\n[ \t]*\r?\n", data):
            yield HeaderParser(policy=compat32).parsestr(chunk.strip() + "\n")


def report_failures(reports: list[Message]) -> tuple[DeliveryFailure, ...]:
    """Recipients with `Action: failed` (or no action and a 4.x.x/5.x.x status) in message/delivery-status
    parts; delayed, delivered and relayed ones are no failures. Original-Recipient, the address the
    sender wrote, beats Final-Recipient, which may be an alias it expanded to."""
    found: list[DeliveryFailure] = []
    for report in reports:
        for block in report_blocks(report):
            address = _address(block.get("Original-Recipient", "")) or _address(
                block.get("Final-Recipient", "")
            )
            action = clean(block.get("Action", "")).lower()
            status = _status(clean(block.get("Status", "")))
            if address and (action.startswith("failed") or (not action and status[:1] in ("4", "5"))):
                found.append(DeliveryFailure(address, status, _diagnostic(block.get("Diagnostic-Code", ""))))
    return merge(tuple(found))


_REPORT_END = re.compile(
    r"^\s*(?:-+\s*(?:original message|below this line|this is a copy)|original message headers"
    r"|(?:received|return-path|dkim-signature|message-id):)",
    re.I,
)
_LINE_FORMS = (
    # Postfix, qmail, Yahoo, sendmail: "<addr>: host … said: …", "<addr> (expanded from <orig>): …", "<addr>"
    re.compile(rf"^\s*<(?P<addr>{_ADDR})>(?:\s*\(expanded from <(?P<orig>{_ADDR})>\))?:?(?P<rest>.*)$", re.I),
    re.compile(rf"^\s*\S[^<]*<mailto:(?P<addr>{_ADDR})>(?P<rest>.*)$", re.I),  # Exchange: "addr<mailto:addr>"
    re.compile(rf"^\s*(?:recipient address:\s*)?(?P<addr>{_ADDR})\s*$", re.I),  # the address alone (Gmail)
    re.compile(rf"your message to (?P<addr>{_ADDR}) couldn't be delivered(?P<rest>.*)$", re.I),  # Office 365
    re.compile(rf"your message wasn't delivered to (?P<addr>{_ADDR})(?P<rest>.*)$", re.I),  # Gmail, newer
)


def text_failures(text: str) -> tuple[DeliveryFailure, ...]:
    """Recipients listed by a provider's plain-text report: only after a phrase that introduces them,
    and never inside the returned message that follows."""
    intro = _FAILURE_INTRO.search(text)
    if intro is None:
        return ()
    lines = text[text.rfind("\n", 0, intro.start()) + 1 :].splitlines()
    found: list[DeliveryFailure] = []
    for index, line in enumerate(lines):
        if _REPORT_END.match(line):
            break
        match = _recipient_line(line)
        if match is not None:
            fields = match.groupdict()
            # Postfix names the alias it expanded to first; the address the sender wrote is the original.
            address = fields.get("orig") or fields["addr"]
            words = f"{fields.get('rest') or ''} {_next_line(lines, index)}"
            found.append(DeliveryFailure(address.lower(), _status(words), _diagnostic(words)))
    return merge(tuple(found))


def _recipient_line(line: str) -> re.Match[str] | None:
    return next((m for m in (form.search(line) for form in _LINE_FORMS) if m), None)


def _next_line(lines: list[str], index: int) -> str:
    """The line after a recipient, which often holds the reason, unless it names the next recipient."""
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return "" if _REPORT_END.match(following) or _recipient_line(following) else following


def listed(value: str) -> tuple[DeliveryFailure, ...]:
    """The addresses of an X-Failed-Recipients header."""
    return tuple(DeliveryFailure(a) for a in (_address(v) for v in value.split(",")) if a)


def merge(*groups: tuple[DeliveryFailure, ...]) -> tuple[DeliveryFailure, ...]:
    """One failure per address, the first (most detailed) kept."""
    merged: dict[str, DeliveryFailure] = {}
    for failure in (f for group in groups for f in group):
        merged.setdefault(failure.address, failure)
    return tuple(merged.values())
