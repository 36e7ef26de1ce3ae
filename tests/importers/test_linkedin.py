"""LinkedIn's Connections.csv: the notes above the header, the byte-order mark, its dates and gaps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.imported import Connection, Connections, RowProblem
from followup.errors import InvalidInputError
from followup.importers.linkedin import LinkedInConnections, _read_table, _RowReader

DATA = Path(__file__).parent.parent / "data" / "import"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def read(text: str) -> list[Connection | RowProblem]:
    return LinkedInConnections().connections(text.encode("utf-8-sig"), "Connections.csv").rows


def test_the_export_as_linkedin_writes_it() -> None:
    found = LinkedInConnections().connections(
        (DATA / "linkedin-Connections.csv").read_bytes(), "Connections.csv"
    )
    assert (found.sheet.encoding, found.sheet.header_line) == ("UTF-8", 4)
    jane, raj, amelie, siobhan, nameless, wei = found.rows
    assert jane == Connection(
        5,
        "Jane Doe",
        "https://www.linkedin.com/in/jane-doe-1a2b3c",
        None,
        "Northwind Traders",
        "Engineering Manager",
        date(2024, 3, 12),
    )
    assert isinstance(raj, Connection)
    assert (raj.email, raj.position) == ("raj@contoso.example", "Director, Platform Engineering")
    assert isinstance(amelie, Connection)
    assert amelie.name == "Amélie Laurent"
    assert isinstance(siobhan, Connection)
    assert (siobhan.company, siobhan.position, siobhan.connected_on) == (None, None, date(2021, 9, 15))
    assert isinstance(nameless, RowProblem)
    assert (nameless.line, nameless.field) == (9, "First Name")
    assert "no name" in nameless.message
    assert isinstance(wei, Connection)
    assert (wei.company, wei.position) == ("Fabrikam, Inc.", "Senior Recruiter \u2013 Tech")


def test_bad_cells_are_problems_of_their_row() -> None:
    rows = read(
        "Notes:\r\nsomething\r\n\r\n"
        + HEADER
        + "Ann,Lee,https://www.linkedin.com/in/ann,,Contoso,Engineer,31 Feb 2024\r\n"
        + "Bob,Ray,linkedin.com/in/bob,,,,12 Mar 2024\r\n"
        + "Cy,Po,https://www.linkedin.com/in/cy,not-an-address,,,12 Mar 2024\r\n"
        + "Di,Su,https://www.linkedin.com/in/di,,,,\r\n"
    )
    ann, bob, cy, di = rows
    assert isinstance(ann, RowProblem)
    assert (ann.line, ann.field) == (5, "Connected On")
    assert ann.message == "'31 Feb 2024' is not a date: February 2024 has 29 days."
    assert isinstance(bob, RowProblem)
    assert (bob.field, bob.message) == ("URL", "The LinkedIn URL 'linkedin.com/in/bob' is not a web address.")
    assert isinstance(cy, RowProblem)
    assert cy.field == "Email Address"
    assert isinstance(di, Connection)
    assert di.connected_on is None


def test_a_file_without_the_header_row_is_refused_with_the_fix() -> None:
    with pytest.raises(InvalidInputError) as error:
        read("Company,Job Title\r\nContoso,Engineer\r\n")
    assert "is not LinkedIn's Connections.csv" in error.value.message
    assert "followup import csv" in (error.value.hint or "")


def test_columns_in_another_order_and_an_older_export_without_email() -> None:
    rows = read(
        "Connected On,Last Name,First Name,URL\r\n12 Mar 2024,Lee,Ann,https://www.linkedin.com/in/ann\r\n"
    )
    assert rows == [
        Connection(2, "Ann Lee", "https://www.linkedin.com/in/ann", None, None, None, date(2024, 3, 12))
    ]


# Rows as exports hold them, and now and then a cell of each kind of trouble the row reader handles.
_PLAIN = [
    ["Jane", "Doe", "https://www.linkedin.com/in/jane-doe-1a2b", "", "Contoso", "Engineer", "12 Mar 2024"],
    ["Raj", "Patel", "https://www.linkedin.com/in/raj", "raj@example.org", "", "", "1 Jan 2013"],
    ["Siobhán", "Ó Briain", "https://ie.linkedin.com/in/siobhan", "", "Fabrikam, Inc.", "CTO", ""],
]
_TEXT_TROUBLE = ["", " ", " Doe ", "a  b", "x\ty", "nbsp\u00a0", "x" * 301, " " + "y" * 299 + " "]
_URL_TROUBLE = [
    "", " ", "https://", "https:///in/x", "linkedin.com/in/bob", "https://www.linkedin.com/in/a b",
    " https://www.linkedin.com/in/raj/ ", "https://www.linkedin.com/in/\x07", "http://x.org/p",
]  # fmt: skip
_TROUBLE = st.one_of(  # (field, value); field 7 cuts the row short
    st.tuples(st.sampled_from([0, 1, 4, 5]), st.sampled_from(_TEXT_TROUBLE)),
    st.tuples(st.just(2), st.sampled_from(_URL_TROUBLE)),
    st.tuples(st.just(3), st.sampled_from(["", " ", " Raj@Example.ORG ", "not-an-address", "a@b"])),
    st.tuples(st.just(6), st.sampled_from(["", "  ", "31 Feb 2024", "Mar 12", "2024-03-12", "12 Mar 24"])),
    st.tuples(st.integers(0, 7), st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
)
_rows = st.lists(st.sampled_from(range(len(_PLAIN))), max_size=20).flatmap(
    lambda picks: st.tuples(
        st.just([list(_PLAIN[i]) for i in picks]),
        st.lists(st.tuples(st.integers(0, max(len(picks) - 1, 0)), _TROUBLE), max_size=3),
    )
)


@given(_rows, st.permutations(range(7)), st.booleans())
@settings(max_examples=500, deadline=None)
def test_reading_column_by_column_gives_what_reading_row_by_row_gives(
    rows_and_trouble: tuple[list[list[str]], list[tuple[int, tuple[int, str]]]],
    order: list[int],
    lacking: bool,
) -> None:
    """The column-wise reader (a whole column checked at once, doubtful rows read one at a time) is
    the row reader, faster: every row comes out the same, read or left out with the same problem."""
    cells, trouble = rows_and_trouble
    for row, (column, value) in trouble:
        if not cells:
            break
        if column == 7:
            del cells[row][len(value) % 7 :]  # a short row
        elif column < len(cells[row]):
            cells[row][column] = value
    rows = [(line, [c[i] for i in order if i < len(c)]) for line, c in enumerate(cells, start=5)]
    # where each field is in the shuffled row; now and then a file without the e-mail column
    positions: list[int | None] = [order.index(field) for field in range(7)]
    if lacking:
        positions[3] = None
    expected = [_RowReader(positions).read(line, list(c)) for line, c in rows]
    table, problems = _read_table(rows, _RowReader(positions))
    assert Connections(None, table, problems).rows == expected  # type: ignore[arg-type]
