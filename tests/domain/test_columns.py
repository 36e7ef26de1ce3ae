"""Which column holds what: headers recognised, --map, map files with their problems on their lines."""

from __future__ import annotations

import pytest

from followup.domain.columns import Field, Kind, MapFile, choose_columns, parse_map_file, parse_map_option
from followup.domain.model import Role, Stage
from followup.errors import InvalidInputError


def test_common_headers_are_recognised() -> None:
    headers = ["Company", "Job Title", "Status", "Date Applied", "Link", "Salary", "Notes", "Contact"]
    columns = choose_columns(headers, MapFile(), kind=None)
    assert columns.kind is Kind.OPPORTUNITIES
    assert columns.index == {
        Field.COMPANY: 0,
        Field.TITLE: 1,
        Field.STATUS: 2,
        Field.APPLIED: 3,
        Field.URL: 4,
        Field.NOTES: 6,
        Field.CONTACT: 7,
    }
    assert columns.ignored == ("Salary",)


def test_a_list_of_people_is_told_from_a_list_of_jobs() -> None:
    columns = choose_columns(
        ["First Name", "Last Name", "E-mail Address", "Company", "URL"], MapFile(), kind=None
    )
    assert columns.kind is Kind.PEOPLE
    assert columns.index[Field.EMAIL] == 2
    assert columns.index[Field.LINKEDIN] == 4  # among people, a URL is a profile


def test_the_map_wins_over_the_headers() -> None:
    given = MapFile(columns={Field.COMPANY: "Employer", Field.TITLE: "Company"})
    columns = choose_columns(["Company", "Employer"], given, kind=None)
    assert columns.index[Field.COMPANY] == 1
    assert columns.index[Field.TITLE] == 0


def test_a_missing_column_names_the_fix() -> None:
    with pytest.raises(InvalidInputError) as error:
        choose_columns(["Firma", "Stelle"], MapFile(), kind=Kind.OPPORTUNITIES)
    assert "No column holds the company" in error.value.message
    assert "'Firma', 'Stelle'" in error.value.message
    assert '--map company="Employer"' in (error.value.hint or "")
    with pytest.raises(InvalidInputError) as error:
        choose_columns(["Firma"], MapFile(columns={Field.COMPANY: "Company"}), kind=None)
    assert "no such column" in error.value.message


def test_map_options() -> None:
    assert parse_map_option("company=Employer, title=\"Job Title, EN\",applied='Applied On'") == {
        Field.COMPANY: "Employer",
        Field.TITLE: "Job Title, EN",
        Field.APPLIED: "Applied On",
    }
    assert parse_map_option("role=Position,stage=State") == {Field.TITLE: "Position", Field.STATUS: "State"}
    with pytest.raises(InvalidInputError) as error:
        parse_map_option("compny=Employer")
    assert "'compny' is not a field" in error.value.message
    with pytest.raises(InvalidInputError):
        parse_map_option("company")


def test_a_map_file_and_its_problems_on_their_lines() -> None:
    text = """\
kind = "opportunities"
dates = "dmy"

[columns]
company = "Firma"
titel = "Stelle"
applied = 3

[status]
"Beworben" = "applied"
"Absage" = "nope"
contact_role = "boss"
"""
    found, problems = parse_map_file(text)
    assert found.kind is Kind.OPPORTUNITIES
    assert found.dates == "dmy"
    assert found.columns == {Field.COMPANY: "Firma"}  # the valid parts still apply
    assert found.status == {"beworben": Stage.APPLIED}
    assert [(p.line, p.where) for p in problems] == [
        (6, "columns.titel"),
        (7, "columns.applied"),
        (11, "status.Absage"),
        (12, "status.contact_role"),
    ]
    assert "'titel' is not a field" in problems[0].message
    assert "'nope' is not a stage" in problems[2].message


def test_a_map_file_that_is_not_toml() -> None:
    found, problems = parse_map_file('[columns]\ncompany = "Firma\n')
    assert found == MapFile()
    assert problems[0].line == 2
    assert problems[0].where == "TOML"


def test_top_level_keys_of_a_map_file() -> None:
    found, problems = parse_map_file('contact_role = "hiring-manager"\nkind = "jobs"\nfoo = 1\n')
    assert found.contact_role is Role.HIRING_MANAGER
    assert [(p.line, p.where) for p in problems] == [(2, "kind"), (3, "foo")]
