"""Stats over a real database: a search recorded through the Tracker, and the demo search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.domain.model import Direction, InteractionKind, Role, Source
from followup.errors import InvalidInputError
from followup.services.demo import load_demo
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW

K = InteractionKind


def record(app: App) -> None:
    """Northwind (a referral): applied, followed up, answered; an interview on a Friday, thanked on
    Monday (Jane, on time) and Tuesday (Raj, late). Contoso (a job board): an application in silence."""
    t = app.tracker
    t.add_opportunity(
        OpportunityFields(company="Northwind Traders", title="Data Engineer", source=Source.REFERRAL)
    )
    t.add_opportunity(OpportunityFields(company="Contoso", title="Analyst", source=Source.JOB_BOARD))
    t.add_person(
        PersonFields(
            name="Jane Doe", emails=["jane@northwind.example"], timezone="America/Chicago", country="US"
        )
    )
    t.add_person(PersonFields(name="Raj Patel", emails=["raj@northwind.example"]))
    t.link("jane", "northwind", Role.RECRUITER)
    t.log(K.APPLICATION, opportunity_ref="northwind", at="2026-10-05 10:00", direction=Direction.OUT)
    t.log(
        K.EMAIL, person_refs=["jane"], at="2026-10-12 10:00", direction=Direction.OUT, subject="Checking in"
    )
    t.log(
        K.EMAIL,
        person_refs=["jane"],
        at="2026-10-14 10:00",
        direction=Direction.IN,
        subject="Re: Checking in",
    )
    t.log_interview("northwind", at="2026-11-20 15:00", duration="60m", interviewer_refs=["jane", "raj"])
    t.log(K.EMAIL, person_refs=["jane"], at="2026-11-23 10:00", direction=Direction.OUT, subject="Thank you")
    t.log(K.EMAIL, person_refs=["raj"], at="2026-11-24 10:00", direction=Direction.OUT, subject="Thank you")
    t.log(K.APPLICATION, opportunity_ref="contoso", at="2026-10-01 09:00", direction=Direction.OUT)


def test_stats_of_a_search_recorded_through_the_tracker(app: App) -> None:
    record(app)
    s = app.stats.compute()
    overall = s.responses.overall
    # the application (answered), Contoso's (silent for eight weeks), the thank-yous (three days old)
    assert (overall.outreaches, overall.answered, overall.waiting, overall.unanswered) == (3, 1, 1, 1)
    assert overall.rate == 0.5
    rates = {r.key: (r.outreaches, r.answered, r.rate) for r in s.responses.by_source}
    assert rates["referral"] == (2, 1, 1.0)
    assert rates["job-board"] == (1, 0, 0.0)
    assert (s.follow_up.responses, s.follow_up.after_follow_up, s.follow_up.median_days_with) == (1, 1, 9.0)
    assert [(f.step, f.count, f.conversion) for f in s.funnel] == [
        ("applied", 2, None),
        ("interview", 1, 0.5),
        ("offer", 0, 0.0),
    ]
    t = s.thank_you
    assert (t.due, t.on_time, t.late, t.missing) == (2, 1, 1, 0)
    last = s.weekly[-1]
    assert (last.label, last.outbound, last.inbound) == ("2026-W48", 2, 0)
    assert s.weekly[-2].interviews == 1
    later = app.stats.compute(since="2026-11-01", weeks=3)
    assert later.responses.overall.outreaches == 1
    assert len(later.weekly) == 5  # from the week of Sunday 1 November


def test_bad_options_are_refused_with_a_fix(app: App) -> None:
    with pytest.raises(InvalidInputError, match="--weeks"):
        app.stats.compute(weeks=0)
    with pytest.raises(InvalidInputError, match="after today") as error:
        app.stats.compute(since="+3d")
    assert "--since -8w" in (error.value.hint or "")
    with pytest.raises(InvalidInputError):
        app.stats.compute(since="the other day")


def test_an_empty_database_has_no_figures_yet(app: App) -> None:
    s = app.stats.compute()
    assert s.empty
    assert s.responses.overall.rate is None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    application = build(Settings(db=str(path), tz="America/Chicago", country="US"), clock=FixedClock(NOW))
    load_demo(application.context.repo, size="small", now=NOW, user_tz="America/Chicago")
    yield application
    application.close()


def test_the_demo_search_gives_sensible_figures(demo: App) -> None:
    s = demo.stats.compute()
    overall = s.responses.overall
    assert overall.outreaches >= 30
    assert overall.rate is not None
    assert 0.5 < overall.rate < 1
    sources = {r.key for r in s.responses.by_source if r.outreaches}
    assert {"referral", "job-board", "recruiter", "network", "company-site"} <= sources
    assert {r.key for r in s.responses.by_channel if r.outreaches} == {
        "application",
        "resume-sent",
        "email",
        "linkedin",
        "call",
    }
    assert s.follow_up.after_follow_up > 0
    assert s.follow_up.median_days_with is not None
    assert s.follow_up.median_days_without is not None
    applied, interview, offer = (step.count for step in s.funnel)
    assert applied > interview > offer > 0
    assert s.thank_you.due > 5
    assert s.thank_you.share is not None
    assert s.thank_you.share > 0.5
    assert len(s.weekly) == 12
    assert sum(w.outbound for w in s.weekly) > 20
    assert sum(w.inbound for w in s.weekly) > 20
    assert sum(w.interviews for w in s.weekly) > 5
    assert not s.empty


def test_stats_read_the_database_without_writing(demo: App, tmp_path: Path) -> None:
    before = demo.context.repo.counts()
    demo.stats.compute(since="2026-09-01")
    assert demo.context.repo.counts() == before
