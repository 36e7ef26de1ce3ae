"""Realistic mail for the sync and import benchmarks, written as plain bytes (100,000 messages in seconds).

Each message has the headers a real INBOX shows (15-25 lines: a Received chain, DKIM-Signature,
Authentication-Results, List-* for newsletters, References for replies) and a 2-8 KB body, half of
them multipart/alternative. Most are the mail anyone gets (newsletters, notifications, friends,
receipts), none from the job search's organisations; a share are replies from the job search's
people to messages of its ledger (matched by thread or address, their bodies fetched and read), and
about one in 300 comes from an applicant tracking system (job-related: fetched, suggested).
"""

from __future__ import annotations

import base64
import os
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ME = "Alex Morgan <alex@example.org>"
ME_ADDRESS = "alex@example.org"

_VOCABULARY = (  # none of the job-search phrases: this is the mail that does not matter
    "the of and to in is that for it as was with be by on not he this are or his at which but have "
    "an they you were her she there one all we their has been if more when will would who so no what "
    "about up out them some could into than then its only other new these may like time also two any "
    "after first well year where most over such should our through long very before even because same "
    "down back still must each much last being under great make might just both between own life while "
    "garden weekend recipe river mountain coffee library concert museum season harvest bicycle ferry "
    "kitchen window market festival neighbour holiday photo album bread orchard lantern meadow harbour "
    "update release notes changelog feature pull request commit branch review merge build pipeline "
    "order shipped parcel tracking receipt invoice subscription renewal account statement balance "
    "article podcast episode chapter newsletter digest issue edition reading list highlights week"
)
_WORDS = _VOCABULARY.split()  # no "from": a paragraph starting "From " would split an mbox
_BRANDS = (
    "Morning Brew Digest", "The Weekly Reader", "Garden Notes", "Cycling Monthly", "Kitchen Letters",
    "Open Source Weekly", "Python Digest", "Photo Club News", "Local Events", "Travel Deals",
)  # fmt: skip
_SHOPS = ("Parcel Market", "Bookshelf Store", "Coffee Roasters", "Outdoor Supply", "Home Goods")
_FRIENDS = (
    ("Sam Rivera", "sam.rivera@gmail.com"), ("Jo Chen", "jochen@outlook.com"),
    ("Priya Natarajan", "priya.n@fastmail.com"), ("Lena Vogel", "lena.vogel@gmx.de"),
    ("Tom Okafor", "tom.okafor@yahoo.com"), ("Mia Rossi", "mia.rossi@icloud.com"),
    ("Dad", "family.morgan@hotmail.com"), ("Ana Souza", "ana.souza@proton.me"),
)  # fmt: skip
_PROJECTS = ("tiny-http", "garden-planner", "bike-routes", "recipe-box", "photo-sorter", "notes-sync")
_ATS = (("Greenhouse", "no-reply@greenhouse.io"), ("Lever", "no-reply@hire.lever.co"),
        ("Workable", "noreply@candidates.workablemail.com"))  # fmt: skip
_ATS_COMPANIES = ("Blue Yonder Labs", "Quillwork", "Harbor Analytics", "Meridian Health")
_REPLY_LINES = (
    "Thanks for getting back to me so quickly.",
    "I passed your notes on to the hiring manager and we would like to move forward.",
    "Could you share a few times next week that would work for a call?",
    "Sorry for the slow reply, it has been a busy week on our side.",
    "Good to hear from you, and thanks for the update on your application.",
    "I will be in touch once the team has had a chance to review.",
)


@dataclass(frozen=True)
class Correspondent:
    """Someone of the job search: their address, and the ledger's mail with them to answer."""

    name: str
    address: str
    threads: tuple[tuple[str, str], ...]  # (Message-ID, subject) of ledger entries with them


@dataclass(frozen=True)
class Message:
    when: datetime  # its Date, and its INTERNALDATE (the file's mtime in a Maildir)
    sender: str  # for the mbox "From " line
    data: bytes  # LF line ends, as Maildir and mbox files keep them
    reply: bool  # from the job search's people


