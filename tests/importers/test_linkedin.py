"""LinkedIn's Connections.csv: the notes above the header, the byte-order mark, its dates and gaps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from followup.domain.imported import Connection, RowProblem
from followup.errors import InvalidInputError
from followup.importers.linkedin import LinkedInConnections

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
