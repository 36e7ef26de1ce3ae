"""The demo job search: complete (every stage, role and kind), coherent with the ledger, and reproducible."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.domain.ledger import derive_state
from followup.domain.model import Interaction, InteractionKind, OpportunitySummary, Role, Stage
from followup.domain.validation import check_country, check_email, check_timezone
from followup.ports import Repository
from followup.services.demo import load_demo
from followup.storage.database import Database, DatabaseLocation
from followup.storage.repository import SqlRepository
from followup.storage.schema import ensure_schema
from tests.conftest import NOW

TZ = "America/Chicago"
K = InteractionKind


def open_repo(location: str) -> SqlRepository:
    db = Database(DatabaseLocation.parse(location))
    ensure_schema(db)
    return SqlRepository(db)


def loaded(path: Path, *, seed: int = 7) -> SqlRepository:
    repo = open_repo(str(path))
    load_demo(repo, size="small", now=NOW, user_tz=TZ, seed=seed)
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlRepository]:
    repository = loaded(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield repository
    repository.close()


def whole_ledger(repo: Repository) -> list[Interaction]:
    """Every entry once: the opportunities' ledgers plus what people have outside any opportunity."""
    entries = {e.id: e for s in repo.list_opportunities(now=NOW) for e in repo.ledger_of_opportunity(_id(s))}
    for summary in repo.list_people(now=NOW):
        entries.update((e.id, e) for e in repo.ledger_of_person(summary.person.id or 0))
    return list(entries.values())


def _id(summary: OpportunitySummary) -> int:
    assert summary.opportunity.id is not None
    return summary.opportunity.id


def test_small_demo_has_every_stage(repo: SqlRepository) -> None:
    stages = [s.state.stage for s in repo.list_opportunities(now=NOW)]
    assert set(stages) == set(Stage)
    assert 10 <= len(stages) <= 15
    assert len(repo.list_opportunities(now=NOW, stages=[Stage.INTERVIEWING])) == 2


def test_small_demo_has_every_role_and_network_contacts_outside_opportunities(repo: SqlRepository) -> None:
    for role in (Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.REFERRER, Role.REFERENCE):
        assert repo.list_people(now=NOW, role=role), role
    people = repo.list_people(now=NOW)
    assert 25 <= len(people) <= 40
    loners = [p for p in people if p.person.in_network and not p.roles]
    assert len(loners) >= 3
    assert all(p.last_contact_at is not None for p in loners)


def test_stored_stage_is_what_the_ledger_says(repo: SqlRepository) -> None:
    for summary in repo.list_opportunities(now=NOW):
        ledger = repo.ledger_of_opportunity(_id(summary))
        assert derive_state(ledger, now=NOW) == summary.state


def test_every_interaction_kind_appears(repo: SqlRepository) -> None:
    assert {e.kind for e in whole_ledger(repo)} == set(InteractionKind)


def test_nothing_happens_after_now_except_scheduled_interviews(repo: SqlRepository) -> None:
    zone = ZoneInfo(TZ)
    for entry in whole_ledger(repo):
        assert entry.recorded_at is not None
        assert entry.recorded_at <= NOW
        if entry.kind is InteractionKind.INTERVIEW and entry.occurred_at > NOW:
            continue
        assert entry.occurred_at <= NOW, entry
        assert entry.occurred_at <= entry.recorded_at <= entry.occurred_at + timedelta(hours=5)
        local = entry.occurred_at.astimezone(zone)
        assert local.weekday() < 5, entry  # the user's business days and hours
        assert 8 <= local.hour < 19, entry


def test_directions_make_sense(repo: SqlRepository) -> None:
    for entry in whole_ledger(repo):
        if entry.kind in (InteractionKind.APPLICATION, InteractionKind.RESUME_SENT):
            assert entry.direction == "out"
        elif entry.kind in (K.NOTE, K.STAGE, K.INTERVIEW, K.MEETING):  # no one side to a meeting
            assert entry.direction == "none"
        elif entry.kind is InteractionKind.CALL:
            assert entry.answered is not None
            assert entry.caller is not None
            assert entry.direction == ("out" if entry.caller == "me" else "in")
        elif entry.kind is InteractionKind.OUTCOME:
            assert entry.outcome is not None
            assert entry.direction == ("out" if entry.outcome in ("accepted", "withdrawn") else "in")
        else:
            assert entry.direction in ("in", "out"), entry
        if entry.kind.is_contact:  # a conversation has someone on the other end
            assert entry.person_ids, entry


def test_emails_are_threaded_by_message_id(repo: SqlRepository) -> None:
    emails = [e for e in whole_ledger(repo) if e.kind is InteractionKind.EMAIL]
    ids = [e.message_id for e in emails]
    assert all(i and i.startswith("<") and i.endswith(".example>") for i in ids)
    assert len(set(ids)) == len(ids)
    by_id = {e.message_id: e for e in emails}
    replies = [e for e in emails if e.in_reply_to]
    assert len(replies) >= 5
    for reply in replies:
        parent = by_id[reply.in_reply_to]
        assert reply.references[-1] == parent.message_id
        assert reply.references[:-1] == parent.references
        assert parent.occurred_at < reply.occurred_at
        subject = parent.subject or ""
        assert reply.subject == (subject if subject.startswith("Re: ") else f"Re: {subject}")
        assert {reply.direction, parent.direction} == {"in", "out"}


