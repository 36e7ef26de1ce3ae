"""What an incoming message is (bounce, auto-reply, invitation, bulk or human) and what its body holds.

Pure: the standard library's email package and no I/O. Every rule is a header or a phrase, and the
classification names the one that decided it, so a wrong call can be explained and fixed.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.header import Header, decode_header
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.policy import compat32
from html.parser import HTMLParser
from types import ModuleType

from followup.domain.inbound import (
    Classification,
    Content,
    DeliveryFailure,
    Envelope,
    MailKind,
    SignalMatch,
)

# Subjects of out-of-office and autoresponder mail, lower case (Exchange localises its prefix).
AUTO_REPLY_SUBJECTS: tuple[str, ...] = (
    "automatic reply", "auto reply", "auto-reply", "autoreply", "auto response", "auto-response",
    "autorespons", "automated response", "out of office", "out of the office", "away until",
    "on vacation", "vacation reply", "abwesenheitsnotiz", "automatische antwort", "réponse automatique",
    "absence du bureau", "respuesta automática", "fuera de la oficina", "risposta automatica",
    "fuori sede", "fuori ufficio", "automatisch antwoord", "afwezigheid", "resposta automática",
    "automatyczna odpowiedź", "automatiskt svar", "automatisk svar", "automaattinen vastaus",
    "автоматический ответ", "自動応答", "自动回复", "自動回覆", "自動返信",
)  # fmt: skip
# Subjects of delivery failure reports, lower case.
FAILURE_SUBJECTS: tuple[str, ...] = (
    "undeliverable", "undelivered mail", "returned mail", "mail delivery failed", "delivery failure",
    "delivery status notification (failure)", "failure notice", "delivery has failed",
    "could not be delivered", "couldn't be delivered", "non-delivery", "nondeliverable",
    "message not delivered", "unzustellbar", "nicht zustellbar", "non remis", "non distribuable",
    "no se pudo entregar", "non recapitabile", "onbestelbaar",
)  # fmt: skip
# Phrases after which a provider's plain-text report lists the recipients that failed.
FAILURE_INTROS: tuple[str, ...] = (
    "could not be delivered", "couldn't be delivered", "cannot be delivered", "unable to deliver",
    "wasn't able to deliver", "delivery has failed", "failed permanently", "permanent fatal errors",
    "delivery to the following recipient", "could not deliver", "wasn't delivered", "was not delivered",
)  # fmt: skip
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_DAEMON = re.compile(r"^(?:mailer[-_]?daemon|mail[-_]?daemon|postmaster|mail[-_.]delivery)\b", re.I)
_NO_REPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|no[-_.]?response)", re.I)


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a table of phrases; a colon after the phrase is part of it."""
    words = (r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    return re.compile("(?:" + "|".join(words) + r")(?:\s*:)?", re.I)


_AUTO_SUBJECT = _phrases(AUTO_REPLY_SUBJECTS)
_FAILURE_SUBJECT = _phrases(FAILURE_SUBJECTS)
_FAILURE_INTRO = _phrases(FAILURE_INTROS)
_ADDR = r"[^\s<>()\[\]@,;:\"']+@[^\s<>()\[\]@,;:\"']+\.[^\s<>()\[\]@,;:\"']+"
_STATUS = re.compile(r"\b[245]\.\d{1,3}\.\d{1,3}\b")
_MESSAGE_ID_LINE = re.compile(r"^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)", re.I | re.M)
_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "application/x-ics"})
_HEADERS_TYPES = frozenset({"text/rfc822-headers", "message/rfc822-headers", "message/rfc822"})
_DIAGNOSTIC_LIMIT = 200
_DSN = "multipart/report; report-type=delivery-status"
_NO = frozenset({"", "no", "false", "0"})
_MAILTEXT = "followup.domain.mailtext"
_APPLE_END = re.compile(r"endDate=(\d{4}-\d{2}-\d{2})", re.I)

# ---------------------------------------------------------------------------------------------------
# Content


