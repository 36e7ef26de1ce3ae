"""Terminal output: colour when a person is watching, plain text otherwise, errors on stderr."""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

_CODES = {
    "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36,
    "bright_black": 90, "bright_green": 92,
}  # fmt: skip
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def colour_on(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def style(text: str, *, fg: str | None = None, bold: bool = False, stream: TextIO | None = None) -> str:
    if not colour_on(stream or sys.stdout):
        return text
    codes = ([str(_CODES[fg])] if fg else []) + (["1"] if bold else [])
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def unstyle(text: str) -> str:
    return _ANSI.sub("", text)


def echo(text: str = "", *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def secho(text: str, *, fg: str | None = None, bold: bool = False, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    echo(style(text, fg=fg, bold=bold, stream=stream), err=err)


def confirm(question: str) -> bool:
    """Ask on stderr (stdout may be a pipe); anything but y/yes is no."""
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in {"y", "yes"}


class Progress:
    """A progress bar on stderr, drawn only on a terminal; elsewhere it stays silent."""

    def __init__(self, label: str, *, total: int, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.label, self.total = label, max(total, 1)
        self.stream = stream or sys.stderr
        self.shown = enabled and self.stream.isatty()
        self._last = -1

    def update(self, done: int) -> None:
        percent = min(100, int(100 * done / self.total))
        if not self.shown or percent == self._last:
            return
        self._last = percent
        filled = percent * 30 // 100
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (30 - filled)}] {percent:3d}%")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown and self._last >= 0:
            self.stream.write("\n")
            self.stream.flush()
