"""Spreadsheet rows as records: a bad cell makes its row a problem with its line, its header and a fix."""

from __future__ import annotations

from datetime import date

from followup.domain.columns import Field, Kind, MapFile, choose_columns
from followup.domain.imported import RowProblem
from followup.domain.model import Source, Stage
from followup.domain.sheets import OpportunityRow, PersonRow, RowReader, date_order

HEADERS = ["Company", "Job Title", "Status", "Date Applied", "Link", "Source", "Contact", "Contact Email"]


def reader(headers: list[str] = HEADERS, **options: object) -> RowReader:
    columns = choose_columns(headers, MapFile(), kind=None)
    return RowReader(headers, columns, order="mdy", **options)  # type: ignore[arg-type]


def test_an_opportunity_row() -> None:
    row = reader().read(
        2,
        [
            "Northwind Traders",
            "Data Engineer",
            "Phone screen",
            "11/02/2026",
            "https://n.example/42",
            "LinkedIn",
            "Jane Doe",
            "jane@northwind.example",
        ],
    )
    assert isinstance(row, OpportunityRow)
    assert row.opportunity.company == "Northwind Traders"
    assert row.opportunity.source is Source.JOB_BOARD
    assert row.stage is Stage.SCREENING
    assert row.applied_on == date(2026, 11, 2)
    assert row.contact is not None
    assert (row.contact.name, [e.address for e in row.contact.emails]) == (
        "Jane Doe",
        ["jane@northwind.example"],
    )
    assert row.contact.organisation == "Northwind Traders"


def test_a_short_row_reads_its_missing_cells_as_empty() -> None:
    row = reader().read(3, ["Contoso", "Platform Engineer"])
    assert isinstance(row, OpportunityRow)
    assert (row.stage, row.applied_on, row.contact) == (None, None, None)


def test_bad_cells_name_their_line_and_header() -> None:
    r = reader()
    cases = {
        4: (["", "Data Engineer"], "Company", "the company is empty."),
        5: (["Contoso", "Engineer", "Maybe"], "Status", "the status 'Maybe' names no stage."),
        6: (["Contoso", "Engineer", "", "02/30/2026"], "Date Applied", "'02/30/2026' is not a date"),
        7: (["Contoso", "Engineer", "", "", "careers page"], "Link", "the URL 'careers page' is not a web"),
        8: (["Contoso", "Engineer", "", "", "", "", "Jo", "jo@@x"], "Contact Email", "is not valid"),
    }
    for line, (cells, header, message) in cases.items():
        problem = r.read(line, cells)
        assert isinstance(problem, RowProblem), line
        assert (problem.line, problem.field) == (line, header)
        assert message in problem.message
        assert problem.fix


def test_a_people_row_with_first_and_last_names() -> None:
    headers = ["First Name", "Last Name", "Email", "Phone", "Company", "Title", "LinkedIn", "Time Zone"]
    r = reader(headers, network=True)
    row = r.read(
        2,
        [
            "Amélie",
            "Laurent",
            "amelie@tailspin.example; A.Laurent@Gmail.com",
            "+33 1 23 45 67 89",
            "Tailspin Toys",
            "CTO",
            "https://www.linkedin.com/in/amelie",
            "Europe/Paris",
        ],
    )
    assert isinstance(row, PersonRow)
    p = row.person
    assert (p.name, p.organisation, p.timezone, p.in_network) == (
        "Amélie Laurent",
        "Tailspin Toys",
        "Europe/Paris",
        True,
    )
    assert [e.address for e in p.emails] == ["amelie@tailspin.example", "A.Laurent@gmail.com"]
    problem = r.read(3, ["", "", "x@y.example"])
    assert isinstance(problem, RowProblem)
    assert (problem.field, problem.message) == ("First Name", "the name is empty.")
    problem = r.read(4, ["A", "B", "", "", "", "", "", "Mars/Olympus"])
    assert isinstance(problem, RowProblem)
    assert problem.field == "Time Zone"


def test_the_date_order_of_a_file() -> None:
    columns = choose_columns(HEADERS, MapFile(), kind=Kind.OPPORTUNITIES)
    rows = [(2, ["a", "b", "", "25/12/2026"]), (3, ["a", "b", "", "03/04/2026"])]
    assert date_order(rows, columns, given=None, default="mdy") == ("dmy", None)
    order, note = date_order(rows[1:], columns, given=None, default="mdy")
    assert order == "mdy"
    assert note is not None
    assert "--dates dmy" in note
    assert date_order(rows, columns, given="ymd", default="mdy") == ("ymd", None)
    assert Field.APPLIED in columns.index