def parse_content(raw: bytes, *, limit: int = 262_144) -> Content:
    """What the body of a message holds: its text, calendar parts and delivery report. Only the first
    `limit` bytes are read (the mailbox reader fetches no more), so the MIME may end mid-part; broken or
    cut-off mail gives what could be read and the defects found, never an error."""
    msg = BytesParser(policy=compat32).parsebytes(raw[:limit])
    nodes = list(_nodes(msg))
    text = _text(nodes)
    reports = [n.part for n in nodes if not n.attached and _is_report_part(n.part)]
    # A delivery-status part is the whole truth: a delay notice also lists its recipients in the text.
    failures = (
        _report_failures(reports)
        if reports
        else _merge(_text_failures(text), _listed(_clean(msg.get("X-Failed-Recipients", ""))))
    )
    is_report = msg.get_content_type() == "multipart/report"
    original = _original_id(nodes, text) if failures or is_report else None
    defects = _defects(nodes) + (("Truncated",) if len(raw) > limit else ())
    calendars = tuple(
        data
        for node in nodes
        if not node.attached and _is_calendar(node.part) and (data := _payload(node.part))
    )
    return Content(text, calendars, failures, original, defects)


@dataclass(frozen=True)
class _Node:
    part: Message
    attached: bool  # inside a message/rfc822 part: someone else's message, returned or forwarded


def _nodes(msg: Message) -> Iterator[_Node]:
    """Every part, depth first, without recursion (a hostile message may nest parts very deeply)."""
    stack = [_Node(msg, attached=False)]
    while stack:
        node = stack.pop()
        yield node
        if node.part.get_content_type() == "message/delivery-status":
            continue  # its payload is blocks of fields, not parts
        if node.part.is_multipart():
            inner = node.attached or node.part.get_content_maintype() == "message"
            stack.extend(_Node(p, inner) for p in reversed(_children(node.part)))


def _children(part: Message) -> list[Message]:
    """The sub-parts of a multipart or message/* part. (Never `get_payload()` on a leaf: with 8-bit
    bytes in its charset parameter the standard library raises.)"""
    payload = part.get_payload() if part.is_multipart() else []
    return [p for p in payload if isinstance(p, Message)]


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _decode(data: bytes, charset: str | None) -> str:
    """The declared charset when it decodes cleanly, else UTF-8, else Windows-1252, else Latin-1."""
    for name in (charset, "utf-8", "windows-1252"):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeError, ValueError):
                continue
    return data.decode("latin-1")


def _is_attachment(part: Message) -> bool:
    return str(part.get("Content-Disposition", "")).strip().lower().startswith("attachment")


def _is_calendar(part: Message) -> bool:
    if part.get_content_type() in _CALENDAR_TYPES:
        return True
    name = part.get_filename() or ""
    return not part.is_multipart() and name.lower().endswith(".ics")


def _text(nodes: list[_Node]) -> str:
    """The first inline text/plain part, else text/html made plain; the message's own parts first."""
    for attached in (False, True):
        candidates = [n.part for n in nodes if n.attached == attached and not n.part.is_multipart()]
        for wanted in ("text/plain", "text/html"):
            for part in candidates:
                if part.get_content_type() == wanted and not _is_attachment(part):
                    text = _decode(_payload(part), part.get_content_charset())
                    text = _html_text(text) if wanted == "text/html" else text
                    return text.replace("\r\n", "\n").replace("\r", "\n")
    return ""


def _defects(nodes: list[_Node]) -> tuple[str, ...]:
    """The names of the MIME defects the parser met, each once, for the log."""
    names: list[str] = []
    for node in nodes:
        blocks = list(_report_blocks(node.part)) if _is_report_part(node.part) else []
        for part in [node.part, *blocks]:
            names.extend(type(defect).__name__ for defect in part.defects)
    return tuple(dict.fromkeys(names))


