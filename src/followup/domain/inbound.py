"""Mail that arrives (or that the user sent from their own client), as the reader sees it: the few
headers that matter, the text part, calendar parts and delivery reports. Pure: the standard library's
email package and no I/O, so the IMAP sync and the file importers share every rule.

Headers are read by a small parser of our own: the sync reads ten thousand headers in a second, and the
standard library's header classes cost ten times more than the few fields we keep.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.errors import MessageError
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum

# The header fields fetched for every message (IMAP `BODY.PEEK[HEADER.FIELDS (…)]`), and the only ones
# ever looked at. Everything the classification reads is here.
HEADER_FIELDS: tuple[str, ...] = (
    "Message-ID",
    "In-Reply-To",
    "References",
    "From",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Content-Type",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
    "X-MS-Exchange-Inbox-Rules-Loop",  # Exchange: set on replies its inbox rules (out of office) send
    "X-Apple-Action",
    "X-Apple-Criteria",
    "X-Autoreply",
    "X-Autorespond",
    "Precedence",
    "X-Failed-Recipients",
    "List-Id",
    "List-Unsubscribe",
    "Return-Path",
)
_FOLD = re.compile(rb"\r?\n")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_SPACE = re.compile(r"\s+")
_AWKWARD = re.compile(r'[<>@,"()\\;:]')  # in a display name: read by the full parser
_AWKWARD_ADDRESS = re.compile(r'[\s<>"(),;:\\]')
_ASCII_SPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() takes away
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")
_SIMPLE = re.compile(
    r'(?:"([^"\\]*)"\s*<([^<>\s"]+@[^<>\s"]+)>|([^<>@,"]*?)\s*<([^<>\s"]+@[^<>\s"]+)>|([^<>\s"]+@[^<>\s"]+))'
)
SYNTHETIC_DOMAIN = "followup.invalid"


class MailKind(StrEnum):
    """What a message is, as far as the job search is concerned."""

    HUMAN = "human"  # a person wrote it
    AUTO_REPLY = "auto-reply"  # out of office, vacation, autoresponder: never counts as a reply
    BOUNCE = "bounce"  # a delivery failure report
    INVITATION = "invitation"  # carries a text/calendar part (REQUEST, CANCEL…)
    BULK = "bulk"  # lists, newsletters, notifications from no-reply senders


class Signal(StrEnum):
    """What an employer's message says about an opportunity; only ever a suggestion."""

    REJECTION = "rejection"
    INTERVIEW = "interview-invitation"
    AVAILABILITY = "availability-request"
    ASSESSMENT = "assessment"
    OFFER = "offer"
    APPLICATION_RECEIVED = "application-received"


