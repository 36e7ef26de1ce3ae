"""A note as RFC 5322 bytes: UTF-8 names, threading headers, nothing injected from user data (pure:
the standard library's email package, no I/O), so the outbox service and the mail adapters share it."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

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
    return compose(message).as_bytes(policy=SMTP)