class _PlainText(HTMLParser):
    _SKIP = frozenset({"script", "style", "title", "template", "noscript"})
    _BREAK = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BREAK:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def _html_text(html: str) -> str:
    """Readable text of an HTML body: tags, scripts and styles dropped, entities decoded, one blank
    line at most between paragraphs."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.chunks).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------------------------------
# Delivery reports


def _is_report_part(part: Message) -> bool:
    return part.get_content_type() == "message/delivery-status"


def _address(value: str) -> str:
    """An address as written in a report, lower case, without `rfc822;` or angle brackets."""
    value = re.sub(r"^\s*rfc822\s*;", "", _clean(value), flags=re.I).strip()
    found = re.search(_ADDR, value)
    return found.group(0).lower().strip(".") if found else ""


def _clean(value: object) -> str:
    """A header value on one line. The parser hands over a value with 8-bit bytes as a Header of
    charset unknown-8bit: those bytes are decoded as UTF-8, else Windows-1252."""
    if isinstance(value, Header):
        value = "".join(
            d if isinstance(d, str) else _decode(d, charset) for d, charset in decode_header(value)
        )
    return " ".join(str(value or "").split())


def _diagnostic(value: str) -> str:
    text = re.sub(r"^\s*(?:smtp|x-[\w-]+)\s*;\s*", "", _clean(value), flags=re.I)
    return text if len(text) <= _DIAGNOSTIC_LIMIT else text[: _DIAGNOSTIC_LIMIT - 1] + "…"


def _status(value: str) -> str:
    found = _STATUS.search(value)
    return found.group(0) if found else ""


def _report_blocks(part: Message) -> Iterator[Message]:
    if part.is_multipart():
        yield from _children(part)
    else:  # not split into blocks (encoded, or cut off): split it here
        data = _decode(_payload(part), part.get_content_charset())
        for chunk in re.split(r"\r?\n[ \t]*\r?\n", data):
            yield HeaderParser(policy=compat32).parsestr(chunk.strip() + "\n")


def _report_failures(reports: list[Message]) -> tuple[DeliveryFailure, ...]:
    """Recipients with `Action: failed` (or no action and a 4.x.x/5.x.x status) in message/delivery-status
    parts; delayed, delivered and relayed ones are no failures. Original-Recipient, the address the
    sender wrote, beats Final-Recipient, which may be an alias it expanded to."""
    found: list[DeliveryFailure] = []
    for report in reports:
        for block in _report_blocks(report):
            address = _address(block.get("Original-Recipient", "")) or _address(
                block.get("Final-Recipient", "")
            )
            action = _clean(block.get("Action", "")).lower()
            status = _status(_clean(block.get("Status", "")))
            if address and (action.startswith("failed") or (not action and status[:1] in ("4", "5"))):
                found.append(DeliveryFailure(address, status, _diagnostic(block.get("Diagnostic-Code", ""))))
    return _merge(tuple(found))


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


def _text_failures(text: str) -> tuple[DeliveryFailure, ...]:
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
    return _merge(tuple(found))


def _recipient_line(line: str) -> re.Match[str] | None:
    return next((m for m in (form.search(line) for form in _LINE_FORMS) if m), None)


def _next_line(lines: list[str], index: int) -> str:
    """The line after a recipient, which often holds the reason, unless it names the next recipient."""
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return "" if _REPORT_END.match(following) or _recipient_line(following) else following


def _listed(value: str) -> tuple[DeliveryFailure, ...]:
    """The addresses of an X-Failed-Recipients header."""
    return tuple(DeliveryFailure(a) for a in (_address(v) for v in value.split(",")) if a)


def _merge(*groups: tuple[DeliveryFailure, ...]) -> tuple[DeliveryFailure, ...]:
    """One failure per address, the first (most detailed) kept."""
    merged: dict[str, DeliveryFailure] = {}
    for failure in (f for group in groups for f in group):
        merged.setdefault(failure.address, failure)
    return tuple(merged.values())


def _original_id(nodes: list[_Node], text: str) -> str | None:
    """The Message-ID of the returned message: its headers part, else a Message-ID line in the report."""
    for node in nodes:
        kind = node.part.get_content_type()
        if kind not in _HEADERS_TYPES or node.attached:
            continue
        inner = _children(node.part)  # message/rfc822 comes parsed; text/rfc822-headers is read here
        text_headers = "" if inner else _decode(_payload(node.part), None)
        headers = inner[0] if inner else HeaderParser(policy=compat32).parsestr(text_headers)
        found = re.search(r"<[^<>\s]+>", _clean(headers.get("Message-ID", "")))
        if found:
            return found.group(0)
    line = _MESSAGE_ID_LINE.search(text)
    return line.group(1) if line else None


# ---------------------------------------------------------------------------------------------------
# Classification


def classify(
    envelope: Envelope, content: Content | None, *, own_addresses: frozenset[str] = frozenset()
) -> Classification:
    """What a message is, tried in this order: bounce, auto-reply, invitation, your own mail, bulk,
    human. `content` is None when the body was not fetched; the headers alone then decide. Addresses in
    `own_addresses` are never reported as failed recipients, and mail from them is never bulk."""
    own = {a.lower() for a in own_addresses}
    bounce = _bounce_rule(envelope, content)
    if bounce is not None:
        return _bounce(envelope, content, bounce, own)
    auto = _auto_reply_rule(envelope)
    if auto is not None:
        return _auto_reply(envelope, content, auto)
    invitation = _invitation_rule(envelope, content)
    if invitation is not None:
        return Classification(MailKind.INVITATION, invitation)
    if envelope.sender and envelope.sender in own:
        return Classification(MailKind.HUMAN, "sender is one of your own addresses")
    bulk = _bulk_rule(envelope)
    kind, because = (
        (MailKind.BULK, bulk) if bulk else (MailKind.HUMAN, "no bounce, auto-reply or bulk marker")
    )
    return Classification(kind, because, signals=_signals(envelope, content))


def _bounce(envelope: Envelope, content: Content | None, because: str, own: set[str]) -> Classification:
    if because == _DSN and content is not None and not content.failures:
        # nothing failed: a delay notice ("will retry") or a success notice; nobody's address is bad
        return Classification(MailKind.AUTO_REPLY, f"{_DSN} without a failed recipient")
    failures = (content.failures if content else ()) or _listed(envelope.header("X-Failed-Recipients"))
    return Classification(
        MailKind.BOUNCE, because, failures=tuple(f for f in failures if f.address not in own)
    )


def _auto_reply(envelope: Envelope, content: Content | None, because: str) -> Classification:
    if because.startswith("multipart/report"):  # a read receipt: nobody is away
        return Classification(MailKind.AUTO_REPLY, because)
    # A bare Auto-Submitted (auto-generated, auto-notified) also marks notifications, which is how
    # applicant tracking systems send rejections: keep their signals.
    notice = because.startswith("header Auto-Submitted:") and _submitted(envelope) != "auto-replied"
    signals = _signals(envelope, content) if notice else ()
    return Classification(MailKind.AUTO_REPLY, because, _returns_on(envelope, content), signals=signals)


def needs_content(envelope: Envelope) -> bool:
    """Whether the headers alone suggest a bounce or an auto-reply, so that the body is worth fetching
    even for a message from nobody known: bounces come from mailer daemons, not from people."""
    suspect = _DAEMON.match(envelope.sender) is not None
    return suspect or _bounce_rule(envelope, None) is not None or _auto_reply_rule(envelope) is not None


def _first(rules: tuple[tuple[bool, str], ...]) -> str | None:
    """The explanation of the first rule that holds."""
    return next((because for holds, because in rules if holds), None)


def _report_type(envelope: Envelope) -> str:
    """The report-type of a multipart/report message ("delivery-status", "disposition-notification")."""
    content_type = re.sub(r'[\s"]', "", envelope.header("Content-Type")).lower()
    found = re.search(r";report-type=([\w-]+)", content_type)
    return found.group(1) if found and content_type.startswith("multipart/report;") else ""


def _bounce_rule(envelope: Envelope, content: Content | None) -> str | None:
    daemon = _DAEMON.match(envelope.sender) is not None
    subject = _FAILURE_SUBJECT.search(envelope.subject) if daemon else None
    phrase = subject.group(0) if subject else ""
    return _first((
        (_report_type(envelope) == "delivery-status", _DSN),
        (bool(envelope.header("X-Failed-Recipients")), "header X-Failed-Recipients"),
        (bool(phrase), f"sender {envelope.sender} and subject '{phrase}'"),
        (
            daemon and content is not None and bool(content.failures),
            f"sender {envelope.sender} and failed recipients in the report",
        ),
    ))  # fmt: skip


def _submitted(envelope: Envelope) -> str:
    """The keyword of RFC 3834 Auto-Submitted ("auto-replied", "auto-generated", "no"), lower case."""
    return re.split(r"[\s;(]", envelope.header("Auto-Submitted").strip(), maxsplit=1)[0].lower()


def _auto_reply_rule(envelope: Envelope) -> str | None:
    submitted, apple = envelope.header("Auto-Submitted"), envelope.header("X-Apple-Action")
    flag = next((n for n in ("X-Autoreply", "X-Autorespond") if envelope.header(n).lower() not in _NO), "")
    suppress = envelope.header("X-Auto-Response-Suppress")
    loop = envelope.header("X-MS-Exchange-Inbox-Rules-Loop")
    subject = _AUTO_SUBJECT.search(envelope.subject)
    phrase = subject.group(0) if subject else ""
    receipt = _report_type(envelope) == "disposition-notification"
    return _first((
        (receipt, "multipart/report; report-type=disposition-notification"),
        (_submitted(envelope) == "auto-replied", f"header Auto-Submitted: {submitted}"),
        (apple.lower() == "vacation", f"header X-Apple-Action: {apple}"),
        (bool(flag), f"header {flag}: {envelope.header(flag)}"),
        (bool(suppress and phrase), f"header X-Auto-Response-Suppress: {suppress} and subject '{phrase}'"),
        (bool(suppress and loop), "header X-MS-Exchange-Inbox-Rules-Loop and X-Auto-Response-Suppress"),
        (bool(phrase), f"subject '{phrase}'"),
        (_submitted(envelope) not in _NO, f"header Auto-Submitted: {submitted}"),
    ))  # fmt: skip


def _invitation_rule(envelope: Envelope, content: Content | None) -> str | None:
    if content is not None:
        return "text/calendar part" if content.calendars else None
    calendar = envelope.header("Content-Type").lower().startswith("text/calendar")
    return "header Content-Type: text/calendar" if calendar else None


def _bulk_rule(envelope: Envelope) -> str | None:
    precedence = envelope.header("Precedence").lower()
    return _first((
        (bool(envelope.header("List-Id")), "header List-Id"),
        (bool(envelope.header("List-Unsubscribe")), "header List-Unsubscribe"),
        (precedence in BULK_PRECEDENCE, f"header Precedence: {precedence}"),
        (_NO_REPLY.match(envelope.sender) is not None, f"sender {envelope.sender}"),
    ))  # fmt: skip


def _returns_on(envelope: Envelope, content: Content | None) -> date | None:
    """The day the person is back: the day after Apple's vacation end (the last moment away, in UTC,
    so never a day early), else a date the reply mentions."""
    apple = _APPLE_END.search(envelope.header("X-Apple-Criteria"))
    if apple:
        try:
            return date.fromisoformat(apple.group(1)) + timedelta(days=1)
        except ValueError:
            pass  # a broken Apple date: look for one in the text
    module = _mailtext()
    if envelope.date is None or module is None:
        return None  # relative dates ("back on Monday") need the day it was sent
    for text in (content.text if content else "", envelope.subject):
        found: date | None = module.return_date(text, received=envelope.date.date()) if text else None
        if found is not None:
            return found
    return None


def _signals(envelope: Envelope, content: Content | None) -> tuple[SignalMatch, ...]:
    module = _mailtext()
    if module is None:
        return ()
    found: tuple[SignalMatch, ...] = module.employer_signals(
        envelope.subject, content.text if content else ""
    )
    return found


def _mailtext() -> ModuleType | None:
    """The phrase rules of mailtext.py, or None while that module is not there: no signals and no
    return dates then, rather than no classification."""
    try:
        return importlib.import_module(_MAILTEXT)
    except ModuleNotFoundError as error:
        if error.name != _MAILTEXT:
            raise
        return None