@dataclass(frozen=True)
class Envelope:
    """The headers of one message that the reader uses, decoded. `message_id` is never empty: a message
    without one gets a stable synthetic id (`synthetic_id`), so importing it twice changes nothing."""

    message_id: str
    sender: str  # the From address, lower-case ("" when there is none)
    sender_name: str = ""
    reply_to: str | None = None
    subject: str = ""
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # the classification headers, lower-case names
    synthetic_id: bool = False

    # Read from `headers` when first asked for: most messages are judged without them.

    @functools.cached_property
    def recipients(self) -> tuple[str, ...]:
        """The To and Cc addresses, lower-case."""
        value = self.headers.get("to", "") + "," + self.headers.get("cc", "")
        return tuple(dict.fromkeys(addr.lower() for _name, addr in _addresses(value) if "@" in addr))

    @functools.cached_property
    def date(self) -> datetime | None:
        """Aware, UTC; None when missing or unparseable."""
        return _date(self.headers.get("date", ""))

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Every Message-ID this message answers or quotes, nearest first."""
        ids = ([self.in_reply_to] if self.in_reply_to else []) + list(reversed(self.references))
        return tuple(dict.fromkeys(ids))

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2]

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class DeliveryFailure:
    """One recipient a delivery report says could not be reached."""

    address: str  # lower-case
    status: str = ""  # e.g. "5.1.1"
    diagnostic: str = ""  # the remote server's words, shortened


@dataclass(frozen=True)
class Content:
    """What the body of a message holds, once fetched (only for messages that matched)."""

    text: str = ""  # the first text/plain part (or text/html made plain), decoded
    calendars: tuple[bytes, ...] = ()  # text/calendar parts, raw
    failures: tuple[DeliveryFailure, ...] = ()  # from message/delivery-status or a provider's plain text
    original_message_id: str | None = None  # of the returned message (message/rfc822, text/rfc822-headers)
    defects: tuple[str, ...] = ()  # what was wrong with the MIME, for the log


@dataclass(frozen=True)
class SignalMatch:
    signal: Signal
    phrase: str  # the words that decided it, as they appear in the message


@dataclass(frozen=True)
class Classification:
    """What a message is and why: `because` names the header or phrase that decided it."""

    kind: MailKind
    because: str
    returns_on: date | None = None  # auto-reply: the date the person says they are back
    failures: tuple[DeliveryFailure, ...] = ()  # bounce
    signals: tuple[SignalMatch, ...] = ()  # employer signals (human mail)


@dataclass(frozen=True)
class Attendee:
    address: str  # lower-case
    name: str = ""


@dataclass(frozen=True)
class Invitation:
    """One event of a calendar invitation (iCalendar METHOD REQUEST/PUBLISH/CANCEL)."""

    uid: str
    sequence: int
    method: str  # "REQUEST", "CANCEL", "PUBLISH", … (upper case)
    cancelled: bool  # METHOD:CANCEL or STATUS:CANCELLED
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    timezone: str  # an IANA name for showing the time ("UTC" when unknown)
    summary: str = ""
    location: str = ""
    description: str = ""
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True)
class FolderState:
    """Where the last sync of a folder stopped (RFC 3501 UIDVALIDITY and UIDs; RFC 7162 MODSEQ)."""

    uidvalidity: int
    highest_uid: int
    uidnext: int | None = None
    highest_modseq: int | None = None


# ---------------------------------------------------------------------------------------------------
# Headers


def parse_envelope(raw: bytes) -> Envelope:
    """The envelope of a message from its header bytes (or the whole message: reading stops at the first
    empty line). Never raises: broken headers give empty fields, and the message is judged on what is left."""
    fields = read_headers(raw)
    sender_name, sender = _first_address(fields.get("from", ""))
    reply_to = _first_address(fields["reply-to"])[1] if "reply-to" in fields else None
    subject = fields.get("subject", "")
    if _ODD_SPACE.search(subject):  # white space other than single spaces: made single spaces
        subject = _SPACE.sub(" ", subject)
    references = fields.get("references")
    message_id = _first_id(fields.get("message-id", ""))
    synthetic = message_id is None
    if message_id is None:
        message_id = synthetic_message_id(fields)
    return Envelope(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        reply_to=reply_to or None,
        subject=subject,
        in_reply_to=_first_id(fields["in-reply-to"]) if "in-reply-to" in fields else None,
        references=tuple(_MESSAGE_ID.findall(references)) if references else (),
        headers=fields,
        synthetic_id=synthetic,
    )


def read_headers(raw: bytes, wanted: Iterable[str] | None = None) -> dict[str, str]:
    """The wanted header fields (lower-case names → decoded, unfolded values; the first of a repeated
    field wins). CRLF and LF may be mixed; 8-bit bytes are read as UTF-8, else Latin-1."""
    names = tuple(HEADER_FIELDS) if wanted is None else tuple(wanted)
    head = b"\n" + raw[: _header_end(raw)]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return _read_header_bytes(head, names)  # a field in another charset: decoded field by field
    wanted = _name_set(names)
    collected: dict[str, list[str]] = {}
    lines: list[str] | None = None  # the lines of the field being read (None: a field not wanted)
    for line in text.split("\n")[1:]:
        if line[:1] in (" ", "\t"):  # a folded line goes with the field above it
            if lines is not None:
                lines.append(line)
            continue
        name, colon, value = line.partition(":")
        name = name.rstrip(" \t").lower()
        if colon and name in wanted and name not in collected:  # the first of a repeated field wins
            lines = collected[name] = [value]
        else:
            lines = None
    fields: dict[str, str] = {}
    for name, parts in collected.items():
        # unfolded; only ASCII white space trimmed, as `_read_header_bytes` does
        value = (
            " ".join(p.strip(_ASCII_SPACE) for p in parts) if len(parts) > 1 else parts[0].strip(_ASCII_SPACE)
        )
        if "=?" in value:
            value = _encoded_words(value)
        if "\x00" in value:
            value = value.replace("\x00", "")
        fields[name] = value.strip()
    return fields


@functools.lru_cache(maxsize=8)
def _name_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n.lower() for n in names)


def _read_header_bytes(head: bytes, names: tuple[str, ...]) -> dict[str, str]:
    """`read_headers` of a header block that is not all UTF-8: each value decoded on its own."""
    pattern = _field_pattern(names)
    # the names are found in a lower-case copy (one pass in C), the values taken from the original
    fields: dict[str, str] = {}
    for found in pattern.finditer(head.lower()):
        name = found.group(1).decode("ascii")
        if name not in fields:
            value = head[found.end(1) : found.end()].partition(b":")[2]
            fields[name] = _decode_value(b" ".join(part.strip() for part in _FOLD.split(value)))
    return fields


@functools.lru_cache(maxsize=8)
def _field_pattern(names: tuple[str, ...]) -> re.Pattern[bytes]:
    """A field at the start of a line (after "\\n"), its lower-case name one of `names`, its value with
    its folded lines."""
    alternatives = b"|".join(
        re.escape(n.lower().encode("ascii")) for n in sorted(names, key=len, reverse=True)
    )
    return re.compile(rb"\n(" + alternatives + rb")[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*")


def _header_end(raw: bytes) -> int:
    ends = [i for i in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if i >= 0]
    return min(ends) if ends else len(raw)


def _decode_value(value: bytes) -> str:
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        text = value.decode("latin-1")
    if "=?" in text:
        text = _encoded_words(text)
    return text.replace("\x00", "").strip()


def _encoded_words(text: str) -> str:
    """RFC 2047 encoded words decoded; a broken one stays as it was written."""
    with contextlib.suppress(ValueError, LookupError, UnicodeError, AssertionError, MessageError):
        return str(make_header(decode_header(text)))
    return text


def _addresses(value: str) -> list[tuple[str, str]]:
    if not value.strip(","):
        return []
    if not any(c in value for c in "()\\;:"):
        # the common forms ('"Name" <a@b>', "Name <a@b>", "a@b", a list of them) without the full
        # RFC 5322 parser; anything else (a comma inside quotes, comments, groups) goes to it
        found = [_SIMPLE.fullmatch(part.strip()) for part in value.split(",") if part.strip()]
        if all(found):
            return [_simple(m) for m in found if m]
    try:
        return getaddresses([value])
    except (ValueError, IndexError, TypeError):
        return []


def _simple(m: re.Match[str]) -> tuple[str, str]:
    if m.group(2):
        return m.group(1), m.group(2)
    if m.group(4):
        return " ".join((m.group(3) or "").split()), m.group(4)
    return "", m.group(5)


def _first_address(value: str) -> tuple[str, str]:
    """The first (name, lower-case address) of a field ("", "" when there is none)."""
    # The most common forms, 'Name <a@b>' and '"Name" <a@b>', without any parsing
    if value.startswith('"'):
        close = value.find('"', 1)
        name_from, rest_from = 1, close + 1
    else:
        close = value.find("<")
        name_from, rest_from = 0, close
    if close > 0 and value.endswith(">") and not _AWKWARD.search(value, name_from, close):
        rest = value[rest_from:].lstrip()
        addr = rest[1:-1]
        if rest[:1] == "<" and "@" in addr[1:-1] and not _AWKWARD_ADDRESS.search(addr):
            return " ".join(value[name_from:close].split()), addr.lower()
    return _parsed_first_address(value)


def _parsed_first_address(value: str) -> tuple[str, str]:
    for name, addr in _addresses(value):
        if "@" in addr:
            return _SPACE.sub(" ", name).strip(), addr.strip().lower()
    return "", ""


def _first_id(value: str) -> str | None:
    found = _MESSAGE_ID.search(value)
    return found.group(0) if found else None


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def synthetic_message_id(fields: Mapping[str, str]) -> str:
    """A stable id for a message that has none: a digest of the fields read (the same whether the
    message came from the server, with only those fields, or from a file), so reading it twice
    changes nothing."""
    digest = hashlib.sha256()
    for name in sorted(fields):
        digest.update(f"{name}:{fields[name]}\n".encode("utf-8", "replace"))
    return f"<{digest.hexdigest()[:32]}@{SYNTHETIC_DOMAIN}>"
