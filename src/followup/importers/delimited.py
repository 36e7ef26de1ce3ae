"""Delimited text files (CSV, semicolon- or tab-separated): encoding, separator, header row, lines.

Named for what it reads rather than `csv.py`, so that `import csv` inside this package is the standard
library's. Excel writes CSV in the machine's code page (Windows-1252 in the West) unless told "CSV
UTF-8", separates with semicolons where the decimal mark is a comma, and saves "Unicode text" as
tab-separated UTF-16 with a byte-order mark; all of these are read without being told.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, count

from followup.domain.imported import Sheet
from followup.errors import InvalidInputError

SEPARATORS = (",", ";", "\t", "|")
_SCAN_ROWS = 50  # the header row is looked for among the first rows,
_SCAN_CHARS = 256 * 1024  # in the first lines of the file up to this size
_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
ENCODING_FIX = (
    "Save the file as UTF-8 (Excel: File > Save As > CSV UTF-8), or name its encoding, "
    "e.g. --encoding cp1252 or --encoding utf-16."
)


def separator_name(delimiter: str) -> str:
    return _NAMES.get(delimiter, repr(delimiter))


def decode(data: bytes, source: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and, in words, how it was decoded."""
    if data[:4] == b"PK\x03\x04":
        raise InvalidInputError(
            f"{source} is a workbook (.xlsx or .ods), not a text file.",
            hint="Save it as CSV first (Excel: File > Save As > CSV UTF-8; LibreOffice: Save As > Text CSV).",
        )
    if encoding is not None:
        return _decode_as(data, source, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, source, "utf-8-sig"), "UTF-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, source, "utf-16"), "UTF-16"
    head = data[:2000]
    if head and head.count(0) > len(head) // 4:  # UTF-16 without its byte-order mark
        little = head[1::2].count(0) > head[0::2].count(0)
        name = "utf-16-le" if little else "utf-16-be"
        return _decode_as(data, source, name), "UTF-16"
    try:
        return _text(data.decode("utf-8"), source), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return _text(data.decode("cp1252"), source), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(data, source, exc, "UTF-8 or Windows-1252") from None


def _decode_as(data: bytes, source: str, encoding: str) -> str:
    try:
        return _text(data.decode(encoding), source)
    except LookupError:
        raise InvalidInputError(
            f"{encoding!r} is not an encoding Python knows.",
            hint="Give one such as utf-8, cp1252, latin-1 or utf-16 (--encoding).",
        ) from None
    except UnicodeDecodeError as exc:
        raise _undecodable(data, source, exc, encoding) from None


def _text(text: str, source: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInputError(
            f"{source} holds a NUL character on line {line}: it is not a text file, or not in this encoding.",
            hint=ENCODING_FIX,
        )
    return text


def _undecodable(data: bytes, source: str, exc: UnicodeDecodeError, tried: str) -> InvalidInputError:
    line = data.count(b"\n", 0, exc.start) + 1
    return InvalidInputError(
        f"{source} is not text in {tried}: byte 0x{data[exc.start]:02x} on line {line} is not a character.",
        hint=ENCODING_FIX,
    )


def read_sheet(
    data: bytes,
    source: str,
    *,
    header_score: Callable[[Sequence[str]], int],
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sheet:
    """The rows of a file, below its header row: the row among the first ones that `header_score`
    likes best (LinkedIn puts notes above it), cut with the separator that makes the best header."""
    text, how = decode(data, source, encoding)
    if not text.strip():
        raise InvalidInputError(f"{source} is empty.", hint="Export the file again; it has no rows.")
    choices = [delimiter] if delimiter else list(SEPARATORS)
    best: tuple[tuple[int, int], str, int] | None = None
    top = _top(text)
    for candidate in choices:
        head = _records(top, candidate, limit=_SCAN_ROWS)
        for number, (_line, cells) in enumerate(head):
            if len(cells) < 2 and not (len(choices) == 1 or len(head) == 1):
                continue
            score = (header_score(cells), len(cells))
            if best is None or score > best[0]:
                best = (score, candidate, number)
    if best is None:  # one column and nothing recognised: the first row is the header
        best = ((0, 1), choices[0], 0)
    _, chosen, header_index = best
    records = _records(text, chosen, limit=None, source=source)
    header_line, headers = records[header_index]
    return Sheet(how, chosen, header_line, tuple(h.strip() for h in headers), records[header_index + 1 :])


def _top(text: str) -> str:
    """The first lines of a file, where its header row is looked for (not a copy of all of it per
    separator tried)."""
    if len(text) <= _SCAN_CHARS:
        return text
    end = text.rfind("\n", 0, _SCAN_CHARS)
    return text[: end + 1] if end > 0 else text


def _records(
    text: str, delimiter: str, *, limit: int | None, source: str = ""
) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        whole = list(reader) if limit is None else None
        if whole is not None and reader.line_num == len(whole):
            # a record a line (no cell holds a line break): the lines are counted, not followed
            found = list(compress(zip(count(1), whole), map(str.strip, map("".join, whole))))
            previous = reader.line_num
        else:
            if whole is not None:  # read again, record by record, to follow the lines
                reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for cells in reader:
                start, previous = previous + 1, reader.line_num
                if (cells and cells[0].strip()) or "".join(cells).strip():  # ",,," is a blank row too
                    found.append((start, cells))
                    if limit is not None and len(found) >= limit:
                        break
    except csv.Error as exc:
        if limit is not None:
            return found
        raise InvalidInputError(
            f"{source}, line {reader.line_num}: {exc}.",
            hint="Open the file in a spreadsheet and save it again as CSV.",
        ) from None
    if limit is None and found and previous > found[-1][0]:
        _check_closed(text, found[-1][0], source)
    return found


def _check_closed(text: str, start: int, source: str) -> None:
    """A quote opened and never closed swallows the rest of the file into one cell: say where."""
    tail = text.split("\n")[start - 1 :]
    if "".join(tail).count('"') % 2:
        raise InvalidInputError(
            f"{source}, line {start}: a quoted cell opens here and is never closed, so the rest of the "
            "file would be read as one cell.",
            hint='Close the quote (a quote inside a cell is written twice: "") or remove it; import again.',
        )


class DelimitedSheets:
    """The SheetFiles port."""

    def read(
        self,
        data: bytes,
        source: str,
        *,
        header_score: Callable[[Sequence[str]], int],
        encoding: str | None = None,
    ) -> Sheet:
        return read_sheet(data, source, header_score=header_score, encoding=encoding)

    def write(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
        return write_sheet(headers, rows)


def write_sheet(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV as spreadsheets open it: UTF-8 with a byte-order mark (so Excel reads accents), commas,
    CRLF, quotes where needed. None becomes an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
