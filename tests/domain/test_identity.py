"""Who is who: LinkedIn profile, then address, then name and organisation; blanks filled, nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.identity import (
    Entry,
    OpportunityIndex,
    PeopleIndex,
    adds_nothing,
    fill_person,
    linkedin_key,
    linkedin_keys,
    organisation_key,
    surely_unchanged,
    url_key,
)
from followup.domain.model import EmailAddress, Opportunity, Person


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/jane-doe-1a2b3c",
        "http://linkedin.com/in/jane-doe-1a2b3c/",
        "https://uk.linkedin.com/in/Jane-Doe-1a2b3c?trk=public_profile",
        "https://www.linkedin.com/in/jane%2Ddoe-1a2b3c#about",
    ],
)
def test_one_profile_however_written(url: str) -> None:
    assert linkedin_key(url) == "linkedin.com/in/jane-doe-1a2b3c"


def test_organisations_and_postings_compare_loosely() -> None:
    assert organisation_key("Northwind Traders, Inc.") == organisation_key("northwind traders")
    assert organisation_key("Fabrikam GmbH") == "fabrikam"
    assert url_key("https://WWW.Careers.example/jobs/42/#apply") == url_key("https://careers.example/jobs/42")


JANE = Person(
    name="Jane Doe",
    emails=(EmailAddress("jane@northwind.example"),),
    organisation="Northwind Traders",
    linkedin_url="https://www.linkedin.com/in/jane-doe",
    id=1,
)
RAJ = Person(name="Raj Patel", organisation="Contoso", id=2)


def test_the_matching_order() -> None:
    index = PeopleIndex([JANE, RAJ])
    by_profile = Person(name="J. Doe", linkedin_url="http://linkedin.com/in/jane-doe/")
    assert index.find(by_profile)[:2] == (index.by_linkedin["linkedin.com/in/jane-doe"], "LinkedIn profile")
    found, how, _ = index.find(Person(name="Someone", emails=(EmailAddress("JANE@northwind.example"),)))
    assert (found is not None and found.id, how) == (1, "e-mail address")
    found, how, _ = index.find(Person(name="raj  patel", organisation="Contoso Ltd."))
    assert (found is not None and found.id, how) == (2, "name and organisation")
    assert index.find(Person(name="Raj Patel", organisation="Fabrikam"))[0] is None


def test_two_people_of_one_name_with_different_profiles_stay_two() -> None:
    index = PeopleIndex([JANE])
    other = Person(
        name="Jane Doe", organisation="Northwind Traders", linkedin_url="https://linkedin.com/in/jd2"
    )
    assert index.find(other)[0] is None


def test_an_ambiguous_name_is_reported_with_the_candidates() -> None:
    index = PeopleIndex([RAJ, Person(name="Raj Patel", organisation="Contoso", id=3)])
    found, _how, candidates = index.find(Person(name="Raj Patel", organisation="Contoso"))
    assert found is None
    assert sorted(e.id for e in candidates) == [2, 3]


def test_filling_in_never_overwrites() -> None:
    found = Person(
        name="Jane D.",
        emails=(EmailAddress("jane.doe@gmail.com"), EmailAddress("Jane@Northwind.example")),
        organisation="Contoso",
        title="CTO",
        in_network=True,
    )
    filled = fill_person(JANE, found)
    assert filled.name == "Jane Doe"
    assert filled.organisation == "Northwind Traders"
    assert filled.title == "CTO"
    assert filled.in_network
    assert [e.address for e in filled.emails] == ["jane@northwind.example", "jane.doe@gmail.com"]
    assert fill_person(filled, found) == filled  # a second time changes nothing


def test_opportunities_by_posting_then_by_company_and_title() -> None:
    known = Opportunity(
        "Northwind Traders", "Data Engineer", url="https://careers.northwind.example/42", id=7
    )
    index = OpportunityIndex([known])
    assert index.find(Opportunity("Other name", "Other title", url="https://careers.northwind.example/42/"))[
        1
    ] == ("posting address")
    found, how = index.find(Opportunity("Northwind Traders Inc", "data engineer"))
    assert (found is not None and found.id, how) == (7, "company and role title")
    assert (
        index.find(Opportunity("Northwind Traders", "Data Engineer", url="https://other.example/1"))[0]
        is None
    )
    entry = Entry(Opportunity("Contoso", "Platform Engineer"), line=3, new=True)
    index.add(entry)
    assert index.find(Opportunity("contoso", "platform engineer"))[0] is entry
    index.discard(entry)
    assert index.find(Opportunity("contoso", "platform engineer"))[0] is None


_PROFILE_FORMS = st.sampled_from([
    None, "", "https://www.linkedin.com/in/jane-doe-1a2b3c", "https://www.linkedin.com/in/Jane-Doe",
    "https://www.linkedin.com/in/amélie-laurent", "https://www.linkedin.com/in/straße",
    "https://www.linkedin.com/in/raj/", "https://www.linkedin.com/in/raj?trk=x", "https://www.linkedin.com/in/di%C3%A9",
    " https://www.linkedin.com/in/wei ", "https://www.linkedin.com/in/kenji\t", "http://linkedin.com/in/bo", "https://de.linkedin.com/in/cy",
    "https://www.linkedin.com/in/a\nb", "linkedin.com/in/x", "HTTPS://WWW.LINKEDIN.COM/IN/Y",
])  # fmt: skip


@given(st.lists(_PROFILE_FORMS, max_size=12))
def test_a_column_of_profiles_gets_the_keys_each_would_get(urls: list[str | None]) -> None:
    """Folding and cutting a whole column at once gives each profile the key `linkedin_key` gives it,
    whatever forms the column mixes (the column falls back to one at a time when any is unusual)."""
    assert linkedin_keys(urls) == [linkedin_key(u) for u in urls]


def test_a_person_a_row_has_met_already_is_never_surely_unchanged() -> None:
    """`surely_unchanged` speaks for people no row has met: one that a row matched (or created) is
    left to the one-at-a-time matching, which says the second row repeats the first."""
    jane = Person(name="Jane Doe", linkedin_url="https://www.linkedin.com/in/jane", in_network=True, id=7)
    index = PeopleIndex([jane])
    keys = [linkedin_key(jane.linkedin_url)]

    def found() -> list[Entry | None]:
        return surely_unchanged(keys, [None], lambda: ["jane doe|"], index, lambda i, p: adds_nothing(p, {}))

    assert [e.id if e else None for e in found()] == [7]
    index.by_linkedin[keys[0]].line = 3  # type: ignore[index]
    assert found() == [None]
    index.by_linkedin[keys[0]].line, index.by_linkedin[keys[0]].new = None, True  # type: ignore[index]
    assert found() == [None]


def test_adds_nothing_reads_a_person_or_a_mapping_of_fields() -> None:
    stored = Person(name="Jane", organisation="Contoso", emails=(EmailAddress("jane@contoso.example"),))
    assert adds_nothing(stored, {"organisation": "Fabrikam", "title": None})  # never overwritten
    assert not adds_nothing(stored, {"title": "CTO"})
    assert adds_nothing(stored, Person(name="J"), ["JANE@contoso.example".casefold()])
    assert not adds_nothing(stored, Person(name="J"), ["jane@fabrikam.example"])
    assert fill_person(stored, Person(name="J", title="CTO")).title == "CTO"
