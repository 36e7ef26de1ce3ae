"""A note as RFC 5322 bytes: UTF-8 names, threading headers, nothing injected from user data (pure:
the standard library's email package, no I/O), so the outbox service and the mail adapters share it."""

from __future__ import annotations

import base64
import binascii
import re
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from followup.domain.outbox import OutboxMessage

_BREAKS = re.compile(r"[\r\n\x00]+")


def clean_header(value: str) -> str:
    """A header value from user data: CR, LF and NUL become spaces, so no header can be added."""
    return _BREAKS.sub(" ", value).strip()


def address(name: str, addr: str) -> Address:
    """A mailbox for a header; the display name may be any Unicode, the address must be one address."""
    addr = clean_header(addr)
    username, _, domain = addr.rpartition("@")
    if not username or not domain or any(c in addr for c in ' ,;<>"()'):
        raise ValueError(f"not a single e-mail address: {addr!r}")
    return Address(display_name=clean_header(name), username=username, domain=domain)


def compose(message: OutboxMessage) -> EmailMessage:
    """The message as it is sent. Message-ID and Date come from approval, never from now."""
    mail = EmailMessage(policy=SMTP)
    mail["From"] = address(message.from_name, message.from_address)
    mail["To"] = address(message.to_name, message.to_address)
    mail["Subject"] = clean_header(message.subject)
    if message.date is not None:
        mail["Date"] = format_datetime(message.date)
    if message.message_id:
        mail["Message-ID"] = clean_header(message.message_id)
    if message.in_reply_to:
        mail["In-Reply-To"] = clean_header(message.in_reply_to)
    if message.references:
        mail["References"] = " ".join(clean_header(r) for r in message.references)
    mail["MIME-Version"] = "1.0"
    body = message.body.replace("\r\n", "\n")
    # quoted-printable keeps the message 7-bit clean for any server; plain ASCII stays readable as is
    mail.set_content(
        body, subtype="plain", charset="utf-8", cte="7bit" if body.isascii() else "quoted-printable"
    )
    return mail


def as_bytes(message: OutboxMessage) -> bytes:
    """The message on the wire: the same message as `compose(message).as_bytes(policy=SMTP)` (a
    property test holds them equal, header by header and word for word), written directly: the email
    package's header registry parses back every header it is given, which cost more per note than
    the whole SMTP conversation (bench/bench_send.py)."""
    head = [
        "From: " + _mailbox("From", message.from_name, message.from_address),
        "To: " + _mailbox("To", message.to_name, message.to_address),
        "Subject: " + _unstructured("Subject", clean_header(message.subject)),
    ]
    if message.date is not None:
        head.append("Date: " + format_datetime(message.date))
    if message.message_id:
        head.append("Message-ID: " + _unstructured("Message-ID", clean_header(message.message_id)))
    if message.in_reply_to:
        head.append("In-Reply-To: " + _unstructured("In-Reply-To", clean_header(message.in_reply_to)))
    if message.references:
        references = " ".join(clean_header(r) for r in message.references)
        head.append("References: " + _unstructured("References", references))
    body = message.body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.endswith("\n"):
        body += "\n"
    plain = body.isascii() and all(len(line) <= 998 for line in body.split("\n"))
    if plain:
        encoded = body.replace("\n", "\r\n").encode("ascii")
    else:
        encoded = binascii.b2a_qp(body.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")
    head += [
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: " + ("7bit" if plain else "quoted-printable"),
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + encoded


def _mailbox(header: str, name: str, addr: str) -> str:
    """`Name <user@domain>`: checked as `address` checks it; a non-ASCII name as RFC 2047 words."""
    checked = address(name, addr)
    display = checked.display_name
    if not display:
        return checked.addr_spec
    if display.isascii():
        return _unstructured(header, formataddr((display, checked.addr_spec)))
    return f"{_encoded_words(display)} <{checked.addr_spec}>"


def _unstructured(name: str, value: str) -> str:
    """A header value folded to lines of at most 78 characters where it has room to break;
    non-ASCII text as RFC 2047 encoded words."""
    if not value.isascii():
        return _encoded_words(value)
    if len(name) + 2 + len(value) <= 78:
        return value
    return Header(value, "us-ascii", header_name=name).encode(linesep="\r\n")


def _encoded_words(text: str) -> str:
    """Text as RFC 2047 encoded words (UTF-8, base64) of at most 75 characters, one to a line. A reader
    drops the folding between adjacent words, so the text comes back exactly; words end after a space
    where there is one, for readers that keep the folding (Python's own, in display names)."""
    words: list[str] = []
    chunk = ""
    for char in text:
        if len((chunk + char).encode("utf-8")) > 45:  # 45 bytes: 60 base64 characters, 72 in all
            cut = chunk.rfind(" ") + 1 or len(chunk)
            words.append(chunk[:cut])
            chunk = chunk[cut:]
        chunk += char
    words.append(chunk)
    encoded = (base64.b64encode(w.encode("utf-8")).decode("ascii") for w in words)
    return "\r\n ".join(f"=?utf-8?b?{data}?=" for data in encoded)