class _Bodies:
    """Text from a pool of paragraphs: building each message word by word would take minutes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.paragraphs = [self._paragraph() for _ in range(400)]

    def _paragraph(self) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(50, 110))
        text, line = [], ""
        for word in words:
            if len(line) + len(word) + 1 > 72:
                text.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word.capitalize()
        text.append(line + ".")
        return "\n".join(text)

    def text(self, size: int) -> str:
        parts, total = [], 0
        while total < size:
            paragraph = self.rng.choice(self.paragraphs)
            parts.append(paragraph)
            total += len(paragraph) + 2
        return "\n\n".join(parts) + "\n"


def _token(rng: random.Random, size: int) -> str:
    return base64.b64encode(rng.randbytes(size)).decode()


def _fold(prefix: str, value: str, width: int = 76) -> str:
    """A long base64 value folded over continuation lines, as DKIM signers write it."""
    lines = [prefix + value[: width - len(prefix)]]
    rest = value[width - len(prefix) :]
    lines += ["\t " + rest[i : i + width - 2] for i in range(0, len(rest), width - 2)]
    return "\n".join(lines)


def messages(
    count: int,
    *,
    now: datetime,
    days: float,
    correspondents: list[Correspondent],
    reply_share: float = 0.02,
    seed: int = 1,
) -> Iterator[Message]:
    """`count` messages dated evenly over the `days` before `now`, oldest first."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    bodies = _Bodies(rng)
    replies = set(rng.sample(range(count), round(count * reply_share))) if correspondents else set()
    step = timedelta(days=days) / count
    start = now - timedelta(days=days)
    for n in range(count):
        when = min(start + step * (n + rng.random()), now - timedelta(minutes=5)).replace(microsecond=0)
        if n in replies:
            yield _reply(rng, bodies, n, when, rng.choice(correspondents))
        else:
            yield _other(rng, bodies, n, when)


def _received(rng: random.Random, host: str, when: datetime) -> list[str]:
    stamp = format_datetime(when)
    ip = f"203.0.113.{rng.randint(1, 254)}"
    queue = _token(rng, 6).replace("/", "x").replace("+", "y")
    return [
        f"Received: from mx1.example.org (mx1.example.org [192.0.2.10])\n\tby imap.example.org with LMTP\n"
        f"\tid {queue}; {stamp}",
        f"Received: from {host} ({host} [{ip}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\n"
        f"\tby mx1.example.org (Postfix) with ESMTPS id {queue[:10]}\n\tfor <{ME_ADDRESS}>; {stamp}",
    ]


def _dkim(rng: random.Random, domain: str) -> list[str]:
    return [
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s2024;\n"
        f"\tt={rng.randint(1_700_000_000, 1_800_000_000)}; h=from:to:subject:date:message-id:mime-version;\n"
        + _fold("\tbh=", _token(rng, 32))
        + ";\n"
        + _fold("\tb=", _token(rng, 256)),
        f"Authentication-Results: mx1.example.org; dkim=pass header.d={domain};\n"
        f"\tspf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}",
    ]


def _subject(rng: random.Random, text: str) -> str:
    if rng.random() < 0.1:  # an encoded word, as non-ASCII subjects arrive
        encoded = base64.b64encode(f"{text} — café".encode()).decode()
        return f"Subject: =?UTF-8?B?{encoded}?="
    return f"Subject: {text}"


