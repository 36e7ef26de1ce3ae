"""vCards as Google, Apple and Outlook write them (2.1, 3.0, 4.0), broken ones, and vCards out."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.domain.imported import Card, RowProblem
from followup.errors import InvalidInputError
from followup.importers.vcard import VobjectCards

DATA = Path(__file__).parent.parent / "data" / "import"


def cards(name: str) -> list[Card | RowProblem]:
    return VobjectCards().read((DATA / name).read_bytes(), name).rows


def test_google_contacts() -> None:
    jane, sam, nameless = cards("google-contacts.vcf")
    assert jane == Card(
        line=1,
        name="Jane Doe",
        emails=("jane@northwind.example", "jane.doe@gmail.com"),
        phone="+1 312-555-0100",
        organisation="Northwind Traders",
        title="Engineering Manager",
        linkedin_url="https://www.linkedin.com/in/jane-doe-1a2b3c",  # Google writes https\://
        notes="Met at PyCon US 2024, talked about the billing pipeline and their move to streaming.\n"
        "Asked me to follow up in the spring.",  # a folded line, unfolded
        categories=("myContacts", "Job search"),
    )
    assert isinstance(sam, Card)
    assert sam.emails == ("sam.okafor@outlook.com",)
    assert isinstance(nameless, RowProblem)
    assert (nameless.line, nameless.field) == (24, "FN")


def test_apple_contacts_with_item_groups_and_labels() -> None:
    raj, company = cards("apple-contacts.vcf")
    assert isinstance(raj, Card)
    assert raj.emails == ("raj@contoso.example", "raj.patel@icloud.com")  # the preferred one first
    assert raj.organisation == "Contoso Ltd."
    assert raj.linkedin_url == "https://www.linkedin.com/in/rajpatel"  # from X-SOCIALPROFILE
    assert raj.notes == "Referred me to the platform team.\nWeb: https://contoso.example/people/raj"
    assert isinstance(company, Card)
    assert (company.name, company.emails) == ("Fabrikam Recruiting", ("talent@fabrikam.example",))


def test_outlook_21_with_quoted_printable_in_windows_1252() -> None:
    [juergen] = cards("outlook-2.1.vcf")
    assert isinstance(juergen, Card)
    assert juergen.name == "Jürgen Müller"
    assert juergen.phone == "+49 170 1234567"  # TEL;CELL before TEL;WORK
    assert juergen.organisation == "Fabrikam GmbH"
    assert juergen.notes == "Erstes Gespräch am 3. März.\nRückruf vereinbart, sehr freundlich."  # soft breaks


def test_outlook_30_with_a_picture_and_x_ms_properties() -> None:
    [linh] = cards("outlook-3.0.vcf")
    assert isinstance(linh, Card)
    assert (linh.name, linh.emails, linh.title) == (
        "Linh Nguyen",
        ("linh.nguyen@tailspin.example",),
        "Recruiter",
    )


def test_vcard_40_with_unknown_properties() -> None:
    [amelie] = cards("vcard-4.0.vcf")
    assert isinstance(amelie, Card)
    assert amelie.phone == "+33-1-23-45-67-89"  # tel: URI
    assert amelie.linkedin_url == "https://www.linkedin.com/in/amelie-laurent/"
    assert VobjectCards().read((DATA / "vcard-4.0.vcf").read_bytes(), "x").version == "4.0"


def test_broken_cards_are_skipped_with_their_line_and_the_others_read() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Address\r\nEMAIL:not an address\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=x-klingon:Q=E4pla\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Ended\r\n"
    )
    rows = VobjectCards().read(text.encode(), "x.vcf").rows
    good, address, colon, charset, unended = rows
    assert isinstance(good, Card)
    assert good.name == "Good One"
    assert isinstance(address, RowProblem)
    assert (address.line, address.field) == (6, "EMAIL")
    assert "'not an address' is not valid" in address.message
    assert isinstance(colon, RowProblem)
    assert colon.line == 11
    assert "cannot be read" in colon.message
    assert isinstance(charset, RowProblem)
    assert (charset.line, charset.field) == (15, "FN")
    assert "charset 'x-klingon'" in charset.message
    assert isinstance(unended, RowProblem)
    assert (unended.line, unended.message) == (19, "the card has no END:VCARD line.")


def test_a_file_without_cards() -> None:
    with pytest.raises(InvalidInputError) as error:
        VobjectCards().read(b"Name,Email\nJane,jane@example.org\n", "contacts.csv")
    assert "holds no vCard" in error.value.message


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_cards_written_read_back_the_same(version: str) -> None:
    card = Card(
        line=0,
        name="Jürgen Müller, PhD",
        emails=("juergen@fabrikam.example", "jm@example.org"),
        phone="+49 170 1234567",
        organisation="Fabrikam; Vertrieb, GmbH",
        title="Head of Talent, EMEA",
        linkedin_url="https://www.linkedin.com/in/jm",
        notes="Line one; with, commas\nline two \\ backslash",
        categories=("network",),
    )
    data = VobjectCards().write([card], version=version)
    assert f"VERSION:{version}".encode() in data
    found = VobjectCards().read(data, "x.vcf")
    assert found.version == version
    assert found.rows == [card._replace(line=1)]