def test_interviews_past_and_upcoming_match_the_ledger(repo: SqlRepository) -> None:
    interviews = [v for s in repo.list_opportunities(now=NOW) for v in repo.interviews_of_opportunity(_id(s))]
    upcoming = [v for v in interviews if v.starts_at > NOW]
    assert 2 <= len(upcoming) <= 3
    assert all(v.starts_at <= NOW + timedelta(days=7) for v in upcoming)
    assert len(interviews) - len(upcoming) >= 5
    assert len({v.uid for v in interviews}) == len(interviews)
    entries = {e.interview_id: e for e in whole_ledger(repo) if e.kind is InteractionKind.INTERVIEW}
    for interview in interviews:
        assert interview.uid
        assert interview.uid.startswith("demo-")
        assert interview.uid.endswith("@followup.invalid")
        assert interview.interviewer_ids
        assert interview.ends_at > interview.starts_at
        check_timezone(interview.timezone)
        entry = entries[interview.id]
        assert entry.occurred_at == interview.starts_at
        assert entry.opportunity_id == interview.opportunity_id
        assert set(entry.person_ids) == set(interview.interviewer_ids)
        links = repo.links_of_opportunity(interview.opportunity_id)
        assert set(interview.interviewer_ids) <= {k.person_id for k in links if k.role is Role.INTERVIEWER}
        if interview.starts_at < NOW:
            assert interview.notes  # topics discussed


def test_people_are_varied_and_valid(repo: SqlRepository) -> None:
    people = [s.person for s in repo.list_people(now=NOW)]
    addresses = [e.address for p in people for e in p.emails]
    assert len({a.casefold() for a in addresses}) == len(addresses)
    assert all(check_email(a) == a and a.split("@")[1].endswith(".example") for a in addresses)
    assert any(not p.emails and p.phone for p in people)
    assert any(len(p.emails) == 2 for p in people)
    assert any(p.cadence_days for p in people)
    assert len({p.timezone for p in people}) >= 5
    assert len({p.country for p in people}) >= 5
    for person in people:
        assert person.timezone
        assert check_timezone(person.timezone) == person.timezone
        assert person.country
        assert check_country(person.country) == person.country
        assert person.created_at is not None
        assert person.created_at <= NOW


def test_same_seed_same_data_and_another_seed_other_data(tmp_path: Path, repo: SqlRepository) -> None:
    again = loaded(tmp_path / "again.sqlite3")
    other = loaded(tmp_path / "other.sqlite3", seed=8)
    try:
        assert again.list_opportunities(now=NOW) == repo.list_opportunities(now=NOW)
        assert again.list_people(now=NOW) == repo.list_people(now=NOW)
        assert whole_ledger(again) == whole_ledger(repo)
        assert other.list_people(now=NOW) != repo.list_people(now=NOW)
    finally:
        again.close()
        other.close()


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_any_seed_covers_every_stage_role_and_kind(tmp_path: Path, seed: int) -> None:
    repo = loaded(tmp_path / "demo.sqlite3", seed=seed)
    try:
        assert {s.state.stage for s in repo.list_opportunities(now=NOW)} == set(Stage)
        assert {e.kind for e in whole_ledger(repo)} == set(InteractionKind)
        roles = {role for p in repo.list_people(now=NOW) for _, _, role in p.roles}
        assert roles == set(Role) - {Role.NETWORK}
    finally:
        repo.close()


def test_load_returns_the_counts_and_wants_an_aware_now(tmp_path: Path) -> None:
    repo = open_repo(str(tmp_path / "demo.sqlite3"))
    try:
        with pytest.raises(ValueError, match="aware"):
            load_demo(repo, size="small", now=NOW.replace(tzinfo=None), user_tz=TZ)
        counts = load_demo(repo, size="small", now=NOW, user_tz="Europe/Berlin")
        assert counts == repo.counts()
        assert counts["interactions"] == 200
    finally:
        repo.close()


def test_a_scaled_down_large_demo_keeps_the_proportions(tmp_path: Path) -> None:
    repo = open_repo(str(tmp_path / "large.sqlite3"))
    calls: list[tuple[int, int]] = []
    try:
        counts = load_demo(
            repo, size="large", now=NOW, user_tz=TZ, scale=0.02, progress=lambda *done: calls.append(done)
        )
        assert counts["opportunities"] == 200
        assert abs(counts["people"] - 500) <= 10
        assert abs(counts["interactions"] - 5000) <= 100
        assert calls[-1] == (200, 200)
        by_stage = {stage: len(repo.list_opportunities(now=NOW, stages=[stage])) for stage in Stage}
        assert by_stage[Stage.APPLIED] == 60
        assert by_stage[Stage.LEAD] == 30
        assert by_stage[Stage.INTERVIEWING] == 6
        assert all(by_stage.values())
        for summary in repo.list_opportunities(now=NOW, stages=[Stage.INTERVIEWING, Stage.OFFER]):
            assert derive_state(repo.ledger_of_opportunity(_id(summary)), now=NOW) == summary.state
        created = [s.opportunity.created_at for s in repo.list_opportunities(now=NOW)]
        oldest = min(c for c in created if c is not None)
        assert NOW - oldest > timedelta(days=300)  # spread over many months
    finally:
        repo.close()


def test_the_demo_loads_the_same_on_both_databases(db_url: str, tmp_path: Path) -> None:
    repo = open_repo(db_url)
    reference = loaded(tmp_path / "reference.sqlite3")
    try:
        assert load_demo(repo, size="small", now=NOW, user_tz=TZ) == reference.counts()
        assert repo.list_opportunities(now=NOW) == reference.list_opportunities(now=NOW)
        assert repo.list_people(now=NOW) == reference.list_people(now=NOW)
    finally:
        repo.close()
        reference.close()
