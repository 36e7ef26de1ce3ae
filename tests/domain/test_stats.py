"""The figures of `followup stats`, from hand-built ledgers: rates, follow-ups, funnel, thank-yous, weeks."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.calendar import BusinessCalendar
from followup.domain.model import (
    Caller,
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    InterviewStatus,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Source,
    Stage,
)
from followup.domain.outreach import outreaches
from followup.domain.stats import Rate, Stats, StatsInput, compute_stats

K, IN, OUT = InteractionKind, Direction.IN, Direction.OUT
CHICAGO, BERLIN = ZoneInfo("America/Chicago"), ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday, Thanksgiving in the US
HOLIDAYS = {"US": {date(2026, 11, 26), date(2026, 12, 25)}, "DE": {date(2026, 12, 25), date(2026, 12, 26)}}


class FakeHolidays:
    def of(self, country: str, year: int) -> frozenset[date]:
        return frozenset(d for d in HOLIDAYS.get(country, set()) if d.year == year)


CAL = BusinessCalendar(FakeHolidays())
NORTHWIND = Opportunity(id=10, company="Northwind", title="Data Engineer", source=Source.REFERRAL)
CONTOSO = Opportunity(id=11, company="Contoso", title="Analyst", source=Source.JOB_BOARD)
FABRIKAM = Opportunity(id=12, company="Fabrikam", title="Platform Engineer")  # no source
JANE = Person(id=1, name="Jane Doe", timezone="America/Chicago", country="US")
RAJ = Person(id=2, name="Raj Patel", timezone="Europe/Berlin", country="DE")
ANA = Person(id=3, name="Ana Lima", timezone="America/Chicago", country="US")
PRIYA = Person(id=4, name="Priya Nair")  # no zone, no country: the user's
LINKS = (
    Link(1, 10, Role.RECRUITER),
    Link(2, 10, Role.INTERVIEWER),
    Link(3, 11, Role.RECRUITER),
    Link(4, 12, Role.HIRING_MANAGER),
)
_ids = itertools.count(1)


def at(day: str, hm: str = "10:00", zone: ZoneInfo = CHICAGO) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=zone).astimezone(UTC)


def e(
    kind: InteractionKind,
    when: datetime,
    direction: Direction = Direction.NONE,
    *,
    opp: int | None = 10,
    people: tuple[int, ...] = (1,),
    **fields: object,
) -> Interaction:
    return Interaction(
        kind=kind,
        occurred_at=when,
        direction=direction,
        opportunity_id=opp,
        person_ids=people,
        id=next(_ids),
        **fields,
    )  # type: ignore[arg-type]


def interview(
    n: int,
    opp: int,
    start: datetime,
    who: tuple[int, ...],
    *,
    minutes: int = 60,
    status: InterviewStatus = InterviewStatus.SCHEDULED,
) -> Interview:
    return Interview(
        id=n,
        opportunity_id=opp,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        timezone="America/Chicago",
        interviewer_ids=who,
        status=status,
    )


def stats(
    ledger: list[Interaction],
    interviews: tuple[Interview, ...] = (),
    *,
    now: datetime = NOW,
    weeks: int = 12,
    since: date | None = None,
    links: tuple[Link, ...] = LINKS,
) -> Stats:
    data = StatsInput(
        opportunities={o.id: o for o in (NORTHWIND, CONTOSO, FABRIKAM) if o.id},
        people={p.id: p for p in (JANE, RAJ, ANA, PRIYA) if p.id},
        links=links,
        ledger=ledger,
        interviews=interviews,
        user_zone="America/Chicago",
        user_country="US",
    )
    return compute_stats(data, CAL, now=now, weeks=weeks, since=since)


def row(rates: tuple[Rate, ...], key: str | None) -> tuple[int, int, int, float | None]:
    found = next(r for r in rates if r.key == key)
    return found.outreaches, found.answered, found.waiting, found.rate


# Responses ---------------------------------------------------------------------------------------


def test_an_empty_search_divides_nothing_by_zero() -> None:
    s = stats([])
    assert s.empty
    assert s.responses.overall == Rate(None, 0, 0, 0)
    assert s.responses.overall.rate is None
    assert all(
        r.rate is None for r in (*s.responses.by_source, *s.responses.by_channel, *s.responses.by_stage)
    )
    assert (s.follow_up.share, s.follow_up.median_days_with, s.follow_up.median_days_without) == (None,) * 3
    assert [(f.step, f.count, f.conversion) for f in s.funnel] == [
        ("applied", 0, None),
        ("interview", 0, None),
        ("offer", 0, None),
    ]
    assert s.thank_you.due == 0
    assert s.thank_you.share is None
    assert len(s.weekly) == 12
    assert all(w.outbound == w.inbound == w.applications == w.interviews == 0 for w in s.weekly)


def test_an_application_answered_after_a_follow_up() -> None:
    s = stats(
        [
            e(K.APPLICATION, at("2026-10-05", "10:00"), OUT, people=()),
            e(K.EMAIL, at("2026-10-05", "11:00"), OUT),  # the same day: part of the first approach
            e(K.EMAIL, at("2026-10-12", "09:00"), OUT),  # a week later, nothing heard: a follow-up
            e(K.AUTO_REPLY, at("2026-10-12", "09:01"), IN),  # an out-of-office answers nothing
            e(K.BOUNCE, at("2026-10-12", "09:02"), IN),
            e(K.EMAIL, at("2026-10-14", "10:00"), IN),  # Jane replies: answered, 9 days after applying
        ]
    )
    overall = s.responses.overall
    assert (overall.outreaches, overall.answered, overall.waiting, overall.rate) == (1, 1, 0, 1.0)
    assert row(s.responses.by_source, "referral") == (1, 1, 0, 1.0)
    assert row(s.responses.by_source, "job-board") == (0, 0, 0, None)
    assert row(s.responses.by_channel, "application") == (1, 1, 0, 1.0)
    assert row(s.responses.by_channel, "email") == (0, 0, 0, None)
    assert row(s.responses.by_stage, "applied") == (1, 1, 0, 1.0)
    assert s.follow_up.responses == 1
    assert s.follow_up.after_follow_up == 1
    assert s.follow_up.share == 1.0
    assert s.follow_up.median_days_with == 9.0
    assert s.follow_up.median_days_without is None


def test_rates_by_source_channel_and_stage() -> None:
    s = stats(
        [
            # Northwind (referral): a résumé to Jane, answered the next day …
            e(K.RESUME_SENT, at("2026-09-01"), OUT),
            e(K.EMAIL, at("2026-09-02"), IN),
            # … an interview (their side: no outreach open), then a thank-you to Raj, answered by Jane
            e(K.INTERVIEW, at("2026-09-10"), people=(2,)),
            e(K.EMAIL, at("2026-09-10", "16:00"), OUT, people=(2,)),
            e(K.EMAIL, at("2026-09-14"), IN),
            # Contoso (job board): an application nobody answers; a LinkedIn message to Ana, answered by a
            # call from her; then a rejection, and a feedback request nobody answers
            e(K.APPLICATION, at("2026-09-01"), OUT, opp=11, people=()),
            e(K.LINKEDIN, at("2026-09-03"), OUT, opp=11, people=(3,)),  # a follow-up of the application
            e(K.CALL, at("2026-09-08"), IN, opp=11, people=(3,), caller=Caller.THEM, answered=True),
            e(K.OUTCOME, at("2026-09-20"), IN, opp=11, people=(3,), outcome=Outcome.REJECTED),
            e(K.EMAIL, at("2026-09-21"), OUT, opp=11, people=(3,)),
            # Fabrikam (no source): a call to Priya, no answer, and a voicemail; she never calls back
            e(K.CALL, at("2026-09-01"), OUT, opp=12, people=(4,), caller=Caller.ME, answered=False),
            e(K.VOICEMAIL, at("2026-09-01", "10:05"), OUT, opp=12, people=(4,), caller=Caller.ME),
        ]
    )
    assert row(s.responses.by_source, "referral") == (2, 2, 0, 1.0)
    assert row(s.responses.by_source, "job-board") == (2, 1, 0, 0.5)
    assert row(s.responses.by_source, None) == (1, 0, 0, 0.0)
    assert row(s.responses.by_channel, "resume-sent") == (1, 1, 0, 1.0)
    assert row(s.responses.by_channel, "email") == (2, 1, 0, 0.5)  # the thank-you, the feedback request
    assert row(s.responses.by_channel, "application") == (1, 1, 0, 1.0)
    assert row(s.responses.by_channel, "call") == (1, 0, 0, 0.0)  # the call and voicemail: one approach
    assert row(s.responses.by_channel, "linkedin") == (0, 0, 0, None)  # it was a follow-up, not a start
    assert row(s.responses.by_stage, "lead") == (2, 1, 0, 0.5)
    assert row(s.responses.by_stage, "applied") == (1, 1, 0, 1.0)
    assert row(s.responses.by_stage, "interviewing") == (1, 1, 0, 1.0)
    assert row(s.responses.by_stage, "rejected") == (1, 0, 0, 0.0)
    overall = s.responses.overall
    assert (overall.outreaches, overall.answered, overall.rate) == (5, 3, 0.6)
    assert sum(r.outreaches for r in s.responses.by_source) == 5
    assert sum(r.outreaches for r in s.responses.by_channel) == 5
    assert sum(r.outreaches for r in s.responses.by_stage) == 5


def test_follow_up_share_medians_and_rates() -> None:
    s = stats(
        [
            # answered after 1 day, no follow-up
            e(K.EMAIL, at("2026-09-01"), OUT, opp=12, people=(4,)),
            e(K.EMAIL, at("2026-09-02"), IN, opp=12, people=(4,)),
            # answered after 3 days, no follow-up
            e(K.EMAIL, at("2026-09-07"), OUT, opp=12, people=(4,)),
            e(K.EMAIL, at("2026-09-10"), IN, opp=12, people=(4,)),
            # answered after 12 days, after a follow-up
            e(K.APPLICATION, at("2026-09-01"), OUT, opp=11, people=()),
            e(K.EMAIL, at("2026-09-09"), OUT, opp=11, people=(3,)),
            e(K.EMAIL, at("2026-09-13"), IN, opp=11, people=(3,)),
            # never answered, though followed up twice
            e(K.APPLICATION, at("2026-09-01"), OUT, people=()),
            e(K.EMAIL, at("2026-09-08"), OUT),
            e(K.EMAIL, at("2026-09-15"), OUT),
        ]
    )
    f = s.follow_up
    assert (f.responses, f.after_follow_up) == (3, 1)
    assert f.share == pytest.approx(1 / 3)
    assert f.median_days_without == 2.0  # of 1 and 3
    assert f.median_days_with == 12.0
    assert (f.with_follow_up.outreaches, f.with_follow_up.answered, f.with_follow_up.rate) == (2, 1, 0.5)
    assert (f.without_follow_up.outreaches, f.without_follow_up.rate) == (2, 1.0)


def test_recent_silence_waits_outside_the_rate() -> None:
    s = stats(
        [
            e(K.APPLICATION, at("2026-11-20"), OUT, people=()),  # 6 days ago, nothing yet: waiting
            e(K.APPLICATION, at("2026-10-01"), OUT, opp=11, people=()),  # 8 weeks of silence: unanswered
            e(K.EMAIL, at("2026-11-23"), OUT, opp=12, people=(4,)),  # 3 days ago and answered: counts
            e(K.EMAIL, at("2026-11-24"), IN, opp=12, people=(4,)),
        ]
    )
    overall = s.responses.overall
    assert (overall.outreaches, overall.answered, overall.waiting, overall.unanswered) == (3, 1, 1, 1)
    assert overall.rate == 0.5


def test_entries_without_an_opportunity_belong_to_those_of_their_people() -> None:
    # Ana (Contoso's recruiter) answers without naming the opportunity; so does a stranger (person 9)
    ledger = [
        e(K.APPLICATION, at("2026-09-01"), OUT, opp=11, people=()),
        e(K.EMAIL, at("2026-09-02"), IN, opp=None, people=(9,)),
        e(K.LINKEDIN, at("2026-09-03"), IN, opp=None, people=(3,)),
    ]
    found = outreaches({11: CONTOSO}, LINKS, ledger, now=NOW, zone=CHICAGO)
    assert len(found) == 1
    assert found[0].answered_at == at("2026-09-03")
    assert found[0].days_to_answer == 2.0


def test_a_call_they_answer_is_answered_at_once_and_meetings_and_decisions_answer() -> None:
    ledger = [
        e(K.CALL, at("2026-09-01"), OUT, opp=12, people=(4,), caller=Caller.ME, answered=True),
        e(K.LINKEDIN, at("2026-09-05"), OUT, opp=12, people=(4,)),
        e(K.MEETING, at("2026-09-08"), opp=12, people=(4,)),
        e(K.EMAIL, at("2026-09-10"), OUT, opp=12, people=(4,)),
        e(K.OUTCOME, at("2026-09-11"), IN, opp=12, people=(4,), outcome=Outcome.FILLED),
        e(K.EMAIL, at("2026-09-12"), OUT, opp=12, people=(4,)),
        e(K.OUTCOME, at("2026-09-13"), IN, opp=12, outcome=Outcome.WITHDRAWN),  # yours: no answer
    ]
    found = outreaches({12: FABRIKAM}, LINKS, ledger, now=NOW, zone=CHICAGO)
    assert [(o.channel.value, o.days_to_answer, o.stage.value) for o in found] == [
        ("call", 0.0, "lead"),
        ("linkedin", 3.0, "lead"),
        ("email", 1.0, "lead"),
        ("email", None, "filled"),
    ]


def test_the_future_does_not_count() -> None:
    s = stats([e(K.EMAIL, NOW + timedelta(hours=1), OUT), e(K.EMAIL, NOW + timedelta(hours=2), IN)])
    assert s.responses.overall.outreaches == 0
    assert s.empty


# The funnel --------------------------------------------------------------------------------------


def test_the_funnel_counts_how_far_each_opportunity_got() -> None:
    opportunities = {n: Opportunity(id=n, company=f"C{n}", title="T") for n in range(20, 26)}
    ledger = [
        # 20: a lead only
        e(K.NOTE, at("2026-09-01"), opp=20),
        # 21: applied, then rejected
        e(K.APPLICATION, at("2026-09-01"), OUT, opp=21),
        e(K.OUTCOME, at("2026-09-10"), IN, opp=21, outcome=Outcome.REJECTED),
        # 22: applied, interviewed, filled by someone else
        e(K.APPLICATION, at("2026-09-01"), OUT, opp=22),
        e(K.INTERVIEW, at("2026-09-15"), opp=22),
        e(K.OUTCOME, at("2026-09-30"), IN, opp=22, outcome=Outcome.FILLED),
        # 23: a recruiter's screen without an application, then an interview scheduled next week
        e(K.STAGE, at("2026-10-01"), opp=23, stage=Stage.SCREENING),
        e(K.INTERVIEW, NOW + timedelta(days=6), opp=23),
        # 24: applied, interviewed, offer, accepted
        e(K.APPLICATION, at("2026-09-01"), OUT, opp=24),
        e(K.INTERVIEW, at("2026-09-10"), opp=24),
        e(K.OUTCOME, at("2026-10-01"), IN, opp=24, outcome=Outcome.OFFER),
        e(K.OUTCOME, at("2026-10-05"), OUT, opp=24, outcome=Outcome.ACCEPTED),
        # 25: accepted straight away (an offer is implied)
        e(K.OUTCOME, at("2026-10-05"), OUT, opp=25, outcome=Outcome.ACCEPTED),
    ]
    from followup.domain.stats import funnel

    steps = funnel(opportunities, ledger, zone=CHICAGO, since=None)
    assert [(f.step, f.count) for f in steps] == [("applied", 5), ("interview", 4), ("offer", 2)]
    assert [f.conversion for f in steps] == [None, 0.8, 0.5]
    later = funnel(opportunities, ledger, zone=CHICAGO, since=date(2026, 10, 1))
    assert [(f.step, f.count) for f in later] == [("applied", 2), ("interview", 2), ("offer", 1)]


# Thank-you punctuality ---------------------------------------------------------------------------


def test_thank_yous_over_a_weekend_in_each_interviewers_zone() -> None:
    # Friday 20 Nov, 15:00-16:00 in Chicago (23:00 in Berlin): Jane, Raj and Ana interviewed.
    friday = interview(1, 10, at("2026-11-20", "15:00"), (1, 2, 3))
    s = stats(
        [
            e(K.EMAIL, at("2026-11-20", "15:30"), OUT),  # during the interview: no thank-you
            e(K.EMAIL, at("2026-11-23", "16:00"), OUT),  # Jane, Monday afternoon: within one business day
            e(K.LINKEDIN, at("2026-11-23", "17:30"), OUT, people=(2,)),  # Raj: Tuesday 00:30 his time, late
            e(K.MEETING, at("2026-11-23", "12:00"), people=(3,)),  # a meeting with Ana is not a note
        ],
        (friday,),
    )
    t = s.thank_you
    assert (t.due, t.on_time, t.late, t.missing) == (3, 1, 1, 1)
    assert t.share == pytest.approx(1 / 3)


@pytest.mark.parametrize(("country", "on_time"), [("US", 1), ("DE", 0)])
def test_a_public_holiday_gives_one_more_day(country: str, on_time: int) -> None:
    # Wednesday 25 Nov in Chicago; the note goes on Friday: Thursday is Thanksgiving in the US only.
    person = Person(id=1, name="Jane Doe", timezone="America/Chicago", country=country)
    data = StatsInput(
        {10: NORTHWIND},
        {1: person},
        LINKS,
        [e(K.EMAIL, at("2026-11-27", "11:00"), OUT)],
        [interview(1, 10, at("2026-11-25", "14:00"), (1,))],
        "America/Chicago",
        "US",
    )
    t = compute_stats(data, CAL, now=at("2026-11-30")).thank_you
    assert (t.due, t.on_time, t.late) == (1, on_time, 1 - on_time)


def test_thank_yous_are_owed_only_for_interviews_held() -> None:
    ledger = [
        e(K.OUTCOME, at("2026-11-02"), IN, opp=11, people=(3,), outcome=Outcome.REJECTED),
        e(K.EMAIL, at("2026-11-10", "15:00"), OUT),  # Jane: thanks for the first, before the second
        e(K.EMAIL, at("2026-11-18", "15:00"), OUT),  # Jane: thanks for the second interview
    ]
    views = (
        interview(1, 10, at("2026-11-10"), (1,)),
        interview(2, 10, at("2026-11-17"), (1,)),
        interview(3, 10, at("2026-11-12"), (1,), status=InterviewStatus.CANCELLED),
        interview(4, 10, NOW + timedelta(days=1), (1,)),  # not held yet
        interview(5, 11, at("2026-11-05"), (3,)),  # after Contoso said no
    )
    t = stats(ledger, views).thank_you
    assert (t.due, t.on_time, t.late, t.missing) == (2, 2, 0, 0)


# Weekly activity ---------------------------------------------------------------------------------


def test_weekly_activity_by_iso_week_in_the_users_zone() -> None:
    ledger = [
        e(K.APPLICATION, at("2026-11-16"), OUT, people=()),  # Monday of W47
        e(K.EMAIL, at("2026-11-22", "23:30"), OUT),  # Sunday night in Chicago (Monday in UTC): W47
        e(K.LINKEDIN, at("2026-11-23", "08:00"), IN),  # W48
        e(K.AUTO_REPLY, at("2026-11-23", "08:01"), IN),  # not a person
        e(K.CALL, at("2026-11-24"), IN, caller=Caller.THEM, answered=False),
        e(K.NOTE, at("2026-11-24"), notes="not activity"),
        e(K.EMAIL, NOW + timedelta(hours=1), OUT),  # not yet
        e(K.EMAIL, at("2026-08-03"), OUT),  # before the 12 weeks
    ]
    views = (
        interview(1, 10, at("2026-11-24", "13:00"), (2,)),
        interview(2, 10, NOW + timedelta(days=1), (2,)),
        interview(3, 10, at("2026-11-25"), (2,), status=InterviewStatus.CANCELLED),
    )
    weeks = stats(ledger, views).weekly
    assert len(weeks) == 12
    assert weeks[-1].start == date(2026, 11, 23)
    assert weeks[0].start == date(2026, 9, 7)
    assert [w.label for w in weeks[-2:]] == ["2026-W47", "2026-W48"]
    last, previous = weeks[-1], weeks[-2]
    assert (previous.outbound, previous.inbound, previous.applications, previous.interviews) == (1, 0, 1, 0)
    assert (last.outbound, last.inbound, last.applications, last.interviews) == (0, 2, 0, 1)
    assert sum(w.outbound for w in weeks) == 1
    assert len(stats(ledger, weeks=1).weekly) == 1


def test_since_starts_the_weeks_and_limits_the_figures() -> None:
    ledger = [
        e(K.APPLICATION, at("2026-10-01"), OUT, people=()),
        e(K.EMAIL, at("2026-10-20"), IN),
        e(K.EMAIL, at("2026-11-02"), OUT, opp=12, people=(4,)),
        e(K.EMAIL, at("2026-11-03"), IN, opp=12, people=(4,)),
        e(K.EMAIL, at("2026-11-05", "12:00"), OUT, opp=10, people=(2,)),
    ]
    views = (interview(1, 10, at("2026-10-30"), (1,)), interview(2, 10, at("2026-11-05"), (2,)))
    s = stats(ledger, views, since=date(2026, 11, 1))  # a Sunday: its week starts on 26 Oct
    assert s.since == date(2026, 11, 1)
    assert [w.start for w in s.weekly] == [date(2026, 10, 26) + timedelta(weeks=n) for n in range(5)]
    assert s.responses.overall.outreaches == 2  # the October application is left out
    assert (s.thank_you.due, s.thank_you.on_time) == (1, 1)  # Raj's; Jane's interview was in October
    assert [f.count for f in s.funnel] == [0, 0, 0]  # Northwind began in October; Fabrikam is a lead


# Invariants --------------------------------------------------------------------------------------

_kinds = st.sampled_from(
    [
        K.EMAIL,
        K.LINKEDIN,
        K.CALL,
        K.VOICEMAIL,
        K.APPLICATION,
        K.RESUME_SENT,
        K.MEETING,
        K.INTERVIEW,
        K.OUTCOME,
        K.AUTO_REPLY,
        K.BOUNCE,
        K.NOTE,
        K.STAGE,
    ]
)
_entries = st.builds(
    lambda kind, minutes, direction, opp, people, outcome, stage, answered: Interaction(
        kind=kind,
        occurred_at=NOW - timedelta(minutes=minutes),
        direction=direction,
        opportunity_id=opp,
        person_ids=people,
        outcome=outcome if kind is K.OUTCOME else None,
        stage=stage if kind is K.STAGE else None,
        answered=answered if kind is K.CALL else None,
    ),
    _kinds,
    st.integers(-60 * 24 * 3, 60 * 24 * 120),
    st.sampled_from([IN, OUT, Direction.NONE]),
    st.sampled_from([10, 11, 12, None]),
    st.sampled_from([(1,), (2,), (3,), (4,), (1, 2), ()]),
    st.sampled_from(Outcome),
    st.sampled_from(Stage),
    st.booleans(),
)
_interviews = st.lists(
    st.builds(
        lambda n, opp, minutes, who, cancelled: interview(
            n,
            opp,
            NOW - timedelta(minutes=minutes),
            who,
            status=InterviewStatus.CANCELLED if cancelled else InterviewStatus.SCHEDULED,
        ),
        st.integers(1, 1000),
        st.sampled_from([10, 11, 12]),
        st.integers(-60 * 24 * 3, 60 * 24 * 120),
        st.sampled_from([(1,), (2,), (1, 2), (3, 4)]),
        st.booleans(),
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    ledger=st.lists(_entries, max_size=25),
    views=_interviews,
    weeks=st.integers(1, 20),
    since_days=st.one_of(st.none(), st.integers(0, 150)),
)
def test_figures_add_up_and_rates_stay_between_zero_and_one(
    ledger: list[Interaction], views: list[Interview], weeks: int, since_days: int | None
) -> None:
    since = None if since_days is None else (NOW - timedelta(days=since_days)).astimezone(CHICAGO).date()
    s = stats(ledger, tuple(views), weeks=weeks, since=since)
    # the order entries were recorded in never matters
    assert stats(list(reversed(ledger)), tuple(views), weeks=weeks, since=since) == s
    overall = s.responses.overall
    rates = (
        overall,
        *s.responses.by_source,
        *s.responses.by_channel,
        *s.responses.by_stage,
        s.follow_up.with_follow_up,
        s.follow_up.without_follow_up,
    )
    for r in rates:
        assert r.rate is None or 0 <= r.rate <= 1
        assert r.answered + r.waiting + r.unanswered == r.outreaches
        assert min(r.answered, r.waiting, r.unanswered) >= 0
    for group in (s.responses.by_source, s.responses.by_channel, s.responses.by_stage):
        assert sum(r.outreaches for r in group) == overall.outreaches
        assert sum(r.answered for r in group) == overall.answered
    f = s.follow_up
    assert f.with_follow_up.outreaches + f.without_follow_up.outreaches == overall.outreaches
    assert f.responses == overall.answered
    assert 0 <= f.after_follow_up <= f.responses
    assert f.share is None or 0 <= f.share <= 1
    assert (f.share is None) == (f.responses == 0)
    assert f.median_days_with is None or f.median_days_with >= 0
    assert f.median_days_without is None or f.median_days_without >= 0
    counts = [step.count for step in s.funnel]
    assert counts == sorted(counts, reverse=True)
    assert all(step.conversion is None or 0 <= step.conversion <= 1 for step in s.funnel)
    t = s.thank_you
    assert t.on_time + t.late + t.missing == t.due
    assert t.share is None or 0 <= t.share <= 1
    if since is None:
        assert len(s.weekly) == weeks
    starts = [w.start for w in s.weekly]
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(starts))
    assert all(w.start.weekday() == 0 for w in s.weekly)
    first = starts[0]
    happened = [
        x for x in ledger if x.occurred_at <= NOW and x.occurred_at.astimezone(CHICAGO).date() >= first
    ]
    assert sum(w.applications for w in s.weekly) == sum(x.kind is K.APPLICATION for x in happened)
