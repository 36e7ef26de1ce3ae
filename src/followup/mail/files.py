"""Messages from files: an mbox (a Gmail Takeout export), a Maildir folder, .eml files (the MailFiles port).

The mbox is read in large blocks and split at its "From " lines, one message in memory at a time, so a
mailbox of any size streams through in little memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from followup.errors import InvalidInputError
from followup.ports import MailFile

KINDS = ("mbox", "maildir", "eml")
_BLOCK = 1 << 20
_SEPARATOR = b"\nFrom "


class MailFolderFiles:
    def size(self, kind: str, path: Path) -> int:
        return sum(os.path.getsize(p) for p in self._paths(kind, path))

    def messages(self, kind: str, path: Path) -> Iterator[MailFile]:
        if kind == "mbox":
            yield from _mbox(path)
            return
        done = 0
        for file in self._paths(kind, path):
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise InvalidInputError(f"Cannot read {file}: {exc.strerror or exc}.") from exc
            done += len(data)
            yield MailFile(str(file), data, done)

    def _paths(self, kind: str, path: Path) -> list[Path]:
        if kind not in KINDS:
            raise InvalidInputError(
                f"Unknown kind of mail file {kind!r}.", hint=f"Use one of {', '.join(KINDS)}."
            )
        if not path.exists():
            raise InvalidInputError(
                f"{path} does not exist.", hint="Give the path of the file or folder to read."
            )
        if kind == "mbox":
            if not path.is_file():
                raise InvalidInputError(
                    f"{path} is not a file.", hint="An mbox is one file (e.g. All mail.mbox)."
                )
            return [path]
        if kind == "maildir":
            folders = [path / "cur", path / "new"]
            if not any(f.is_dir() for f in folders):
                raise InvalidInputError(
                    f"{path} is not a Maildir folder: it has no cur/ or new/ inside.",
                    hint="Give the folder that holds cur/ and new/ (e.g. ~/Maildir or ~/Maildir/.Sent).",
                )
            return sorted(p for f in folders if f.is_dir() for p in f.iterdir() if p.is_file())
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
            if not found:
                raise InvalidInputError(
                    f"{path} holds no .eml files.", hint="Give an .eml file or a folder of them."
                )
            return found
        return [path]


def _mbox(path: Path) -> Iterator[MailFile]:
    """Each message of an mbox, without its "From " separator line; `>From ` quoting is undone."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with handle:
        pending, done, number, line = b"", 0, 0, 1
        while True:
            block = handle.read(_BLOCK)
            pending += block
            start = 0
            while (cut := pending.find(_SEPARATOR, start)) >= 0 or (not block and start < len(pending)):
                end = cut + 1 if cut >= 0 else len(pending)
                message = pending[start:end]
                done += len(message)
                if message.strip():
                    number += 1
                    yield MailFile(f"{path.name}, message {number} (line {line})", _strip(message), done)
                line += message.count(b"\n")
                start = end
            pending = pending[start:]
            if not block:
                break


def _strip(message: bytes) -> bytes:
    if message.startswith(b"From "):
        message = message[message.find(b"\n") + 1 :]
    if b"\n>From " in message:
        message = message.replace(b"\n>From ", b"\nFrom ")
    return message
