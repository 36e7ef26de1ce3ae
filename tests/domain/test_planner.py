"""The planner walks each row of the playbook through a realistic story, and keeps its invariants."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.calendar import BusinessCalendar, place_of
from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Stage,
)
from followup.domain.planner import PlanInput, plan
from followup.domain.playbook import default_playbook
from followup.domain.touches import Channel, Touch, TouchKind, TouchStatus

CHICAGO, BERLIN = ZoneInfo("America/Chicago"), ZoneInfo("Europe/Berlin")
US_HOLIDAYS = {2026: frozenset({date(2026, 11, 26), date(2026, 12, 25)}), 2027: frozenset({date(2027, 1, 1)})}
DE_HOLIDAYS = {2026: frozenset({date(2026, 12, 25), date(2026, 12, 26)}), 2027: frozenset({date(2027, 1, 1)})}


class FakeHolidays:
    def of(self, country: str, year: int) -> frozenset[date]:
        return {"US": US_HOLIDAYS, "DE": DE_HOLIDAYS}.get(country, {}).get(year, frozenset())


CAL = BusinessCalendar(FakeHolidays())
PLAYBOOK = default_playbook()

JANE = Person(
    id=1,
    name="Jane Doe",
    emails=(EmailAddress("jane@northwind.example"),),
    timezone="America/Chicago",
    country="US",
    created_at=datetime(2026, 9, 1, tzinfo=UTC),
)
RAJ = Person(
    id=2,
    name="Raj Patel",
    phone="+49 30 5550142",
    timezone="Europe/Berlin",
    country="DE",
    created_at=datetime(2026, 9, 1, tzinfo=UTC),
)
PRIYA = Person(
    id=3,
    name="Priya Nair",
    emails=(EmailAddress("priya@mail.example"),),
    in_network=True,
    timezone="America/New_York",
    country="US",
    created_at=datetime(2026, 6, 1, tzinfo=UTC),
)
NORTHWIND = Opportunity(id=10, company="Northwind Traders", title="Data Engineer")
CONTOSO = Opportunity(id=11, company="Contoso", title="Platform Engineer")


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


def entry(
    n: int,
    kind: InteractionKind,
    when: datetime,
    *,
    opp: int | None = 10,
    people: tuple[int, ...] = (1,),
    direction: Direction = Direction.NONE,
    **fields: object,
) -> Interaction:
    return Interaction(
        id=n,
        kind=kind,
        occurred_at=when,
        opportunity_id=opp,
        person_ids=people,
        direction=direction,
        **fields,
    )  # type: ignore[arg-type]


def planned(
    ledger: list[Interaction],
    *,
    interviews: tuple[Interview, ...] = (),
    stages: dict[int, Stage] | None = None,
    links: tuple[Link, ...] = (Link(1, 10, Role.RECRUITER),),
    people: tuple[Person, ...] = (JANE, RAJ, PRIYA),
) -> dict[str, Touch]:
    stages = stages or {}
    data = PlanInput(
        people={p.id: p for p in people if p.id is not None},
        opportunities={o.id: (o, stages.get(o.id, Stage.APPLIED)) for o in (NORTHWIND, CONTOSO) if o.id},
        links=links,
        ledger=ledger,
        interviews=interviews,
        user_zone="America/Chicago",
        user_country="US",
    )
    return {t.key: t for t in plan(data, PLAYBOOK, CAL)}


def test_thank_you_each_interviewer_before_a_holiday_in_their_own_zone() -> None:
    # Wednesday 25 Nov 2026, the day before Thanksgiving: Jane in Chicago, Raj in Berlin (phone only).
    interview = Interview(
        id=5,
        opportunity_id=10,
        starts_at=at(CHICAGO, 2026, 11, 25, 9, 0),
        ends_at=at(CHICAGO, 2026, 11, 25, 9, 45),
        timezone="America/Chicago",
        interviewer_ids=(1, 2),
    )
    touches = planned([], interviews=(interview,), stages={10: Stage.INTERVIEWING})
    jane, raj = touches["thank-you/5/1"], touches["thank-you/5/2"]
    # Jane: ended 09:45 her time, by 17:00 the same day
    assert jane.due_by == at(CHICAGO, 2026, 11, 25, 17, 0)
    assert jane.channel is Channel.EMAIL
    assert "thank them" in jane.reason
    # Raj: it ended 16:45 in Berlin (after 15:00): by noon his next business day, Thursday (no German holiday)
    assert raj.due_by == at(BERLIN, 2026, 11, 26, 12, 0)
    assert raj.channel is Channel.VOICEMAIL
    assert raj.template == "voicemail"
    assert jane.due_from >= interview.ends_at


def test_thank_you_late_on_a_friday_before_a_holiday_is_due_after_it() -> None:
    # Thursday 24 Dec 2026 16:30 in Berlin; 25 and 26 Dec are German holidays, 27 is Sunday
    interview = Interview(
        id=6,
        opportunity_id=10,
        starts_at=at(BERLIN, 2026, 12, 24, 15, 30),
        ends_at=at(BERLIN, 2026, 12, 24, 16, 30),
        timezone="Europe/Berlin",
        interviewer_ids=(2,),
    )
    touch = planned([], interviews=(interview,), stages={10: Stage.INTERVIEWING})["thank-you/6/2"]
    assert touch.due_by == at(BERLIN, 2026, 12, 28, 12, 0)


def test_a_thank_you_logged_settles_it() -> None:
    interview = Interview(
        id=5,
        opportunity_id=10,
        starts_at=at(CHICAGO, 2026, 11, 24, 9, 0),
        ends_at=at(CHICAGO, 2026, 11, 24, 10, 0),
        timezone="America/Chicago",
        interviewer_ids=(1,),
    )
    sent = entry(1, InteractionKind.EMAIL, at(CHICAGO, 2026, 11, 24, 13, 0), direction=Direction.OUT)
    assert planned([sent], interviews=(interview,))["thank-you/5/1"].status is TouchStatus.DONE


def test_no_thank_you_for_an_interview_after_the_job_went_elsewhere() -> None:
    interview = Interview(id=8, opportunity_id=10, starts_at=at(CHICAGO, 2026, 12, 1, 9, 0),
                          ends_at=at(CHICAGO, 2026, 12, 1, 10, 0), timezone="America/Chicago",
                          interviewer_ids=(1,))  # fmt: skip
    filled = entry(1, InteractionKind.OUTCOME, at(CHICAGO, 2026, 11, 27, 9, 0), outcome=Outcome.FILLED,
                   direction=Direction.IN)  # fmt: skip
    touch = planned([filled], interviews=(interview,), stages={10: Stage.FILLED})["thank-you/8/1"]
    assert touch.status is TouchStatus.CANCELLED
    assert touch.cancel_reason == "Northwind Traders was filled before the interview"
    # an outcome after the interview does not take the thank-you back
    later = dataclasses.replace(filled, occurred_at=at(CHICAGO, 2026, 12, 2, 9, 0))
    kept = planned([later], interviews=(interview,), stages={10: Stage.FILLED})["thank-you/8/1"]
    assert kept.status is TouchStatus.PENDING


def test_resume_check_three_business_days_later_and_stops_at_any_interaction() -> None:
    sent = entry(
        1,
        InteractionKind.RESUME_SENT,
        at(CHICAGO, 2026, 11, 20, 10, 0),
        opp=None,
        people=(3,),
        direction=Direction.OUT,
    )
    touch = planned([sent])["resume-check/1/3"]
    # Fri 20 Nov → Mon 23, Tue 24, Wed 25: due Wednesday in Priya's zone (New York)
    assert touch.due_from == at(ZoneInfo("America/New_York"), 2026, 11, 25, 9, 0)
    reply = entry(
        2,
        InteractionKind.EMAIL,
        at(CHICAGO, 2026, 11, 23, 8, 0),
        opp=None,
        people=(3,),
        direction=Direction.IN,
    )
    settled = planned([sent, reply])["resume-check/1/3"]
    assert settled.status is TouchStatus.CANCELLED
    assert "Priya Nair got in touch" in (settled.cancel_reason or "")


def test_check_in_twice_then_propose_cold() -> None:
    applied = entry(
        1, InteractionKind.APPLICATION, at(CHICAGO, 2026, 11, 2, 10, 0), people=(), direction=Direction.OUT
    )
    touches = planned([applied])
    first = touches["check-in/10/1"]
    assert first.person_id == 1  # the recruiter
    assert first.due_from == at(CHICAGO, 2026, 11, 11, 9, 0)  # 7 business days after Mon 2 Nov
    assert "check-in/10/2" not in touches  # the second is planned once the first went out
    nudge1 = entry(2, InteractionKind.EMAIL, at(CHICAGO, 2026, 11, 11, 10, 0), direction=Direction.OUT)
    nudge2_day = at(
        CHICAGO, 2026, 11, 23, 10, 0
    )  # 7 business days after 11 Nov (Thanksgiving excluded later)
    nudge2 = entry(3, InteractionKind.EMAIL, nudge2_day, direction=Direction.OUT)
    touches = planned([applied, nudge1, nudge2])
    assert touches["check-in/10/1"].status is TouchStatus.DONE
    assert touches["check-in/10/2"].status is TouchStatus.DONE
    cold = touches["check-in/10/cold"]
    assert cold.kind is TouchKind.GO_COLD
    assert "move it to cold" in cold.reason
    # a reply cancels what is pending and nothing proposes cold
    reply = entry(4, InteractionKind.EMAIL, at(CHICAGO, 2026, 11, 12, 9, 0), direction=Direction.IN)
    touches = planned([applied, nudge1, reply])
    assert touches["check-in/10/2"].status is TouchStatus.CANCELLED
    assert "check-in/10/cold" not in touches


def test_post_interview_two_business_days_after_their_decision_date() -> None:
    interview = Interview(
        id=7,
        opportunity_id=10,
        starts_at=at(CHICAGO, 2026, 11, 16, 10, 0),
        ends_at=at(CHICAGO, 2026, 11, 16, 11, 0),
        timezone="America/Chicago",
        interviewer_ids=(1,),
    )
    data_opp = dataclasses.replace(NORTHWIND, decision_expected=date(2026, 11, 25))
    ledger = [entry(1, InteractionKind.INTERVIEW, interview.starts_at)]
    data = PlanInput(
        people={1: JANE},
        opportunities={10: (data_opp, Stage.INTERVIEWING)},
        links=(Link(1, 10, Role.HIRING_MANAGER),),
        ledger=ledger,
        interviews=(interview,),
        user_zone="America/Chicago",
        user_country="US",
    )
    touches = {t.key: t for t in plan(data, PLAYBOOK, CAL)}
    # decision Wed 25 Nov; Thu 26 is Thanksgiving: +2 business days = Mon 30 Nov
    assert touches["post-interview/10/7/1"].due_from == at(CHICAGO, 2026, 11, 30, 9, 0)


def test_feedback_after_filled_and_reply_owed() -> None:
    outcome = entry(
        1,
        InteractionKind.OUTCOME,
        at(CHICAGO, 2026, 11, 20, 15, 0),
        outcome=Outcome.FILLED,
        direction=Direction.IN,
    )
    touches = planned([outcome], stages={10: Stage.FILLED})
    feedback = touches["feedback/10/1"]
    assert feedback.due_from == at(CHICAGO, 2026, 11, 23, 9, 0)  # next business day
    assert feedback.due_by == at(CHICAGO, 2026, 11, 24, 17, 0)
    message = entry(
        2,
        InteractionKind.EMAIL,
        at(CHICAGO, 2026, 11, 20, 18, 30),
        direction=Direction.IN,
        subject="Next steps",
    )
    owed = planned([message])["reply-owed/1/2"]
    assert owed.urgent
    assert owed.due_by == at(CHICAGO, 2026, 11, 23, 17, 0)  # Friday evening → end of Monday
    answered = entry(
        3,
        InteractionKind.CALL,
        at(CHICAGO, 2026, 11, 23, 9, 0),
        answered=True,
        caller=Caller.ME,
        direction=Direction.OUT,
    )
    assert planned([message, answered])["reply-owed/1/2"].status is TouchStatus.DONE


def test_keep_in_touch_restarts_at_any_interaction() -> None:
    call = entry(
        1,
        InteractionKind.CALL,
        at(CHICAGO, 2026, 8, 3, 10, 0),
        opp=None,
        people=(3,),
        answered=True,
        direction=Direction.IN,
    )
    first = [t for t in planned([call]).values() if t.kind is TouchKind.KEEP_IN_TOUCH]
    assert [t.due_from.date() for t in first] == [date(2026, 11, 2)]  # 90 days after 3 Aug, a Monday
    later = entry(
        2,
        InteractionKind.LINKEDIN,
        at(CHICAGO, 2026, 10, 1, 10, 0),
        opp=None,
        people=(3,),
        direction=Direction.OUT,
    )
    again = [t for t in planned([call, later]).values() if t.kind is TouchKind.KEEP_IN_TOUCH]
    assert [t.due_from.date() for t in again] == [date(2026, 12, 30)]


def test_closing_withdraws_from_the_others_and_thanks_referrers() -> None:
    accepted = entry(
        1,
        InteractionKind.OUTCOME,
        at(CHICAGO, 2026, 11, 20, 12, 0),
        outcome=Outcome.ACCEPTED,
        opp=11,
        people=(),
    )
    touches = planned(
        [accepted],
        stages={10: Stage.INTERVIEWING, 11: Stage.ACCEPTED},
        links=(Link(1, 10, Role.RECRUITER), Link(3, 11, Role.REFERRER)),
    )
    assert touches["closing/10/1"].template == "closing-withdraw"
    assert touches["closing/10/1"].person_id == 1
    assert touches["closing-thanks/3/1"].template == "closing-thanks"


# Invariants --------------------------------------------------------------------------------------

START = at(CHICAGO, 2026, 10, 1, 9, 0)
kinds = st.sampled_from(
    [
        InteractionKind.EMAIL,
        InteractionKind.CALL,
        InteractionKind.APPLICATION,
        InteractionKind.RESUME_SENT,
        InteractionKind.OUTCOME,
        InteractionKind.LINKEDIN,
        InteractionKind.VOICEMAIL,
        InteractionKind.AUTO_REPLY,
        InteractionKind.BOUNCE,
    ]
)
entries = st.builds(
    lambda kind, minutes, direction, who, outcome, away: Interaction(
        kind=kind,
        occurred_at=START + timedelta(minutes=minutes),
        direction=Direction.IN if kind.is_automatic else direction,
        opportunity_id=10,
        person_ids=who,
        outcome=outcome if kind is InteractionKind.OUTCOME else None,
        answered=False if kind is InteractionKind.CALL else None,
        returns_on=(START + timedelta(minutes=minutes, days=away)).date()
        if kind is InteractionKind.AUTO_REPLY and away
        else None,
    ),
    kinds,
    st.integers(0, 60 * 24 * 60),
    st.sampled_from([Direction.IN, Direction.OUT]),
    st.sampled_from([(1,), (2,), (3,), ()]),
    st.sampled_from(Outcome),
    st.integers(0, 20),
)


def ledgers() -> st.SearchStrategy[list[Interaction]]:
    return st.lists(entries, max_size=12).map(
        lambda es: [
            dataclasses.replace(e, id=i + 1) for i, e in enumerate(sorted(es, key=lambda e: e.occurred_at))
        ]
    )


interviews = st.lists(
    st.builds(
        lambda minutes, who: Interview(
            id=minutes % 997 + 1,
            opportunity_id=10,
            starts_at=START + timedelta(minutes=minutes),
            ends_at=START + timedelta(minutes=minutes + 45),
            timezone="America/Chicago",
            interviewer_ids=who,
        ),
        st.integers(0, 60 * 24 * 60),
        st.sampled_from([(1,), (2,), (1, 2)]),
    ),
    max_size=2,
    unique_by=lambda v: v.id,
)


@settings(max_examples=60, deadline=None)
@given(ledger=ledgers(), views=interviews)
def test_invariants(ledger: list[Interaction], views: list[Interview]) -> None:
    touches = planned(ledger, interviews=tuple(views), stages={10: Stage.APPLIED})
    people = {1: JANE, 2: RAJ, 3: PRIYA}
    triggers = {e.id: e.occurred_at for e in ledger}
    fields = {f.name for f in dataclasses.fields(Touch)}
    for touch in touches.values():
        # made without Touch's __init__ (see scheduling._made): every field set, and as the dataclass makes it
        assert vars(touch).keys() == fields
        assert dataclasses.replace(touch) == touch
        assert dataclasses.replace(touch).how == touch.how
        # never due before what triggered it
        assert touch.due_from >= touch.trigger_at
        if touch.trigger_id is not None:
            assert touch.due_from >= triggers[touch.trigger_id]
        assert touch.due_by > touch.due_from
        # never due on the recipient's weekend or public holiday
        person = people.get(touch.person_id) if touch.person_id else None
        place = place_of(
            person.timezone if person else None,
            person.country if person else None,
            None,
            None,
            "America/Chicago",
            "US",
        )
        assert CAL.is_business_day(CAL.local_day(touch.due_from, place), place), touch
    # caps: at most two unanswered nudges per opportunity and rule
    for prefix in ("check-in/10/", "post-interview/10/"):
        nudges = [t for k, t in touches.items() if k.startswith(prefix) and t.kind is not TouchKind.GO_COLD]
        assert len([t for t in nudges if t.status is TouchStatus.PENDING]) <= 1
        assert len({t.round for t in nudges}) == len(nudges) <= 2 * max(1, len(views))
    # three business days between pending non-urgent touches to one person
    pending = sorted(
        (
            t
            for t in touches.values()
            if t.status is TouchStatus.PENDING and not t.urgent and t.person_id is not None
        ),
        key=lambda t: t.due_from,
    )
    for a, b in itertools.pairwise(pending):
        if a.person_id == b.person_id:
            person = people[a.person_id]  # type: ignore[index]
            place = place_of(person.timezone, person.country, None, None, "America/Chicago", "US")
            assert (
                CAL.business_days_between(
                    CAL.local_day(a.due_from, place), CAL.local_day(b.due_from, place), place
                )
                >= 3
            )
    # idempotent
    assert planned(ledger, interviews=tuple(views), stages={10: Stage.APPLIED}) == touches


@settings(max_examples=40, deadline=None)
@given(ledger=ledgers())
def test_an_inbound_reply_cancels_pending_check_ins(ledger: list[Interaction]) -> None:
    applied = [e for e in ledger if e.kind is InteractionKind.APPLICATION]
    if not applied:
        return
    reply_at = applied[0].occurred_at + timedelta(hours=1)
    reply = Interaction(
        id=999,
        kind=InteractionKind.EMAIL,
        occurred_at=reply_at,
        direction=Direction.IN,
        opportunity_id=10,
        person_ids=(1,),
    )
    touches = planned([*ledger, reply])
    for key, touch in touches.items():
        if key.startswith("check-in/10/"):
            assert touch.status is not TouchStatus.PENDING, touch


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(-60 * 24 * 30, 60 * 24 * 30),
    ledger=ledgers(),
)
def test_snoozing_never_makes_a_touch_earlier(minutes: int, ledger: list[Interaction]) -> None:
    from followup.domain.agenda import TouchRecord
    from followup.domain.touches import Decision

    for touch in planned(ledger).values():
        until = touch.due_from + timedelta(minutes=minutes)
        record = TouchRecord(id=1, touch=touch, decision=Decision.SNOOZED, snoozed_until=until)
        assert record.due_from >= touch.due_from
        assert record.due_by >= touch.due_by
        assert record.due_from >= min(until, record.due_from)


@settings(max_examples=60, deadline=None)
@given(
    days=st.integers(0, 200),
    kind=st.sampled_from([InteractionKind.EMAIL, InteractionKind.CALL, InteractionKind.LINKEDIN]),
    direction=st.sampled_from([Direction.IN, Direction.OUT]),
)
def test_keep_in_touch_restarts_at_any_interaction_in_either_direction(
    days: int, kind: InteractionKind, direction: Direction
) -> None:
    first = entry(1, InteractionKind.EMAIL, START, opp=None, people=(3,), direction=Direction.OUT)
    later_at = START + timedelta(days=days, hours=3)
    later = entry(2, kind, later_at, opp=None, people=(3,), direction=direction, answered=True)
    (before,) = [t for t in planned([first]).values() if t.kind is TouchKind.KEEP_IN_TOUCH]
    (after,) = [t for t in planned([first, later]).values() if t.kind is TouchKind.KEEP_IN_TOUCH]
    assert after.trigger_at == later_at
    new_york = ZoneInfo("America/New_York")  # Priya's zone; her cadence is the default 90 days
    assert (
        after.due_from.astimezone(new_york).date()
        >= (later_at + timedelta(days=90)).astimezone(new_york).date()
    )
    assert after.due_from >= before.due_from


def test_an_out_of_office_answers_nothing_and_its_return_date_moves_the_check_in() -> None:
    applied = entry(
        1, InteractionKind.APPLICATION, at(CHICAGO, 2026, 11, 2, 10, 0), people=(), direction=Direction.OUT
    )
    away = entry(
        2,
        InteractionKind.AUTO_REPLY,
        at(CHICAGO, 2026, 11, 3, 8, 0),
        direction=Direction.IN,
        returns_on=date(2026, 11, 16),
    )
    before = planned([applied])["check-in/10/1"]
    touches = planned([applied, away])
    check_in = touches["check-in/10/1"]
    assert check_in.status is TouchStatus.PENDING  # not a reply: nothing is cancelled
    assert before.due_from == at(CHICAGO, 2026, 11, 11, 9, 0)
    assert check_in.due_from == at(CHICAGO, 2026, 11, 17, 9, 0)  # the business day after the return
    assert any("out-of-office" in line and "2026-11-16" in line for line in check_in.how)
    assert not any(key.startswith("reply-owed/") for key in touches)  # nobody to answer


def test_an_out_of_office_without_a_date_changes_nothing() -> None:
    applied = entry(
        1, InteractionKind.APPLICATION, at(CHICAGO, 2026, 11, 2, 10, 0), people=(), direction=Direction.OUT
    )
    away = entry(2, InteractionKind.AUTO_REPLY, at(CHICAGO, 2026, 11, 3, 8, 0), direction=Direction.IN)
    assert planned([applied, away])["check-in/10/1"] == planned([applied])["check-in/10/1"]


def test_a_bounce_asks_for_a_correct_address_until_one_is_there() -> None:
    bounced = dataclasses.replace(JANE, emails=(EmailAddress("jane@northwind.example", bad=True),))
    bounce = entry(
        1,
        InteractionKind.BOUNCE,
        at(CHICAGO, 2026, 11, 4, 10, 0),
        direction=Direction.IN,
        notes="jane@northwind.example: 5.1.1 user unknown",
    )
    task = planned([bounce], people=(bounced, RAJ, PRIYA))["find-address/1/1"]
    assert task.kind is TouchKind.FIND_ADDRESS
    assert task.channel is Channel.NONE
    assert task.status is TouchStatus.PENDING
    assert "bounced" in task.reason
    assert "5.1.1" in task.reason
    assert task.due_from.date() == date(2026, 11, 4)
    fixed = dataclasses.replace(bounced, emails=(*bounced.emails, EmailAddress("jane.doe@northwind.example")))
    settled = planned([bounce], people=(fixed, RAJ, PRIYA))["find-address/1/1"]
    assert settled.status is TouchStatus.CANCELLED
    assert "jane.doe@northwind.example" in (settled.cancel_reason or "")


@settings(max_examples=40, deadline=None)
@given(ledger=ledgers(), days=st.integers(0, 30), hours=st.integers(0, 24 * 40))
def test_an_auto_reply_never_counts_as_a_reply(ledger: list[Interaction], days: int, hours: int) -> None:
    """Adding an out-of-office settles nothing and cancels nothing (it may move touches: see above)."""
    moment = START + timedelta(hours=hours)
    away = Interaction(
        id=999,
        kind=InteractionKind.AUTO_REPLY,
        occurred_at=moment,
        direction=Direction.IN,
        opportunity_id=10,
        person_ids=(1,),
        returns_on=(moment + timedelta(days=days)).date() if days else None,
    )
    without = planned(ledger)
    with_it = planned([*ledger, away])
    for key, touch in without.items():
        if touch.status is TouchStatus.PENDING and key in with_it:
            assert with_it[key].status is TouchStatus.PENDING, key


def test_the_ledger_is_read_by_time_then_id_with_unstored_entries_first_on_a_tie() -> None:
    """Sorting by (time, id) in C, and only when an unstored entry (no id) ties with a stored one by
    the slower key that counts it as id 0: the order is the same either way."""
    from followup.domain.scheduling import _in_order

    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

    def entry(minutes: int, entry_id: int | None) -> Interaction:
        return Interaction(InteractionKind.NOTE, at + timedelta(minutes=minutes), id=entry_id)

    stored = [entry(5, 3), entry(0, 9), entry(0, 2), entry(5, 1)]
    assert [(e.occurred_at.minute, e.id) for e in _in_order(stored)] == [(0, 2), (0, 9), (5, 1), (5, 3)]
    mixed = [entry(0, 7), entry(0, None), entry(-1, 4), entry(0, None)]
    assert [(e.occurred_at.minute, e.id) for e in _in_order(mixed)] == [(59, 4), (0, None), (0, None), (0, 7)]
