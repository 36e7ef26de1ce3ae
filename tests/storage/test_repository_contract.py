"""The storage contract: the same behaviour on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    InterviewStatus,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Source,
    Stage,
)
from followup.errors import StorageError
from followup.storage.database import Database, DatabaseLocation
from followup.storage.repository import SqlRepository
from followup.storage.schema import ensure_schema
from tests.conftest import NOW


@pytest.fixture
def repo(db_url: str) -> Iterator[SqlRepository]:
    db = Database(DatabaseLocation.parse(db_url))
    ensure_schema(db)
    repository = SqlRepository(db)
    yield repository
    repository.close()


# Text that both databases can hold: PostgreSQL refuses NUL in text, and nobody types surrogates.
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2090, 1, 1),
    timezones=st.sampled_from(
        [UTC, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Chatham")]
    ),
)
opportunities = st.builds(
    Opportunity,
    company=text.filter(str.strip),
    title=text,
    url=st.none() | st.just("https://careers.northwind.example/jobs/42"),
    source=st.none() | st.sampled_from(Source),
    location=st.none() | text,
    decision_expected=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    notes=text,
    created_at=moments,
)
_counter = iter(range(10**9))
people = st.builds(
    lambda p, n: dataclasses.replace(
        p, emails=tuple(EmailAddress(f"p{n}.{i}@Example.org", bad=i == 1) for i in range(n % 3))
    ),
    st.builds(
        Person,
        name=text.filter(str.strip),
        phone=st.none() | st.just("+1 312 555 0142"),
        organisation=st.none() | text,
        title=st.none() | text,
        timezone=st.none() | st.just("Europe/Berlin"),
        country=st.none() | st.just("DE"),
        cadence_days=st.none() | st.integers(1, 3650),
        in_network=st.booleans(),
        linkedin_url=st.none() | st.just("https://www.linkedin.com/in/jane-doe"),
        notes=text,
        created_at=moments,
    ),
    st.builds(lambda: next(_counter)),
)


def same_instant(a: datetime | None, b: datetime | None) -> bool:
    """Equal instants, the stored one in UTC (compared in UTC: PEP 495 makes fold times unequal)."""
    if a is None or b is None:
        return a is b
    return a.astimezone(UTC) == b and b.tzinfo is UTC


def utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(opportunity=opportunities)
def test_opportunity_round_trips(repo: SqlRepository, opportunity: Opportunity) -> None:
    new_id = repo.add_opportunity(opportunity)
    stored = repo.get_opportunity(new_id, now=NOW)
    assert stored is not None
    assert stored.opportunity == dataclasses.replace(
        opportunity, id=new_id, created_at=utc(opportunity.created_at)
    )
    assert same_instant(opportunity.created_at, stored.opportunity.created_at)
    assert stored.state.stage is Stage.LEAD


@SLOW
@given(person=people)
def test_person_round_trips(repo: SqlRepository, person: Person) -> None:
    new_id = repo.add_person(person)
    stored = repo.get_person(new_id, now=NOW)
    assert stored is not None
    assert stored.person == dataclasses.replace(person, id=new_id, created_at=utc(person.created_at))
    for email in person.emails:
        found = repo.person_with_email(email.address.upper())
        assert found is not None
        assert found.id == new_id


def _opportunity(
    repo: SqlRepository, company: str = "Northwind Traders", title: str = "Data Engineer"
) -> int:
    return repo.add_opportunity(Opportunity(company=company, title=title, created_at=NOW))


def _person(repo: SqlRepository, name: str, *emails: str, org: str | None = None) -> int:
    return repo.add_person(
        Person(name=name, emails=tuple(EmailAddress(e) for e in emails), organisation=org, created_at=NOW)
    )


@SLOW
@given(
    kind=st.sampled_from(InteractionKind),
    direction=st.sampled_from(Direction),
    occurred=moments,
    subject=st.none() | text,
    answered=st.none() | st.booleans(),
    caller=st.none() | st.sampled_from(Caller),
    refs=st.lists(st.from_regex(r"<[a-z0-9.]{1,12}@[a-z]{1,8}\.example>", fullmatch=True), max_size=3),
    outcome=st.none() | st.sampled_from(Outcome),
    stage=st.none() | st.sampled_from(Stage),
)
def test_interaction_round_trips(
    repo: SqlRepository,
    kind: InteractionKind,
    direction: Direction,
    occurred: datetime,
    subject: str | None,
    answered: bool | None,
    caller: Caller | None,
    refs: list[str],
    outcome: Outcome | None,
    stage: Stage | None,
) -> None:
    oid = _opportunity(repo)
    pid = _person(repo, "Jane Doe")
    entry = Interaction(
        kind=kind,
        occurred_at=occurred,
        direction=direction,
        opportunity_id=oid,
        person_ids=(pid,),
        subject=subject,
        notes="line one\nline two",
        answered=answered,
        caller=caller,
        message_id="<abc.123@mail.example>",
        in_reply_to=refs[-1] if refs else None,
        references=tuple(refs),
        outcome=outcome,
        stage=stage,
        recorded_at=NOW,
    )
    entry_id = repo.append(entry)
    (stored,) = [e for e in repo.ledger_of_opportunity(oid) if e.id == entry_id]
    assert stored == dataclasses.replace(entry, id=entry_id, occurred_at=utc(occurred))
    assert same_instant(occurred, stored.occurred_at)
    assert [e.id for e in repo.ledger_of_person(pid)] == [entry_id]


def test_interview_round_trips_with_interviewers(repo: SqlRepository) -> None:
    oid = _opportunity(repo)
    jane, raj = _person(repo, "Jane Doe"), _person(repo, "Raj Patel")
    start = datetime(2026, 12, 1, 14, 0, tzinfo=ZoneInfo("America/Chicago"))
    interview = Interview(
        opportunity_id=oid,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        timezone="America/Chicago",
        kind=InterviewKind.ONSITE,
        location="1 Main St, Chicago",
        interviewer_ids=(jane, raj),
        notes="streaming\nbilling",
        uid="x1@followup",
        sequence=2,
        status=InterviewStatus.CANCELLED,
    )
    new_id = repo.add_interview(interview)
    assert repo.interviews_of_opportunity(oid) == [dataclasses.replace(interview, id=new_id)]
    assert [v.id for v in repo.interviews_of_person(raj)] == [new_id]


def test_email_addresses_are_unique_regardless_of_case(repo: SqlRepository) -> None:
    _person(repo, "Jane Doe", "jane@northwind.example")
    with pytest.raises(StorageError):
        _person(repo, "Janet Doe", "JANE@northwind.example")
    assert [p.person.name for p in repo.list_people(now=NOW)] == ["Jane Doe"]  # nothing half-written


def test_links_are_idempotent_and_removable(repo: SqlRepository) -> None:
    oid, pid = _opportunity(repo), _person(repo, "Jane Doe")
    link = Link(pid, oid, Role.HIRING_MANAGER)
    assert repo.add_link(link) is True
    assert repo.add_link(link) is False
    assert repo.links_of_opportunity(oid) == [link]
    assert repo.links_of_person(pid) == [link]
    assert repo.remove_link(link) is True
    assert repo.remove_link(link) is False
    assert repo.links_of_opportunity(oid) == []


def test_list_filters_and_last_contact(repo: SqlRepository) -> None:
    northwind = _opportunity(repo, "Northwind Traders", "Data Engineer")
    contoso = _opportunity(repo, "Contoso", "Platform Engineer")
    repo.set_stage(contoso, Stage.INTERVIEWING)
    jane = _person(repo, "Jane Doe", "jane@northwind.example", org="Northwind Traders")
    repo.add_link(Link(jane, northwind, Role.RECRUITER))
    talked = NOW - timedelta(days=3)
    for kind, when in (
        (InteractionKind.EMAIL, talked),
        (InteractionKind.NOTE, NOW - timedelta(days=1)),  # a note is not a contact
        (InteractionKind.INTERVIEW, NOW + timedelta(days=2)),  # not yet happened
    ):
        repo.append(
            Interaction(
                kind=kind, occurred_at=when, opportunity_id=northwind, person_ids=(jane,), recorded_at=NOW
            )
        )

    assert [o.opportunity.company for o in repo.list_opportunities(now=NOW, stages=[Stage.INTERVIEWING])] == [
        "Contoso"
    ]
    assert [o.opportunity.id for o in repo.list_opportunities(now=NOW, organisation="NORTH")] == [northwind]
    assert [o.opportunity.id for o in repo.list_opportunities(now=NOW, role=Role.RECRUITER)] == [northwind]
    assert [o.opportunity.id for o in repo.list_opportunities(now=NOW, search="platform")] == [contoso]
    assert repo.list_opportunities(now=NOW, search="100%") == []  # LIKE wildcards are literal
    (listed,) = repo.list_opportunities(now=NOW, organisation="northwind")
    assert listed.state.last_contact_at == talked
    assert listed.people == ((jane, "Jane Doe", Role.RECRUITER),)
    person = repo.get_person(jane, now=NOW)
    assert person is not None
    assert person.last_contact_at == talked
    assert [p.person.id for p in repo.list_people(now=NOW, role=Role.RECRUITER)] == [jane]
    assert [p.person.id for p in repo.find_people("northwind.EXAMPLE", now=NOW)] == [jane]


def test_deleting_an_opportunity_removes_its_links_ledger_and_interviews(repo: SqlRepository) -> None:
    oid, pid = _opportunity(repo), _person(repo, "Jane Doe")
    repo.add_link(Link(pid, oid, Role.INTERVIEWER))
    repo.append(
        Interaction(
            kind=InteractionKind.CALL, occurred_at=NOW, opportunity_id=oid, person_ids=(pid,), recorded_at=NOW
        )
    )
    repo.add_interview(
        Interview(
            opportunity_id=oid,
            starts_at=NOW,
            ends_at=NOW + timedelta(hours=1),
            timezone="UTC",
            interviewer_ids=(pid,),
            uid="del@followup",
        )
    )
    repo.delete_opportunity(oid)
    assert repo.counts() == {"opportunities": 0, "people": 1, "links": 0, "interactions": 0, "interviews": 0}


def test_deleting_a_person_keeps_the_ledger(repo: SqlRepository) -> None:
    oid, pid = _opportunity(repo), _person(repo, "Jane Doe", "jane@northwind.example")
    repo.append(
        Interaction(
            kind=InteractionKind.CALL, occurred_at=NOW, opportunity_id=oid, person_ids=(pid,), recorded_at=NOW
        )
    )
    repo.delete_person(pid)
    (entry,) = repo.ledger_of_opportunity(oid)
    assert entry.person_ids == ()
    assert repo.person_with_email("jane@northwind.example") is None


def test_a_failed_unit_of_work_leaves_nothing_behind(repo: SqlRepository) -> None:
    def half_done() -> None:
        with repo.transaction():
            _opportunity(repo)
            _person(repo, "Jane Doe")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        half_done()
    assert repo.counts()["opportunities"] == 0
    assert repo.counts()["people"] == 0


def test_many_people_at_once_get_their_ids_in_order(repo: SqlRepository) -> None:
    first = repo.add_person(Person(name="Before", created_at=NOW))
    repo.delete_person(repo.add_person(Person(name="Deleted", created_at=NOW)))  # its id is never reused
    people = [
        Person(
            name=f"Person {i}",
            emails=(EmailAddress(f"p{i}@example.org"),) if i % 2 else (),
            created_at=NOW - timedelta(days=i, microseconds=i),
            in_network=bool(i % 3),
            linkedin_url=f"https://www.linkedin.com/in/p{i}",
        )
        for i in range(30)
    ]
    ids = repo.add_people(people)
    assert ids == list(range(first + 2, first + 32))
    stored = {p.id: p for p in repo.all_people()}
    assert [stored[pid] for pid in ids] == [
        dataclasses.replace(p, id=pid) for p, pid in zip(people, ids, strict=True)
    ]
    with pytest.raises(StorageError):  # an address that is taken: the whole batch is rolled back
        repo.add_people(
            [
                Person(name="New", created_at=NOW),
                Person(name="Dup", emails=(EmailAddress("P1@example.org"),), created_at=NOW),
            ]
        )
    assert len(repo.all_people()) == 31
    assert repo.add_people([]) == []


def test_rows_given_column_by_column_go_in_whole_and_in_order(db_url: str) -> None:
    """More rows than one SQLite statement takes (999 parameters): constants bound once, a column of
    None left to its default, each time converted; every value read back where it was given."""
    db = Database(DatabaseLocation.parse(db_url))
    ensure_schema(db)
    count = 1_234
    created = [NOW - timedelta(days=i % 40, microseconds=i) for i in range(count)]
    columns = {
        "name": [f"Person {i}" for i in range(count)],
        "organisation": [None if i % 7 else f"Org {i}" for i in range(count)],
        "title": ["Engineer"] * count,  # one value throughout
        "in_network": [True] * count,
        "notes": [None] * count,  # NOT NULL with a default: left to it
        "linkedin_url": [f"https://www.linkedin.com/in/p{i}" for i in range(count)],
        "created_at": created,
    }
    with db.transaction():
        ids = db.insert_columns("people", columns, times=("created_at",))
    assert ids == list(range(1, count + 1))
    rows = db.all(
        "SELECT id, name, organisation, title, in_network, notes, linkedin_url, created_at "
        "FROM people ORDER BY id"
    )
    assert [r["name"] for r in rows] == columns["name"]
    assert [r["organisation"] for r in rows] == columns["organisation"]
    assert {r["title"] for r in rows} == {"Engineer"}
    assert {bool(r["in_network"]) for r in rows} == {True}
    assert {r["notes"] for r in rows} == {""}
    assert [r["linkedin_url"] for r in rows] == columns["linkedin_url"]
    assert [db.dt(r["created_at"]) for r in rows] == created
    with pytest.raises(ValueError, match="differ in length"):
        db.insert_columns("people", {"name": ["a", "b"], "created_at": [NOW]})
    db.close()


def test_a_write_run_commits_each_transaction_and_checkpoints_from_its_own_thread(
    repo: SqlRepository,
) -> None:
    db = repo.db
    sqlite = db.dialect == "sqlite"

    def autocheckpoint() -> int:
        return int(db.scalar("PRAGMA wal_autocheckpoint")) if sqlite else 0

    size_before = os.path.getsize(db.location.target) if sqlite else 0
    with repo.write_run():
        inside = autocheckpoint()
        for i in range(300):
            _person(repo, f"Person {i}")
        # each transaction is committed: another connection sees it during the run
        other = Database(db.location)
        assert other.scalar("SELECT count(*) FROM people") == 300
        other.close()
        if sqlite:  # and the log is copied into the database file meanwhile, not only at the end
            assert _eventually(lambda: os.path.getsize(db.location.target) > size_before)
        with repo.write_run():  # nested: joins the outer run
            _person(repo, "Nested")
        assert autocheckpoint() == inside
    if sqlite:
        assert inside == 0  # a thread of its own checkpoints meanwhile
        assert autocheckpoint() == 1000
    assert repo.counts()["people"] == 301


def _eventually(check: Callable[[], bool], within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
