"""The JSON backup: everything out, and back in exactly (any database to any other); merging; bad files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.domain.inbound import FolderState
from followup.domain.model import Direction, InteractionKind, Outcome, Role
from followup.domain.outbox import OutboxState
from followup.domain.suggestions import Suggestion, SuggestionKind
from followup.domain.touches import TouchKind
from followup.errors import ConflictError, InvalidInputError
from followup.services.demo import load_demo
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW
from tests.services.conftest import ALEX, MakeApp, apps


@pytest.fixture
def make_app(db_url: str) -> Iterator[MakeApp]:
    yield from apps(db_url)


def without_stamp(data: bytes) -> dict[str, object]:
    document = json.loads(data)
    document.pop("exported_at")
    return document  # type: ignore[no-any-return]


def full_search(app: App) -> None:
    """The demo search and something of every other kind the database keeps."""
    load_demo(app.context.repo, size="small", now=NOW, user_tz="America/Chicago")
    app.planning.ensure_current()
    open_touches = app.planning.store.records(open_only=True)
    emails = [r for r in open_touches if r.touch.channel.value == "email"]
    app.planning.snooze(str(emails[0].id), "+3d")
    app.planning.skip(str(emails[1].id))
    app.planning.done(str(emails[2].id))
    app.drafting.edit(str(emails[3].id), "Subject: Hello\n\nHi there,\n\nA note of my own.\n")
    app.drafting.approve(str(emails[4].id), force=True)
    app.mail_store.add_suggestion(
        Suggestion(
            kind=SuggestionKind.REJECTION,
            message_id="<no@contoso.example>",
            occurred_at=NOW - timedelta(days=1),
            sender="hr@contoso.example",
            because="“decided not to proceed”",
            subject="Your application",
            created_at=NOW,
        )
    )
    app.mail_store.save_folder_state("alex@imap.example", "INBOX", FolderState(7, 1234, 1235, 99), now=NOW)


def elsewhere(tmp_path: Path, name: str = "restored.sqlite3") -> App:
    return build(Settings(db=str(tmp_path / name), **ALEX), clock=FixedClock(NOW))  # type: ignore[arg-type]


def test_a_backup_restores_exactly_even_on_the_other_database(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", "hunter2-not-in-any-file")
    source = make_app()
    full_search(source)
    data, tables = source.transfer.export_backup()
    assert b"hunter2" not in data
    assert {k: n > 0 for k, n in tables.items()} == dict.fromkeys(tables, True)  # every table has rows
    target = elsewhere(tmp_path)
    try:
        report = target.transfer.import_backup(data, "backup.json")
        assert report.tables == tables
        again, _ = target.transfer.export_backup()
        assert without_stamp(again) == without_stamp(data)
        # the restored search works as the original: ids, decisions, agenda
        assert target.planning.agenda().overdue == source.planning.agenda().overdue
        assert [m.subject for m in target.drafting.store.in_states([OutboxState.DRAFT])] == ["Hello"]
        new = target.tracker.add_opportunity(OpportunityFields(company="New Co", title="Engineer"))
        assert new.opportunity.id == tables["opportunities"] + 1  # the counters follow the restored ids
    finally:
        target.close()


def test_a_backup_from_sqlite_restores_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    source = elsewhere(tmp_path, "source.sqlite3")
    target = build(Settings(db=postgres_url, **ALEX), clock=FixedClock(NOW))  # type: ignore[arg-type]
    try:
        full_search(source)
        data, _ = source.transfer.export_backup()
        target.transfer.import_backup(data, "backup.json")
        assert without_stamp(target.transfer.export_backup()[0]) == without_stamp(data)
        new = target.tracker.add_person(PersonFields(name="Someone New"))
        assert new.person.id == len(json.loads(data)["people"]) + 1
    finally:
        source.close()
        target.close()


def test_a_database_with_records_takes_a_backup_only_to_merge(make_app: MakeApp, tmp_path: Path) -> None:
    source = elsewhere(tmp_path, "source.sqlite3")
    try:
        full_search(source)
        data, _ = source.transfer.export_backup()
    finally:
        source.close()
    backup = json.loads(data)
    known = next(p for p in backup["people"] if p["emails"] and p["organisation"])
    job = backup["opportunities"][0]
    app = make_app()
    jane = app.tracker.add_person(PersonFields(name="Someone", emails=[known["emails"][0]["address"]]))
    app.tracker.add_opportunity(OpportunityFields(company=job["company"].upper(), title=job["title"]))
    with pytest.raises(ConflictError) as refused:
        app.transfer.import_backup(data, "backup.json")
    assert "already holds records (1 opportunities, 1 people)" in refused.value.message
    assert "--merge" in (refused.value.hint or "")
    assert "followup --db NEW.sqlite3 import json backup.json" in (refused.value.hint or "")

    report = app.transfer.import_backup(data, "backup.json", merge=True)
    created = report.counts("created")
    assert created["person"] == len(backup["people"]) - 1  # one was known by their address
    assert created["opportunity"] == len(backup["opportunities"]) - 1
    assert created["interaction"] == len(backup["interactions"])
    assert any("Not merged:" in note and "planned touches" in note for note in report.notes)
    merged_jane = app.context.person(str(jane.person.id)).person
    assert merged_jane.name == "Someone"  # kept: the user's own record wins
    assert merged_jane.organisation == known["organisation"]  # filled in from the backup
    counts = app.context.repo.counts()
    second = app.transfer.import_backup(data, "backup.json", merge=True)
    assert second.counts("created") == {}
    assert app.context.repo.counts() == counts


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["people"][0].update(created_at="yesterday"),
            "people[0].created_at is 'yesterday', not time",
        ),
        (
            lambda d: d["opportunities"][1].update(stage="sideways"),
            "opportunities[1].stage is 'sideways', not one of",
        ),
        (lambda d: d["people"][2].update(pronouns="they"), "people[2].pronouns is not a field this version"),
        (
            lambda d: d["people"][0]["emails"].append({"address": 3}),
            "people[0].emails[0].address is 3, not text",
        ),
        (
            lambda d: d["links"].append({"person_id": 999, "opportunity_id": 1, "role": "recruiter"}),
            "the links do not fit",
        ),
    ],
)
def test_a_damaged_backup_names_the_value_and_writes_nothing(
    make_app: MakeApp, tmp_path: Path, change: object, message: str
) -> None:
    source = elsewhere(tmp_path, "source.sqlite3")
    try:
        full_search(source)
        document = json.loads(source.transfer.export_backup()[0])
    finally:
        source.close()
    document["people"][0]["emails"] = []
    change(document)  # type: ignore[operator]
    app = make_app()
    with pytest.raises(InvalidInputError) as error:
        app.transfer.import_backup(json.dumps(document).encode(), "backup.json")
    assert message in error.value.message
    assert app.context.repo.counts() == dict.fromkeys(app.context.repo.counts(), 0)


# Export, import, export: identical, whatever the search holds ------------------------------------

NAMES = ["Jane Doe", "Raj Patel", "Amélie Laurent", "Siobhán Ó Briain", "Wei Zhang", "O'Brien, Pat"]
step = st.one_of(
    st.tuples(st.just("person"), st.sampled_from(NAMES), st.booleans(), st.booleans()),
    st.tuples(st.just("opportunity"), st.sampled_from(["Northwind", "Contoso", "Société Générale"]), st.text(
        st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(str.strip)),
    st.tuples(st.just("link"), st.integers(0, 5), st.integers(0, 2), st.sampled_from(list(Role))),
    st.tuples(st.just("log"), st.sampled_from([InteractionKind.EMAIL, InteractionKind.CALL,
                                               InteractionKind.APPLICATION, InteractionKind.NOTE]),
              st.integers(0, 5), st.integers(0, 2), st.integers(1, 400), st.sampled_from(list(Direction))),
    st.tuples(st.just("outcome"), st.integers(0, 2), st.sampled_from(list(Outcome))),
    st.tuples(st.just("interview"), st.integers(0, 2), st.integers(0, 5), st.integers(-20, 20)),
    st.tuples(st.just("decide"), st.integers(0, 30), st.sampled_from(["done", "skip", "snooze"])),
)  # fmt: skip


def play(app: App, steps: list[tuple[object, ...]]) -> None:
    """Each step through the services a user's commands use; steps that do not apply are left out."""
    t, people, opps = app.tracker, [], []  # type: ignore[var-annotated]
    for s in steps:
        try:
            if s[0] == "person":
                email = (
                    [f"{str(s[1]).split()[0].lower().strip(',')}{len(people)}@example.org"] if s[2] else None
                )
                people.append(t.add_person(PersonFields(name=s[1], emails=email, in_network=s[3])).person.id)
            elif s[0] == "opportunity":
                opps.append(t.add_opportunity(OpportunityFields(company=s[1], title=s[2])).opportunity.id)
            elif s[0] == "link" and people and opps:
                t.link(str(people[s[1] % len(people)]), str(opps[s[2] % len(opps)]), s[3])  # type: ignore[operator,arg-type]
            elif s[0] == "log" and opps:
                who = [str(people[s[2] % len(people)])] if people else []  # type: ignore[operator]
                t.log(
                    s[1],
                    person_refs=who,
                    opportunity_ref=str(opps[s[3] % len(opps)]),  # type: ignore[arg-type,operator]
                    at=f"-{s[4]}h",
                    direction=s[5],
                )  # type: ignore[arg-type]
            elif s[0] == "outcome" and opps:
                t.log(InteractionKind.OUTCOME, opportunity_ref=str(opps[s[1] % len(opps)]), outcome=s[2])  # type: ignore[arg-type,operator]
            elif s[0] == "interview" and opps:
                who = [str(people[s[2] % len(people)])] if people else []  # type: ignore[operator]
                t.log_interview(str(opps[s[1] % len(opps)]), at=f"{s[3]:+d}d", interviewer_refs=who)  # type: ignore[operator]
            elif s[0] == "decide":
                records = app.planning.store.records(open_only=True)
                if records:
                    touch = str(records[s[1] % len(records)].id)  # type: ignore[operator]
                    if s[2] == "snooze":
                        app.planning.snooze(touch, "+2d")
                    else:
                        getattr(app.planning, str(s[2]))(touch)
        except (InvalidInputError, ConflictError):
            continue


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=25))
def test_export_import_export_is_identical(steps: list[tuple[object, ...]]) -> None:
    with TemporaryDirectory() as folder:
        source, target = elsewhere(Path(folder), "a.sqlite3"), elsewhere(Path(folder), "b.sqlite3")
        try:
            play(source, steps)
            source.planning.ensure_current()
            first, _ = source.transfer.export_backup()
            target.transfer.import_backup(first, "backup.json")
            second, _ = target.transfer.export_backup()
            assert without_stamp(second) == without_stamp(first)
        finally:
            source.close()
            target.close()


def test_touch_kinds_of_a_full_search_are_all_in_the_backup(make_app: MakeApp) -> None:
    app = make_app()
    full_search(app)
    touches = json.loads(app.transfer.export_backup()[0])["touches"]
    assert {t["kind"] for t in touches} >= {TouchKind.THANK_YOU.value, TouchKind.CHECK_IN.value}
    assert {t["decision"] for t in touches} >= {"done", "skipped", "snoozed", None}


def test_a_dry_run_restore_writes_nothing_not_even_postgresqls_counters(
    tmp_path: Path, postgres_url: str
) -> None:
    source = elsewhere(tmp_path, "source.sqlite3")
    target = build(Settings(db=postgres_url, **ALEX), clock=FixedClock(NOW))  # type: ignore[arg-type]
    try:
        full_search(source)
        data, tables = source.transfer.export_backup()
        report = target.transfer.import_backup(data, "backup.json", dry_run=True)
        assert report.dry_run
        assert report.tables == tables  # what would have come in
        assert target.transfer.snapshots.is_empty()
        first = target.tracker.add_person(PersonFields(name="First of all"))
        assert first.person.id == 1  # the id counters were left where they were
    finally:
        source.close()
        target.close()