def _content(rng: random.Random, bodies: _Bodies, html: bool) -> tuple[list[str], str]:
    size = rng.randint(2048, 8192)
    if not html:
        plain = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
        return plain, bodies.text(size)
    boundary = "b1_" + _token(rng, 12).replace("/", "_").replace("+", "-")
    text = bodies.text(size // 2)
    markup = "".join(f"<p>{p}</p>\n" for p in bodies.text(size // 2).split("\n\n"))
    body = (
        f"--{boundary}\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n{text}\n"
        f"--{boundary}\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"<html><body>\n{markup}</body></html>\n--{boundary}--\n"
    )
    return [f'Content-Type: multipart/alternative; boundary="{boundary}"'], body


def _assemble(
    rng: random.Random, bodies: _Bodies, *, when: datetime, sender: str, domain: str, headers: list[str],
    html: bool, text: str | None = None,
) -> bytes:  # fmt: skip
    content_headers, body = _content(rng, bodies, html)
    if text is not None:
        body = text + "\n" + body
    lines = [
        f"Return-Path: <{sender}>",
        f"Delivered-To: {ME_ADDRESS}",
        *_received(rng, f"mail-out{rng.randint(1, 40)}.{domain}", when),
        *_dkim(rng, domain),
        *headers,
        f"Date: {format_datetime(when)}",
        "MIME-Version: 1.0",
        *content_headers,
    ]
    return ("\n".join(lines) + "\n\n" + body).encode()


def _other(rng: random.Random, bodies: _Bodies, n: int, when: datetime) -> Message:
    roll = rng.random()
    extra: list[str] = []
    if roll < 0.40:
        brand = rng.choice(_BRANDS)
        slug = brand.lower().replace(" ", "")
        domain, sender = f"news.{slug}.com", f"newsletter@news.{slug}.com"
        extra = [
            f"List-Id: {brand} <weekly.{slug}.com>",
            f"List-Unsubscribe: <https://news.{slug}.com/u/{n}>, <mailto:unsub-{n}@news.{slug}.com>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Precedence: bulk",
            f"X-Campaign-Id: {n:08d}",
        ]
        head = [f'From: "{brand}" <{sender}>', f"To: {ME_ADDRESS}",
                _subject(rng, f"{brand}: {' '.join(rng.choices(_WORDS, k=6))}")]  # fmt: skip
    elif roll < 0.70:
        project = rng.choice(_PROJECTS)
        domain, sender = "github.com", "notifications@github.com"
        thread = f"<amorgan/{project}/issues/{rng.randint(1, 400)}@github.com>"
        head = [
            f'From: "{rng.choice(_FRIENDS)[0]}" <{sender}>',
            f"To: amorgan/{project} <{project}@noreply.github.com>",
            f"Cc: Alex Morgan <{ME_ADDRESS}>, Comment <comment@noreply.github.com>",
            _subject(rng, f"Re: [amorgan/{project}] {' '.join(rng.choices(_WORDS, k=5))} (#{n % 400})"),
            f"In-Reply-To: {thread}",
            f"References: {thread}",
        ]
        extra = [f"List-Id: amorgan/{project} <{project}.amorgan.github.com>",
                 f"List-Unsubscribe: <https://github.com/notifications/unsubscribe/{n}>",
                 "X-GitHub-Reason: author"]  # fmt: skip
    elif roll < 0.90:
        name, sender = rng.choice(_FRIENDS)
        domain = sender.rpartition("@")[2]
        head = [f'From: "{name}" <{sender}>', f"To: {ME}", _subject(rng, " ".join(rng.choices(_WORDS, k=4)))]
        if rng.random() < 0.4:
            earlier = f"<{rng.getrandbits(64):016x}@{domain}>"
            head += [f"In-Reply-To: {earlier}", f"References: <{rng.getrandbits(64):016x}@mail> {earlier}"]
        extra = ["X-Mailer: iPhone Mail (21F90)"]
    elif roll < 0.997:
        shop = rng.choice(_SHOPS)
        slug = shop.lower().replace(" ", "")
        domain, sender = f"{slug}.com", f"orders@{slug}.com"
        head = [f'From: "{shop}" <{sender}>', f"To: {ME}", f"Reply-To: help@{slug}.com",
                _subject(rng, f"Your order #{100000 + n} has shipped")]  # fmt: skip
        extra = ["X-Mailer: Transactional Mailer 4.2"]
    else:
        name, sender = rng.choice(_ATS)
        domain = sender.rpartition("@")[2]
        company = rng.choice(_ATS_COMPANIES)
        head = [f'From: "{company} via {name}" <{sender}>', f"To: {ME}",
                _subject(rng, f"Thank you for applying to {company}")]  # fmt: skip
        extra = ["Auto-Submitted: auto-generated"]
    message_id = f"Message-ID: <{rng.getrandbits(80):020x}.{n}@{domain}>"
    data = _assemble(
        rng, bodies, when=when, sender=sender, domain=domain, headers=[message_id, *head, *extra],
        html=rng.random() < 0.5,
    )  # fmt: skip
    return Message(when, sender, data, reply=False)


def _reply(rng: random.Random, bodies: _Bodies, n: int, when: datetime, who: Correspondent) -> Message:
    domain = who.address.rpartition("@")[2]
    head = [
        f"Message-ID: <CA{rng.getrandbits(96):024x}.{n}@mail.{domain}>",
        f'From: "{who.name}" <{who.address}>',
        f"To: {ME}",
    ]
    if who.threads and rng.random() < 0.7:  # most answer a thread; the rest write anew
        message_id, subject = rng.choice(who.threads)
        head += [_subject(rng, f"Re: {subject}"), f"In-Reply-To: {message_id}", f"References: {message_id}"]
    else:
        head.append(_subject(rng, "Quick question"))
    text = "\n\n".join(rng.sample(_REPLY_LINES, 3)) + f"\n\nBest,\n{who.name}\n"
    data = _assemble(
        rng, bodies, when=when, sender=who.address, domain=domain, headers=[*head, "X-Mailer: Outlook 16.0"],
        html=False, text=text,
    )  # fmt: skip
    return Message(when, who.address, data, reply=True)


def mbox_from_line(message: Message) -> bytes:
    return f"From {message.sender} {message.when.astimezone(UTC):%a %b %d %H:%M:%S %Y}\n".encode()


class MaildirWriter:
    """INBOX and an empty Sent as Dovecot's own Maildir holds them: seen, in cur/, their sizes in the
    names (so Dovecot need not read the files to know them); the mtime is the INTERNALDATE. Files are
    written by a few threads: one by one, each costs ~0.5 ms of file-system latency here."""

    def __init__(self, home: Path) -> None:
        self.root = home / "Maildir"
        for folder in (self.root, self.root / ".Sent"):
            for sub in ("cur", "new", "tmp"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
        (self.root / ".Sent" / "maildirfolder").touch()
        self.count = self.replies = 0
        self._pool = ThreadPoolExecutor(4)
        self._pending = threading.BoundedSemaphore(256)

    def add(self, message: Message) -> None:
        stamp = message.when.timestamp()
        size, lines = len(message.data), message.data.count(b"\n")
        path = self.root / "cur" / f"{int(stamp)}.M{self.count}P1.bench,S={size},W={size + lines}:2,S"
        self._pending.acquire()
        self._pool.submit(self._write, path, message.data, stamp)
        self.count, self.replies = self.count + 1, self.replies + message.reply

    def _write(self, path: Path, data: bytes, stamp: float) -> None:
        try:
            path.write_bytes(data)
            os.utime(path, (stamp, stamp))
        finally:
            self._pending.release()

    def close(self) -> None:
        self._pool.shutdown()


class MboxWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = path.open("wb")
        self.count = self.replies = 0

    def add(self, message: Message) -> None:
        self._out.write(mbox_from_line(message) + message.data.replace(b"\nFrom ", b"\n>From ") + b"\n")
        self.count, self.replies = self.count + 1, self.replies + message.reply

    def close(self) -> None:
        self._out.close()


def fill(mail: Iterator[Message], *writers: MaildirWriter | MboxWriter) -> None:
    for message in mail:
        for writer in writers:
            writer.add(message)
