"""Reading mail from files through the one pipeline: matching, effects, suggestions, idempotence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.bootstrap import App
from followup.domain.model import Direction, InteractionKind, Role, Stage
from followup.domain.suggestions import SuggestionKind, SuggestionStatus
from followup.domain.touches import TouchKind, TouchStatus
from followup.errors import ConflictError, InvalidInputError
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW
from tests.services.conftest import MakeApp, apps


@pytest.fixture
def make_app(db_url: str) -> Iterator[MakeApp]:
    """Applications over one database, tracing what each message became."""

    def tracing(app: App) -> None:
        app.reading.trace = True

    yield from apps(db_url, ready=tracing)


def mail(
    sender: str,
    subject: str,
    body: str,
    *,
    message_id: str | None,
    date: str = "Tue, 24 Nov 2026 15:00:00 +0000",
    to: str = "Alex Morgan <alex@example.org>",
    extra: str = "",
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {date}"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    if extra:
        lines.append(extra.strip())
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    return "\n".join(lines).encode()


def write_eml(folder: Path, *messages: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, data in enumerate(messages, 1):
        (folder / f"{n:03d}.eml").write_bytes(data)
    return folder


def northwind(app: App) -> None:
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    t.add_person(PersonFields(name="Jane Doe", emails=["jane@northwind.example"], organisation="Northwind",
                              timezone="America/Chicago", country="US"))  # fmt: skip
    t.link("jane", "northwind", Role.RECRUITER)
    t.log(
        InteractionKind.APPLICATION,
        opportunity_ref="northwind",
        at="2026-11-02 10:00",
        direction=Direction.OUT,
    )
    t.log(InteractionKind.EMAIL, person_refs=["jane"], opportunity_ref="northwind", at="2026-11-12 10:00",
          direction=Direction.OUT, subject="Checking in on my application",
          message_id="<nudge1@example.org>")  # fmt: skip


def imported(app: App, folder: Path) -> object:
    return app.mail_sync.import_files(app.mail_files, "eml", folder)


def test_a_reply_is_logged_with_its_snippet_and_cancels_the_check_in(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    northwind(app)
    app.planning.ensure_current()
    pending = [r for r in app.planning.store.records(open_only=True) if r.touch.kind is TouchKind.CHECK_IN]
    assert pending, "the application should have a pending check-in"
    reply = mail(
        "Jane Doe <Jane@Northwind.example>",
        "Re: Checking in on my application",
        "Hi Alex,\n\nThanks for checking in. We will decide by Friday.\n\nJane\n\n"
        "On Thu, 12 Nov 2026 at 10:00, Alex Morgan <alex@example.org> wrote:\n> Hi Jane,\n> any news?\n",
        message_id="<reply1@northwind.example>",
        extra="In-Reply-To: <nudge1@example.org>",
    )
    report = app.mail_sync.import_files(app.mail_files, "eml", write_eml(tmp_path / "in", reply))
    assert (report.logged, report.skipped) == (1, [])
    entry = app.context.repo.ledger_of_person(1)[-1]
    assert (entry.kind, entry.direction, entry.message_id) == (
        InteractionKind.EMAIL,
        Direction.IN,
        "<reply1@northwind.example>",
    )
    assert entry.opportunity_id == 1
    assert "We will decide by Friday." in entry.notes
    assert "any news" not in entry.notes  # the quoted text is not kept
    assert len(entry.notes) <= 300
    states = {r.touch.key: r for r in app.planning.store.records(person_ids=[1])}
    check_in = states[pending[0].touch.key]
    assert check_in.touch.status is TouchStatus.CANCELLED
    assert check_in.touch.cancel_reason
    assert any(line.startswith("check-in to Jane Doe cancelled") for line in report.cancelled)
    assert any(r.touch.kind is TouchKind.REPLY_OWED and r.is_open for r in states.values())


def test_reading_the_same_files_twice_changes_nothing(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    folder = write_eml(
        tmp_path / "in",
        mail("jane@northwind.example", "Next steps", "Can we talk on Monday?",
             message_id="<a@northwind.example>"),
        mail("jane@northwind.example", "No id", "This one has no Message-ID.", message_id=None),
        mail("Careers <no-reply@contoso.example>", "Your application for Platform Engineer",
             "Thank you for applying to the Platform Engineer position at Contoso.",
             message_id="<b@contoso.example>"),
        mail("news@paper.example", "Weekly digest", "All the news.", message_id="<c@paper.example>"),
    )  # fmt: skip
    first = imported(app, folder)
    counts = app.context.repo.counts()
    suggestions = app.suggestions.pending()
    second = imported(app, folder)
    assert app.context.repo.counts() == counts
    assert app.suggestions.pending() == suggestions
    assert (first.logged, first.suggestions) == (2, 1)  # type: ignore[attr-defined]
    assert (second.logged, second.suggestions, second.known) == (0, 0, 3)  # type: ignore[attr-defined]
    assert [o.effect for o in second.outcomes] == ["known", "known", "known", "ignored"]  # type: ignore[attr-defined]


def test_an_unknown_sender_at_a_known_organisation_becomes_a_person_of_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    northwind(app)
    message = mail('"Raj Patel" <raj.patel@mail.northwind.example>', "Interview panel",
                   "Hello Alex, I will be on your panel.", message_id="<p@northwind.example>")  # fmt: skip
    report = imported(app, write_eml(tmp_path / "in", message))
    assert report.logged == 1  # type: ignore[attr-defined]
    raj = app.context.repo.person_with_email("raj.patel@mail.northwind.example")
    assert raj is not None
    assert (raj.name, raj.organisation) == ("Raj Patel", "Northwind")
    entry = app.context.repo.ledger_of_person(raj.id or 0)[-1]
    assert entry.opportunity_id == 1  # Northwind Traders' only open opportunity


def test_free_mail_domains_match_nobody(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    app.tracker.add_opportunity(OpportunityFields(company="Gmail Fans", title="Writer"))
    app.tracker.add_person(PersonFields(name="Sam", emails=["sam@gmail.com"], organisation="Gmail Fans"))
    message = mail("stranger@gmail.com", "hello", "Hi there", message_id="<s@gmail.com>")
    report = imported(app, write_eml(tmp_path / "in", message))
    assert (report.logged, report.ignored) == (0, 1)  # type: ignore[attr-defined]


def test_job_mail_from_someone_new_is_a_suggestion_that_confirming_turns_into_an_opportunity(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    message = mail(
        "Dana Lee <dana@fabrikam.example>",
        "Platform Engineer opportunity at Fabrikam",
        "Hi Alex, I am a recruiter at Fabrikam and would like to tell you about a Platform Engineer role.",
        message_id="<r@fabrikam.example>",
    )
    report = imported(app, write_eml(tmp_path / "in", message))
    assert (report.logged, report.suggestions) == (0, 1)  # type: ignore[attr-defined]
    (view,) = app.suggestions.pending()
    assert view.suggestion.kind is SuggestionKind.JOB_RELATED
    assert view.suggestion.organisation == "Fabrikam"
    assert "looks job-related" in view.suggestion.because
    assert app.context.repo.counts()["opportunities"] == 0  # nothing changes before confirming
    done = app.suggestions.confirm(view.suggestion.id or 0, title="Platform Engineer")
    assert "new opportunity" in done.done
    (opportunity,) = app.context.repo.list_opportunities(now=NOW)
    assert (opportunity.opportunity.company, opportunity.opportunity.title) == (
        "Fabrikam",
        "Platform Engineer",
    )
    dana = app.context.repo.person_with_email("dana@fabrikam.example")
    assert dana is not None
    assert dana.name == "Dana Lee"
    assert app.suggestions.pending() == []
    with pytest.raises(ConflictError):
        app.suggestions.confirm(view.suggestion.id or 0)
    # the message is known now: reading it again suggests nothing new
    assert imported(app, tmp_path / "in").known == 1  # type: ignore[attr-defined]


def test_a_rejection_is_only_a_suggestion_until_confirmed(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    message = mail(
        "jane@northwind.example",
        "Your application",
        "Dear Alex, thank you for your time. Unfortunately we have decided to move forward with other "
        "candidates whose experience more closely matches our needs.",
        message_id="<no@northwind.example>",
    )
    report = imported(app, write_eml(tmp_path / "in", message))
    assert (report.logged, report.suggestions) == (1, 1)  # type: ignore[attr-defined]
    assert app.context.repo.stage_of(1) is Stage.APPLIED
    (view,) = app.suggestions.pending()
    assert view.suggestion.kind is SuggestionKind.REJECTION
    assert view.opportunity == "Northwind Traders — Data Engineer"
    assert "move forward with other candidates" in view.suggestion.because
    app.suggestions.confirm(view.suggestion.id or 0)
    assert app.context.repo.stage_of(1) is Stage.REJECTED
    assert app.suggestions.pending(everything=True)[0].suggestion.status is SuggestionStatus.CONFIRMED


def test_dismissing_records_nothing(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    message = mail("jane@northwind.example", "Offer", "We are pleased to offer you the position.",
                   message_id="<offer@northwind.example>")  # fmt: skip
    imported(app, write_eml(tmp_path / "in", message))
    (view,) = app.suggestions.pending()
    assert view.suggestion.kind is SuggestionKind.OFFER
    app.suggestions.dismiss(view.suggestion.id or 0)
    assert app.context.repo.stage_of(1) is Stage.APPLIED
    assert app.suggestions.pending() == []


def test_a_suggestion_without_an_opportunity_asks_for_one(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    app.tracker.add_opportunity(OpportunityFields(company="Northwind Traders", title="Analyst"))
    message = mail("Careers <careers@northwind.example>", "Next round",
                   "We would like to invite you to an interview.",
                   message_id="<i@northwind.example>")  # fmt: skip
    imported(app, write_eml(tmp_path / "in", message))
    (view,) = app.suggestions.pending()
    assert view.suggestion.opportunity_id is None  # two open opportunities at Northwind
    with pytest.raises(InvalidInputError, match="--opp"):
        app.suggestions.confirm(view.suggestion.id or 0)
    done = app.suggestions.confirm(view.suggestion.id or 0, opportunity_ref="analyst")
    assert "interviewing" in done.done
    assert app.context.repo.stage_of(2) is Stage.INTERVIEWING


def test_a_broken_message_is_skipped_with_its_reason_and_the_rest_is_read(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    northwind(app)
    from followup.services import reading

    real = reading.parse_content

    def flaky(raw: bytes, *, limit: int) -> object:
        if b"BOOM" in raw:
            raise ValueError("a parser bug")
        return real(raw, limit=limit)

    monkeypatch.setattr(reading, "parse_content", flaky)
    folder = write_eml(
        tmp_path / "in",
        mail("jane@northwind.example", "one", "BOOM", message_id="<1@northwind.example>"),
        mail("jane@northwind.example", "two", "fine", message_id="<2@northwind.example>"),
    )
    report = imported(app, folder)
    assert report.logged == 1  # type: ignore[attr-defined]
    assert len(report.skipped) == 1  # type: ignore[attr-defined]
    assert "001.eml" in report.skipped[0]  # type: ignore[attr-defined]
    assert "a parser bug" in report.skipped[0]  # type: ignore[attr-defined]
    # nothing half-written: the broken one is not known, so a fixed parser reads it next time
    monkeypatch.setattr(reading, "parse_content", real)
    assert imported(app, folder).logged == 1  # type: ignore[attr-defined]


def test_mail_the_user_sent_settles_the_thank_you(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    app.tracker.log_interview("northwind", at="2026-11-25 10:00", duration="45m", interviewer_refs=["jane"])
    app.planning.ensure_current()
    thanks = [r for r in app.planning.store.records(open_only=True) if r.touch.kind is TouchKind.THANK_YOU]
    assert len(thanks) == 1
    sent = mail("Alex Morgan <alex@example.org>", "Thank you", "Thank you for today, Jane!",
                message_id="<t@example.org>", to="jane@northwind.example",
                date="Wed, 25 Nov 2026 18:00:00 +0000")  # fmt: skip
    report = imported(app, write_eml(tmp_path / "sent", sent))
    assert report.logged == 1  # type: ignore[attr-defined]
    assert report.outcomes[0].kind == "outgoing"  # type: ignore[attr-defined]
    record = app.planning.store.record(thanks[0].id)
    assert record is not None
    assert record.touch.status is TouchStatus.DONE


def test_an_mbox_is_read_message_by_message(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    northwind(app)
    # a body line starting "From " is written ">From " in an mbox, and read back without the ">"
    one = mail(
        "jane@northwind.example", "a", "Hello\n>From now on, call me.", message_id="<m1@northwind.example>"
    )
    two = mail("jane@northwind.example", "b", "second", message_id="<m2@northwind.example>")
    path = tmp_path / "All mail.mbox"
    path.write_bytes(b"From x@y Mon Jan  1 00:00:00 2026\n" + one + b"\n\nFrom z@y Mon Jan  1 00:00:00 2026\n"
                     + two + b"\n")  # fmt: skip
    report = app.mail_sync.import_files(app.mail_files, "mbox", path)
    assert (report.read, report.logged) == (2, 2)
    where = [o.where for o in report.outcomes]
    assert where == ["All mail.mbox, message 1 (line 1)", "All mail.mbox, message 2 (line 13)"]
    first = app.context.repo.entries_with_message_ids(["<m1@northwind.example>"])[0]
    assert "From now on, call me." in first.notes
    assert ">From" not in first.notes


def test_a_missing_or_wrong_path_names_the_fix(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    with pytest.raises(InvalidInputError, match="does not exist"):
        app.mail_sync.import_files(app.mail_files, "mbox", tmp_path / "nope.mbox")
    with pytest.raises(InvalidInputError, match="cur/ or new/"):
        app.mail_sync.import_files(app.mail_files, "maildir", tmp_path)


def test_a_message_that_fails_half_way_leaves_nothing_behind(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    northwind(app)
    people = app.context.repo.counts()["people"]

    def broken(entry: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr(app.tracker, "append", broken)
    message = mail(
        '"Raj Patel" <raj@northwind.example>', "Hello", "Hi Alex", message_id="<h@northwind.example>"
    )
    report = imported(app, write_eml(tmp_path / "in", message))
    assert len(report.skipped) == 1  # type: ignore[attr-defined]
    assert "disk full" in report.skipped[0]  # type: ignore[attr-defined]
    # Raj was created for the message, then the ledger entry failed: the person is gone with it
    assert app.context.repo.counts()["people"] == people
    assert app.context.repo.person_with_email("raj@northwind.example") is None
    monkeypatch.undo()
    again = imported(app, tmp_path / "in")
    assert again.logged == 1  # type: ignore[attr-defined]
    assert app.context.repo.person_with_email("raj@northwind.example") is not None
