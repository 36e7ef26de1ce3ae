"""Reading the mailbox over IMAP, read-only: EXAMINE, UID SEARCH, header FETCH in batches, IDLE."""

from __future__ import annotations

import contextlib
import imaplib
import itertools
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from followup.errors import MailServerError
from followup.mail.imap import ImapMailbox
from followup.ports import FolderStatus

if TYPE_CHECKING:
    from imapclient import IMAPClient

log = logging.getLogger(__name__)


class ImapReader(ImapMailbox):
    """The MailReader port: one connection, the folder kept selected (read-only) between calls."""

    _selected: tuple[IMAPClient, str] | None = None  # (the connection, the folder) last examined
    _condstore: IMAPClient | None = None  # the connection CONDSTORE was enabled on

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._uidnext: dict[str, int | None] = {}  # per folder, as the last `examine` saw it
        self._ahead: _Ahead | None = None  # a header FETCH sent and not yet read
        self._ahead_read: tuple[tuple[object, ...], list[Fetched]] | None = None  # (its key, its answer)

    @property
    def account(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"

    def examine(self, folder: str) -> FolderStatus:
        # EXAMINE changes nothing: a kept connection the server dropped since (a restart, a kick) is
        # retried once on a new one, as `contains` does, rather than failing the sync.
        reused = self._client is not None
        try:
            with self._talking(f"open the folder {folder!r}") as client:
                info = self._examine(client, folder, fresh=True)
        except MailServerError:
            if not reused:
                raise
            self._selected = None
            with self._talking(f"open the folder {folder!r}") as client:
                info = self._examine(client, folder, fresh=True)
        status = FolderStatus(
            uidvalidity=_int(info.get(b"UIDVALIDITY")) or 0,
            uidnext=_int(info.get(b"UIDNEXT")),
            highest_modseq=_int(info.get(b"HIGHESTMODSEQ")),
            messages=_int(info.get(b"EXISTS")) or 0,
        )
        self._uidnext[folder] = status.uidnext
        return status

    def uids(self, folder: str, *, above: int, since: date | None) -> list[int]:
        criteria: list[object] = ["UID", f"{above + 1}:*"]
        if since is not None:
            criteria += ["SINCE", since]
        with self._talking(f"search the folder {folder!r}") as client:
            self._examine(client, folder)
            found = client.search(criteria)
        # "UID n:*" also names the last message when every UID is below n (RFC 3501 §6.4.8)
        return sorted(uid for uid in found if uid > above)

    def headers(self, folder: str, uids: Sequence[int], fields: Sequence[str]) -> list[tuple[int, bytes]]:
        if not uids:
            return []
        key = (folder, tuple(uids), tuple(fields))
        with self._talking(f"read headers in {folder!r}") as client:
            read, self._ahead_read = self._ahead_read, None
            if read is not None and read[0] == key:
                literals = read[1]
            else:
                self._examine(client, folder)
                literals = _fetch_literals(client._imap, _header_fetch(uids, fields))
        return sorted(_by_uid(literals).items())

    def headers_ahead(self, folder: str, uids: Sequence[int], fields: Sequence[str]) -> None:
        if not uids:
            return
        with self._talking(f"read headers in {folder!r}") as client:
            self._examine(client, folder)
            command = _header_fetch(uids, fields)
            tag = _send(client._imap, command)
            self._ahead = _Ahead((folder, tuple(uids), tuple(fields)), client, tag, command)

    @contextmanager
    def _talking(self, action: str) -> Iterator[IMAPClient]:
        """The connection, once the answer to headers asked for ahead is read off it (nothing else can
        be read before it: answers come in the order the commands went)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.client is self._client:
            with super()._talking(action) as client:
                self._ahead_read = (ahead.key, _read_answer(client._imap, ahead.tag, ahead.command))
        with super()._talking(action) as client:
            yield client

    def close(self) -> None:
        if self._ahead is not None:
            # its answer is read off, so that LOGOUT finds none in its way
            with contextlib.suppress(MailServerError), self._talking("read headers asked for ahead"):
                pass
        self._ahead_read = None
        super().close()

    def contents(self, folder: str, uids: Sequence[int], *, limit: int) -> dict[int, bytes]:
        if not uids:
            return {}
        with self._talking(f"read messages in {folder!r}") as client:
            self._examine(client, folder)
            literals = _fetch_literals(
                client._imap, f"UID FETCH {_uid_set(uids)} (UID BODY.PEEK[]<0.{limit}>)"
            )
            found = _by_uid(literals)
            missing = [uid for uid in uids if uid not in found]
            if missing:  # a server may send a short message as a quoted string: the general parser reads it
                response = client.fetch(missing, [f"BODY.PEEK[]<0.{limit}>"])
                found.update({uid: _body(data) for uid, data in response.items()})
        return {uid: found[uid] for uid in uids if uid in found}

    def wait(self, folder: str, timeout: float) -> bool:
        with self._talking(f"watch the folder {folder!r}") as client:
            info = self._examine(client, folder, fresh=True)
            seen = self._uidnext.get(folder)
            if seen is not None and _int(info.get(b"UIDNEXT")) != seen:
                # mail came after the last `examine` (while the sync read): IDLE would not announce it
                return True
            client.idle()
            try:
                responses = client.idle_check(timeout=timeout)
            finally:
                client.idle_done()
        self._selected = None  # after IDLE, examine again for the new counts
        return any(_announces_change(r) for r in responses)

    def _examine(self, client: IMAPClient, folder: str, *, fresh: bool = False) -> dict[bytes, object]:
        # the connection object itself, never its id(): a new connection may get a dropped one's id
        if (
            not fresh
            and self._selected is not None
            and self._selected[0] is client
            and self._selected[1] == folder
        ):
            return {}
        if self._condstore is not client:
            if b"CONDSTORE" in client.capabilities():
                client.enable("CONDSTORE")  # ask for MODSEQ where the server can give it (RFC 7162)
            self._condstore = client
        info = client.select_folder(folder, readonly=True)
        self._selected = (client, folder)
        return dict(info)


_UID = re.compile(rb"\bUID (\d+)")
_LITERAL = re.compile(rb"\{(\d+)\}\r?\n$")
_TAGS = itertools.count(1)
Fetched = tuple[bytes, bytes, bytes]  # the line before a literal, the literal, the line after it


@dataclass(frozen=True)
class _Ahead:
    key: tuple[object, ...]  # (folder, uids, fields)
    client: IMAPClient
    tag: bytes
    command: str


def _header_fetch(uids: Sequence[int], fields: Sequence[str]) -> str:
    return f"UID FETCH {_uid_set(uids)} (UID BODY.PEEK[HEADER.FIELDS ({' '.join(fields)})])"


def _fetch_literals(imap: imaplib.IMAP4, command: str) -> list[Fetched]:
    """Send one command and read its answer for the literals it holds: (the line before, the literal,
    the line after) each. imaplib's own reading files every line of a long FETCH answer away with
    regular expressions, and imapclient's parser does more: here a header FETCH is read in a third of
    the time. Other untagged answers (a new EXISTS, say) are passed over: a sync examines again."""
    return _read_answer(imap, _send(imap, command), command)


def _send(imap: imaplib.IMAP4, command: str) -> bytes:
    """Send a command under a tag of our own; its answer is to be read with `_read_answer`."""
    tag = f"FU{next(_TAGS)}".encode()
    imap.send(tag + b" " + command.encode() + b"\r\n")
    return tag


def _read_answer(imap: imaplib.IMAP4, tag: bytes, command: str) -> list[Fetched]:
    found: list[Fetched] = []
    while True:
        line = _line(imap)
        if line.startswith(tag + b" "):
            status, _, text = line[len(tag) + 1 :].partition(b" ")
            if status != b"OK":
                raise imaplib.IMAP4.error(
                    f"{command.split()[1]} failed: {text.decode('utf-8', 'replace').strip()}"
                )
            return found
        while (literal := _LITERAL.search(line)) is not None:
            data = imap.read(int(literal.group(1)))
            after = _line(imap)
            found.append((line, data, after))
            line = after  # an answer may hold more than one literal


def _by_uid(literals: list[Fetched]) -> dict[int, bytes]:
    """Each literal by the UID its FETCH answer names (before the literal or after it)."""
    found: dict[int, bytes] = {}
    for before, data, after in literals:
        uid = _UID.search(before) or _UID.search(after)
        if uid is not None:
            found[int(uid.group(1))] = data
    return found


def _line(imap: imaplib.IMAP4) -> bytes:
    line = imap.readline()
    if not line:
        raise imaplib.IMAP4.abort("the server closed the connection")
    return line


def _uid_set(uids: Sequence[int]) -> str:
    """ "1:4,7,9:10": runs of consecutive UIDs as ranges, so a batch stays a short command line."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        parts.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(parts)


def _int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return int(value) if isinstance(value, (int, str, bytes)) else None


def _body(data: dict[bytes, object]) -> bytes:
    """The fetched bytes, whatever exact name the server gave the item (`BODY[HEADER.FIELDS (…)]`)."""
    for key, value in data.items():
        if key.startswith(b"BODY[") and isinstance(value, bytes):
            return value
    return b""


def _announces_change(response: object) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")
