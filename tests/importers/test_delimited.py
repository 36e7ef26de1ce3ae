"""Delimited text as spreadsheets write it: encodings, separators, quotes, the header row, and errors."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.columns import recognised
from followup.domain.imported import Sheet
from followup.errors import InvalidInputError
from followup.importers.delimited import _check_closed, _records, read_sheet, write_sheet

DATA = Path(__file__).parent.parent / "data" / "import"


def read(data: bytes, **options: str) -> Sheet:
    return read_sheet(data, "test.csv", header_score=recognised, **options)  # type: ignore[arg-type]


def test_excel_in_windows_1252() -> None:
    sheet = read_sheet((DATA / "excel-windows-1252.csv").read_bytes(), "x", header_score=recognised)
    assert (sheet.encoding, sheet.delimiter, sheet.header_line) == ("Windows-1252", ",", 1)
    assert sheet.headers[:3] == ("Company", "Job Title", "Status")
    line, cells = sheet.rows[1]
    assert line == 3
    assert cells[0] == "Société Générale"
    assert cells[5] == "Recruiter said they\u2019d call back, maybe"  # 0x92 in Windows-1252


def test_excel_unicode_text_is_tab_separated_utf16() -> None:
    sheet = read_sheet((DATA / "excel-unicode-text.txt").read_bytes(), "x", header_score=recognised)
    assert (sheet.encoding, sheet.delimiter) == ("UTF-16", "\t")
    assert sheet.headers == ("Company", "Position", "Stage", "Applied On", "URL", "Location", "Source")
    assert [cells[5] for _, cells in sheet.rows] == ["München", "Remote", "Austin, TX"]


def test_semicolons_are_found() -> None:
    sheet = read_sheet((DATA / "semicolon.csv").read_bytes(), "x", header_score=len)
    assert sheet.delimiter == ";"
    assert sheet.rows[0][1][4] == "Gespräch mit Frau Müller; sehr nett"


def test_utf16_without_its_byte_order_mark() -> None:
    text = "Company\tTitle\nContoso\tEngineer\n"
    sheet = read(text.encode("utf-16-le"))
    assert sheet.rows == [(2, ["Contoso", "Engineer"])]


def test_quoted_commas_and_newlines_keep_their_line_numbers() -> None:
    text = (
        'Company,Title,Notes\r\n"Contoso, Ltd.",Engineer,"line one\r\nline two"\r\n'
        "\r\n,,\r\nFabrikam,Analyst,\r\n"
    )
    sheet = read(text.encode())
    assert sheet.rows == [
        (2, ["Contoso, Ltd.", "Engineer", "line one\r\nline two"]),
        (6, ["Fabrikam", "Analyst", ""]),  # the blank row and the row of empty cells are left out
    ]


def test_the_header_row_below_a_title() -> None:
    text = "My job search 2026,,\r\n,,\r\nCompany,Job Title,Status\r\nContoso,Engineer,Applied\r\n"
    sheet = read(text.encode())
    assert sheet.header_line == 3
    assert sheet.rows == [(4, ["Contoso", "Engineer", "Applied"])]


@pytest.mark.parametrize(
    ("data", "message", "hint"),
    [
        (b"PK\x03\x04rest of a zip", "is a workbook (.xlsx or .ods), not a text file", "Save As > CSV UTF-8"),
        (b"", "test.csv is empty", "Export the file again"),
        (b"a,b\n\x81\x8d,\x90\n", "byte 0x81 on line 2 is not a character", "--encoding cp1252"),
        (b"Company,Title\nA,B\x00\n", "NUL character on line 2", "Save the file as UTF-8"),
        (b'Company,Title\n"Contoso,Engineer\nFabrikam,Analyst\n', "line 2: a quoted cell opens here", '""'),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, message: str, hint: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        read(data)
    assert message in error.value.message
    assert hint in (error.value.hint or "")


def test_an_encoding_can_be_named() -> None:
    sheet = read("Company,Title\nCafé,Chef\n".encode("latin-1"), encoding="latin-1")
    assert sheet.rows[0][1][0] == "Café"
    with pytest.raises(InvalidInputError) as error:
        read(b"a,b\n", encoding="klingon")
    assert "'klingon' is not an encoding" in error.value.message


def test_written_csv_opens_in_excel_and_reads_back() -> None:
    data = write_sheet(["Company", "Notes"], [["Société, Générale", "two\nlines"], ["Contoso", None]])
    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in data
    sheet = read(data)
    assert sheet.rows == [(2, ["Société, Générale", "two\nlines"]), (4, ["Contoso", ""])]


def _records_one_by_one(text: str) -> list[tuple[int, list[str]]]:
    """What `_records` gives, the slow way: the line each record starts on, blank records left out,
    and a quote left open said."""
    reader = csv.reader(io.StringIO(text, newline=""))
    found, previous = [], 0
    for cells in reader:
        start, previous = previous + 1, reader.line_num
        if "".join(cells).strip():
            found.append((start, cells))
    if found and previous > found[-1][0]:
        _check_closed(text, found[-1][0], "f.csv")
    return found


_PIECES = st.lists(st.sampled_from(["a", "é", ",", '"', "\n", "\r\n", " ", "\t"]), max_size=60).map("".join)


@given(_PIECES)
@settings(max_examples=400, deadline=None)
def test_records_and_their_lines_whether_or_not_a_cell_spans_lines(text: str) -> None:
    """A file without line breaks in its cells is read whole at once; any file gives the same records
    on the same lines as reading record by record, or the same message."""
    try:
        expected = _records_one_by_one(text)
    except (csv.Error, InvalidInputError):
        with pytest.raises(InvalidInputError):
            _records(text, ",", limit=None, source="f.csv")
        return
    assert _records(text, ",", limit=None, source="f.csv") == expected
