"""What an incoming message is (bounce, auto-reply, invitation, bulk or human) and what its body holds.

Pure: the standard library's email package and no I/O. Every rule is a header or a phrase, and the
classification names the one that decided it, so a wrong call can be explained and fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.policy import compat32
from html.parser import HTMLParser

from followup.domain.inbound import Classification, Content, Envelope, MailKind, SignalMatch
from followup.domain.reports import (
    children,
    clean,
    decode,
    is_report_part,
    listed,
    merge,
    payload,
    phrases,
    report_blocks,
    report_failures,
    text_failures,
)
from followup.domain.returndates import return_date
from followup.domain.signals import employer_signals

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
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_DAEMON = re.compile(r"^(?:mailer[-_]?daemon|mail[-_]?daemon|postmaster|mail[-_.]delivery)\b", re.I)
_NO_REPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|no[-_.]?response)", re.I)


_AUTO_SUBJECT = phrases(AUTO_REPLY_SUBJECTS)
_FAILURE_SUBJECT = phrases(FAILURE_SUBJECTS)
_MESSAGE_ID_LINE = re.compile(r"^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)", re.I | re.M)
_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "application/x-ics"})
_HEADERS_TYPES = frozenset({"text/rfc822-headers", "message/rfc822-headers", "message/rfc822"})
_DSN = "multipart/report; report-type=delivery-status"
_NO = frozenset({"", "no", "false", "0"})
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
    reports = [n.part for n in nodes if not n.attached and is_report_part(n.part)]
    # A delivery-status part is the whole truth: a delay notice also lists its recipients in the text.
    failures = (
        report_failures(reports)
        if reports
        else merge(text_failures(text), listed(clean(msg.get("X-Failed-Recipients", ""))))
    )
    is_report = msg.get_content_type() == "multipart/report"
    original = _original_id(nodes, text) if failures or is_report else None
    defects = _defects(nodes) + (("Truncated",) if len(raw) > limit else ())
    calendars = tuple(
        data
        for node in nodes
        if not node.attached and _is_calendar(node.part) and (data := payload(node.part))
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
            stack.extend(_Node(p, inner) for p in reversed(children(node.part)))


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
                    text = decode(payload(part), part.get_content_charset())
                    text = _html_text(text) if wanted == "text/html" else text
                    return text.replace("\r\n", "\n").replace("\r", "\n")
    return ""


def _defects(nodes: list[_Node]) -> tuple[str, ...]:
    """The names of the MIME defects the parser met, each once, for the log."""
    names: list[str] = []
    for node in nodes:
        blocks = list(report_blocks(node.part)) if is_report_part(node.part) else []
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
# The returned message (failed recipients are read in reports.py)


def _original_id(nodes: list[_Node], text: str) -> str | None:
    """The Message-ID of the returned message: its headers part, else a Message-ID line in the report."""
    for node in nodes:
        kind = node.part.get_content_type()
        if kind not in _HEADERS_TYPES or node.attached:
            continue
        inner = children(node.part)  # message/rfc822 comes parsed; text/rfc822-headers is read here
        text_headers = "" if inner else decode(payload(node.part), None)
        headers = inner[0] if inner else HeaderParser(policy=compat32).parsestr(text_headers)
        found = re.search(r"<[^<>\s]+>", clean(headers.get("Message-ID", "")))
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
    failures = (content.failures if content else ()) or listed(envelope.header("X-Failed-Recipients"))
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


# The headers whose presence alone may make a message a bounce or an auto-reply (lower case).
_MARKER_HEADERS = (
    "auto-submitted", "x-apple-action", "x-autoreply", "x-autorespond", "x-auto-response-suppress",
    "x-ms-exchange-inbox-rules-loop", "x-failed-recipients",
)  # fmt: skip


def needs_content(envelope: Envelope) -> bool:
    """Whether the headers alone suggest a bounce or an auto-reply, so that the body is worth fetching
    even for a message from nobody known: bounces come from mailer daemons, not from people."""
    if _DAEMON.match(envelope.sender) is not None:
        return True
    marked = any(name in envelope.headers for name in _MARKER_HEADERS)
    report = envelope.header("Content-Type").lower().lstrip().startswith("multipart/report")
    if not (marked or report or _AUTO_SUBJECT.search(envelope.subject)):
        return False  # most mail: no header or subject that any rule below looks at
    return _bounce_rule(envelope, None) is not None or _auto_reply_rule(envelope) is not None


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
    if envelope.date is None:
        return None  # relative dates ("back on Monday") need the day it was sent
    for text in (content.text if content else "", envelope.subject):
        found = return_date(text, received=envelope.date.date()) if text else None
        if found is not None:
            return found
    return None


def _signals(envelope: Envelope, content: Content | None) -> tuple[SignalMatch, ...]:
    return employer_signals(envelope.subject, content.text if content else "")
