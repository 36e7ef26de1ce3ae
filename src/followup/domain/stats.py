"""A job search in numbers: response rates, the effect of following up, the funnel, thank-you punctuality
and weekly activity, as pure functions of the ledger.

Every figure, precisely (the README's "Stats" section says the same for users):

- Only what has happened by `now` counts; the funnel alone also counts an interview already scheduled
  (as the stage does). Days, weeks and `since` are read in the user's zone.
- An entry belongs to an opportunity when it names it, or, naming none, when one of its people has a
  role in that opportunity.
- An **approach** asks for an answer: an application, a résumé sent, an e-mail or LinkedIn message you
  wrote, a call you made or a voicemail you left.
- A **response** is their side: a human message or call from a person of the opportunity (direction
  `in`; out-of-office replies and bounces never count), a meeting or an interview, their decision
  (outcome `rejected`, `filled` or `offer`), or a call of yours that they answered.
- An **outreach** starts with an approach on an opportunity where none is open and is **answered** by
  the first response after it; the next approach after a response starts a new one. Approaches on the
  same day as the first belong to it (a thank-you to each interviewer; an application and a note to the
  recruiter).
- A **follow-up** is an approach in an outreach still unanswered, on a later day than its first.
- An unanswered outreach younger than 14 days is **waiting**: out of the rates until answered or older.
- **Response rate** = answered ÷ (outreaches minus waiting); "—" when that is zero. By **source** (the
  opportunity's), by **channel** (the first approach's: application, résumé, e-mail, LinkedIn, call —
  a voicemail counts as a call) and by **stage** (the opportunity's stage once the first approach was
  made, so an application counts under `applied` and a feedback request under `rejected`).
- **Effect of following up**: of the answered outreaches, the share answered after at least one
  follow-up; the median days from the first approach to the response, with and without a follow-up;
  and the response rates of outreaches with and without a follow-up.
- **Funnel**: opportunities that got at least as far as `applied`, an interview (stage `interviewing`)
  and an offer (`offer` or `accepted`) at any time, so a rejected opportunity counts for the furthest
  stage it reached; each step's conversion is its count ÷ the previous step's.
- **Thank-you punctuality**: for each interviewer of each interview that has ended (not cancelled, and
  not after the opportunity was closed), the thank-you is your first e-mail, LinkedIn message,
  voicemail or call to them after the end (and before their next interview). It is **on time** when it
  happened by the end of the next business day after the day the interview ended, in the interviewer's
  zone and country (weekends and public holidays skipped); **late** when later; **missing** when there
  is none yet. Share = on time ÷ all. (A note followup sent is an outbound e-mail in the ledger, so
  notes sent through the outbox count like any other.)
- **Weekly activity**, per ISO week (Monday to Sunday): outbound = approaches other than applications;
  inbound = human messages and calls from anyone; applications; interviews held (not cancelled).
- `since` (a date) keeps what started that day or later: outreaches by their first approach, the funnel
  by the opportunity's first ledger entry, thank-yous by the interview's end; the weekly rows then run
  from its week to this one instead of the last `weeks` weeks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import median

from followup.domain.calendar import BusinessCalendar
from followup.domain.ledger import advance, ledger_order
from followup.domain.model import (
    Interaction,
    InteractionKind,
    Interview,
    InterviewStatus,
    Link,
    Opportunity,
    Person,
    Source,
    Stage,
)
from followup.domain.outreach import (
    CHANNELS,
    Outreach,
    is_approach,
    is_inbound_message,
    outreaches,
)
from followup.domain.scheduling import zone as zone_named
from followup.domain.thanks import ThankYous, thank_yous

# The open path, in order: how far an opportunity got (a closed stage is not a step on it).
PATH: tuple[Stage, ...] = (
    Stage.LEAD, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED,
)  # fmt: skip
FUNNEL: tuple[tuple[str, Stage], ...] = (
    ("applied", Stage.APPLIED), ("interview", Stage.INTERVIEWING), ("offer", Stage.OFFER),
)  # fmt: skip
_LABELS = {
    "job-board": "job board", "company-site": "company site", "resume-sent": "résumé",
    "linkedin": "LinkedIn", None: "no source",
}  # fmt: skip


def label(key: str | None) -> str:
    """A row's key in words for people: `job-board` → "job board", None → "no source"."""
    return _LABELS.get(key, key or "")


def share(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class StatsInput:
    """What the figures are computed from: the whole job search."""

    opportunities: Mapping[int, Opportunity]
    people: Mapping[int, Person]
    links: Sequence[Link]
    ledger: Sequence[Interaction]
    interviews: Sequence[Interview]
    user_zone: str
    user_country: str | None


@dataclass(frozen=True)
class Rate:
    """How many outreaches of one kind were answered. `key` is the word `--json` prints (a source, a
    channel, a stage); None for the overall row and for opportunities without a source."""

    key: str | None
    outreaches: int
    answered: int
    waiting: int

    @property
    def unanswered(self) -> int:
        return self.outreaches - self.answered - self.waiting

    @property
    def rate(self) -> float | None:
        return share(self.answered, self.outreaches - self.waiting)

    @classmethod
    def of(cls, key: str | None, items: Iterable[Outreach]) -> Rate:
        items = list(items)
        return cls(key, len(items), sum(o.answered for o in items), sum(o.waiting for o in items))


@dataclass(frozen=True)
class Responses:
    overall: Rate
    by_source: tuple[Rate, ...]  # every source, then None (no source)
    by_channel: tuple[Rate, ...]  # every channel of CHANNELS
    by_stage: tuple[Rate, ...]  # every stage


@dataclass(frozen=True)
class FollowUpEffect:
    with_follow_up: Rate  # outreaches with at least one follow-up
    without_follow_up: Rate
    median_days_with: float | None  # first approach → response, answered outreaches only
    median_days_without: float | None

    @property
    def responses(self) -> int:
        return self.with_follow_up.answered + self.without_follow_up.answered

    @property
    def after_follow_up(self) -> int:
        return self.with_follow_up.answered

    @property
    def share(self) -> float | None:
        return share(self.after_follow_up, self.responses)


@dataclass(frozen=True)
class FunnelStep:
    step: str  # applied, interview, offer
    count: int
    conversion: float | None  # of the previous step; None for the first step or an empty previous one


@dataclass(frozen=True)
class Week:
    """One ISO week of activity."""

    start: date  # its Monday
    outbound: int
    inbound: int
    applications: int
    interviews: int

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Stats:
    now: datetime
    since: date | None
    responses: Responses
    follow_up: FollowUpEffect
    funnel: tuple[FunnelStep, ...]
    thank_you: ThankYous
    weekly: tuple[Week, ...]

    @property
    def empty(self) -> bool:
        """Nothing at all to count yet."""
        return (
            not self.responses.overall.outreaches
            and not any(step.count for step in self.funnel)
            and not self.thank_you.due
            and not any(w.outbound or w.inbound or w.applications or w.interviews for w in self.weekly)
        )


def compute_stats(
    data: StatsInput,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    weeks: int = 12,
    since: date | None = None,
) -> Stats:
    """Every figure of `followup stats`; `weeks` (at least 1) is used only when `since` is None."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    zone = zone_named(data.user_zone)
    ledger = sorted(data.ledger, key=ledger_order)  # once, for every figure below
    found = outreaches(data.opportunities, data.links, ledger, now=now, zone=zone, ordered=True)
    if since is not None:
        found = [o for o in found if o.started_at.astimezone(zone).date() >= since]
    return Stats(
        now=now,
        since=since,
        responses=responses(found),
        follow_up=follow_up_effect(found),
        funnel=funnel(data.opportunities, ledger, zone=zone, since=since, ordered=True),
        thank_you=thank_yous(
            data.people,
            ledger,
            data.interviews,
            calendar,
            user=(data.user_zone, data.user_country),
            now=now,
            since=since,
            ordered=True,
        ),
        weekly=weekly(ledger, data.interviews, now=now, zone=zone, weeks=weeks, since=since),
    )


def responses(found: Sequence[Outreach]) -> Responses:
    return Responses(
        overall=Rate.of(None, found),
        by_source=tuple(
            Rate.of(source.value if source else None, (o for o in found if o.source is source))
            for source in (*Source, None)
        ),
        by_channel=tuple(Rate.of(kind.value, (o for o in found if o.channel is kind)) for kind in CHANNELS),
        by_stage=tuple(Rate.of(stage.value, (o for o in found if o.stage is stage)) for stage in Stage),
    )


def follow_up_effect(found: Sequence[Outreach]) -> FollowUpEffect:
    followed = [o for o in found if o.follow_ups]
    alone = [o for o in found if not o.follow_ups]
    return FollowUpEffect(
        with_follow_up=Rate.of(None, followed),
        without_follow_up=Rate.of(None, alone),
        median_days_with=_median(o.days_to_answer for o in followed),
        median_days_without=_median(o.days_to_answer for o in alone),
    )


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return median(known) if known else None


def funnel(
    opportunities: Mapping[int, Opportunity],
    ledger: Iterable[Interaction],
    *,
    zone: tzinfo,
    since: date | None,
    ordered: bool = False,
) -> tuple[FunnelStep, ...]:
    """How many opportunities got at least as far as each step, and the conversion between steps."""
    own: dict[int, list[Interaction]] = defaultdict(list)
    for entry in ledger:
        if entry.opportunity_id is not None and entry.opportunity_id in opportunities:
            own[entry.opportunity_id].append(entry)
    reached: list[int] = []
    for oid, opportunity in opportunities.items():
        entries = own.get(oid, []) if ordered else sorted(own.get(oid, ()), key=ledger_order)
        started = entries[0].occurred_at if entries else opportunity.created_at
        if since is not None and (started is None or started.astimezone(zone).date() < since):
            continue
        stage, furthest = Stage.LEAD, 0
        for entry in entries:
            stage = advance(stage, entry)
            if stage in PATH:
                furthest = max(furthest, PATH.index(stage))
        reached.append(furthest)
    steps: list[FunnelStep] = []
    previous: int | None = None
    for name, stage in FUNNEL:
        count = sum(furthest >= PATH.index(stage) for furthest in reached)
        steps.append(FunnelStep(name, count, None if previous is None else share(count, previous)))
        previous = count
    return tuple(steps)


def weekly(
    ledger: Iterable[Interaction],
    interviews: Iterable[Interview],
    *,
    now: datetime,
    zone: tzinfo,
    weeks: int,
    since: date | None,
) -> tuple[Week, ...]:
    """Activity per ISO week, oldest first, up to and including this week."""
    today = now.astimezone(zone).date()
    this_monday = _monday(today)
    first = _monday(since) if since is not None else this_monday - timedelta(weeks=weeks - 1)
    counts: dict[date, list[int]] = {}
    monday = first
    while monday <= this_monday:
        counts[monday] = [0, 0, 0, 0]
        monday += timedelta(weeks=1)

    def bump(moment: datetime, column: int) -> None:
        row = counts.get(_monday(moment.astimezone(zone).date()))
        if row is not None:
            row[column] += 1

    for entry in ledger:
        if entry.occurred_at > now:
            continue
        if entry.kind is InteractionKind.APPLICATION:
            bump(entry.occurred_at, 2)
        elif is_approach(entry):
            bump(entry.occurred_at, 0)
        elif is_inbound_message(entry):
            bump(entry.occurred_at, 1)
    for interview in interviews:
        if interview.status is InterviewStatus.SCHEDULED and interview.starts_at <= now:
            bump(interview.starts_at, 3)
    return tuple(Week(monday, *row) for monday, row in counts.items())


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
