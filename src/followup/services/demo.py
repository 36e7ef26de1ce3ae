"""The demo job search: a realistic, deterministic sample written through the Repository port.

Each opportunity is told as a story on "story days" (business days from its first event), with a cast
of people; only when the story is complete is it placed on the calendar (ending shortly before `now`
for open stages, anywhere in the window for closed ones), given times of day in the user's business
hours, and written. The stage stored is the one `derive_state` reads from the written ledger.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from followup.domain.ledger import derive_state
from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    Link,
    Opportunity,
    Outcome,
    Person,
    Role,
    Source,
    Stage,
)
from followup.ports import Repository
from followup.services import demo_data as words
from followup.services.demo_story import Member, Story, tell, tell_network

Size = Literal["small", "large"]
Progress = Callable[[int, int], None]

# (stage, source) of the small demo: every stage, every source that brings a different cast.
_SMALL: tuple[tuple[Stage, Source], ...] = (
    (Stage.LEAD, Source.NETWORK), (Stage.LEAD, Source.RECRUITER), (Stage.APPLIED, Source.REFERRAL),
    (Stage.APPLIED, Source.JOB_BOARD), (Stage.SCREENING, Source.RECRUITER),
    (Stage.INTERVIEWING, Source.REFERRAL), (Stage.INTERVIEWING, Source.COMPANY_SITE),
    (Stage.OFFER, Source.NETWORK), (Stage.ACCEPTED, Source.REFERRAL), (Stage.REJECTED, Source.JOB_BOARD),
    (Stage.FILLED, Source.COMPANY_SITE), (Stage.WITHDRAWN, Source.RECRUITER), (Stage.COLD, Source.JOB_BOARD),
)  # fmt: skip
_LARGE_MIX: dict[Stage, float] = {
    Stage.APPLIED: 0.30, Stage.LEAD: 0.15, Stage.SCREENING: 0.10, Stage.INTERVIEWING: 0.03,
    Stage.OFFER: 0.02, Stage.ACCEPTED: 0.005, Stage.REJECTED: 0.20, Stage.COLD: 0.11,
    Stage.FILLED: 0.04, Stage.WITHDRAWN: 0.045,
}  # fmt: skip
_SOURCE_MIX: dict[Source, float] = {
    Source.JOB_BOARD: 0.35, Source.COMPANY_SITE: 0.2, Source.REFERRAL: 0.15, Source.RECRUITER: 0.15,
    Source.NETWORK: 0.1, Source.OTHER: 0.05,
}  # fmt: skip
# How much of the conversation an opportunity gets, by how far it went.
_WEIGHT: dict[Stage, float] = {
    Stage.LEAD: 0.5, Stage.APPLIED: 0.7, Stage.SCREENING: 1.2, Stage.INTERVIEWING: 2.0, Stage.OFFER: 2.5,
    Stage.ACCEPTED: 2.5, Stage.REJECTED: 1.0, Stage.FILLED: 2.0, Stage.WITHDRAWN: 1.3, Stage.COLD: 0.8,
}  # fmt: skip
# Business days between an open opportunity's last event and today.
_OPEN_LAG: dict[Stage, tuple[int, int]] = {
    Stage.LEAD: (1, 8), Stage.APPLIED: (1, 12), Stage.SCREENING: (1, 6), Stage.INTERVIEWING: (1, 5),
    Stage.OFFER: (1, 3),
}  # fmt: skip


@dataclass(frozen=True)
class _Plan:
    opportunities: tuple[tuple[Stage, Source], ...]
    people: int
    interactions: int
    network: int  # people outside any opportunity (at least)
    window_days: int
    upcoming: Callable[[int], int]  # interviewing opportunity number -> upcoming interviews


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    city: str
    country: str
    timezone: str


class _Beat(NamedTuple):
    day: int
    seq: int
    entry: Interaction
    minutes: int
    interview: Interview | None


def load_demo(
    repo: Repository,
    *,
    size: Size,
    now: datetime,
    user_tz: str,
    seed: int = 7,
    progress: Progress | None = None,
    scale: float = 1.0,
) -> dict[str, int]:
    """Write the sample job search into `repo` (one transaction) and return `repo.counts()`.

    `small` is a dozen opportunities over three months, meant to be read; `large` is 10,000
    opportunities, 25,000 people and 250,000 interactions over 18 months (times `scale`), meant to be
    measured. The same seed and `now` always give the same data.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("load_demo needs a timezone-aware `now`")
    rng = random.Random(seed)
    plan = _small_plan() if size == "small" else _large_plan(rng, scale)
    generator = Generator(repo, rng, plan, now.astimezone(UTC), ZoneInfo(user_tz), reuse=size == "large")
    with repo.transaction():
        generator.run(progress)
    return repo.counts()


def _small_plan() -> _Plan:
    return _Plan(_SMALL, people=30, interactions=200, network=5, window_days=90, upcoming=lambda n: 2 - n)


def _large_plan(rng: random.Random, scale: float) -> _Plan:
    count = max(len(_LARGE_MIX), round(10_000 * scale))
    stages = [stage for stage, share in _LARGE_MIX.items() for _ in range(max(1, round(share * count)))]
    stages = (stages + [Stage.REJECTED] * count)[:count]
    rng.shuffle(stages)
    sources = rng.choices(list(_SOURCE_MIX), weights=list(_SOURCE_MIX.values()), k=count)
    people = round(25_000 * scale)
    return _Plan(
        tuple(zip(stages, sources, strict=True)),
        people=people,
        interactions=round(250_000 * scale),
        network=people // 12,
        window_days=548,
        upcoming=lambda _n: 1 if rng.random() < 0.25 else 0,
    )


class Generator:
    """Keeps what spans stories: the clock, the counters, the addresses in use, people to reuse."""

    def __init__(
        self, repo: Repository, rng: random.Random, plan: _Plan, now: datetime, tz: ZoneInfo, *, reuse: bool
    ) -> None:
        self.repo, self.rng, self.plan, self.now, self.tz, self.reuse = repo, rng, plan, now, tz, reuse
        self.today = _to_business_day(now.astimezone(tz).date())
        self.window = plan.window_days * 5 // 7
        self.addresses: set[str] = set()
        self.pools: dict[tuple[str, Role], list[Member]] = {}
        self.counter = 0
        self.people_created = 0
        self.people_goal = plan.people - plan.network
        self.opportunities_done = 0
        self.written = 0
        self.companies = self._companies(len(plan.opportunities))

    def _companies(self, opportunities: int) -> list[Company]:
        named = list(words.COMPANIES)
        if opportunities > len(named):
            named += [
                (f"{stem} {kind}", f"{stem}{kind}".lower().replace(" ", "") + ".example")
                for stem in words.COMPANY_STEMS
                for kind in words.COMPANY_KINDS
            ]
        self.rng.shuffle(named)
        return [Company(name, domain, *self.rng.choice(words.PLACES)) for name, domain in named]

    # Shared services for stories -------------------------------------------------------------

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def message_id(self, domain: str) -> str:
        return f"<{self.rng.getrandbits(48):012x}.{self.next_number()}@{domain}>"

    def reusable(self, company: Company, role: Role) -> Member | None:
        """An existing person at the company in that role, when the people budget is running ahead."""
        pool = self.pools.get((company.name, role))
        if not self.reuse or not pool:
            return None
        done = self.opportunities_done + 0.5
        expected = self.people_goal * done / len(self.plan.opportunities)
        if self.people_created > expected or self.rng.random() < 0.2:
            return self.rng.choice(pool)
        return None

    def new_person(self, company: Company, role: Role | None, *, network: bool) -> Member:
        rng = self.rng
        first, family = rng.choice(words.FIRST_NAMES), rng.choice(words.FAMILY_NAMES)
        city, country, tz = (
            (company.city, company.country, company.timezone) if rng.random() < 0.75 else rng.choice(words.PLACES)
        )
        roll = rng.random()
        emails: list[EmailAddress] = []
        if roll >= 0.1:
            home = network and rng.random() < 0.5
            domain = rng.choice(words.PERSONAL_MAIL_DOMAINS) if home else company.domain
            emails.append(EmailAddress(self._address(first, family, domain)))
            if roll > 0.8:
                emails.append(EmailAddress(self._address(first, family, rng.choice(words.PERSONAL_MAIL_DOMAINS))))
                if rng.random() < 0.3:
                    emails[0] = replace(emails[0], bad=True)
        phone = None
        if roll < 0.1 or rng.random() < 0.45:
            phone = "".join(str(rng.randrange(10)) if c == "#" else c for c in words.PHONE_PATTERNS[country])
        titles = {
            Role.RECRUITER: words.RECRUITER_TITLES,
            Role.HIRING_MANAGER: words.MANAGER_TITLES,
            Role.INTERVIEWER: words.INTERVIEWER_TITLES,
        }.get(role or Role.NETWORK, words.NETWORK_TITLES)
        person = Person(
            name=f"{first} {family}",
            emails=tuple(emails),
            phone=phone,
            organisation=company.name,
            title=rng.choice(titles),
            timezone=tz,
            country=country,
            cadence_days=rng.choice((30, 60, 90, 180)) if network and rng.random() < 0.5 else None,
            in_network=network,
            notes=rng.choice(words.PERSON_NOTES) if network else "",
        )
        self.people_created += 1
        usable = next((e.address for e in emails if not e.bad), None)
        return Member(role, usable.rpartition("@")[2] if usable else None, phone is not None, draft=person)

    def _address(self, first: str, family: str, domain: str) -> str:
        a, b = _ascii(first), _ascii(family)
        for local in (f"{a}.{b}", f"{a[0]}{b}", f"{a}{b[0]}", *(f"{a}.{b}{n}" for n in range(2, 10_000))):
            address = f"{local}@{domain}"
            if address not in self.addresses:
                self.addresses.add(address)
                return address
        raise RuntimeError("demo: ran out of e-mail addresses")  # pragma: no cover - 10,000 namesakes

    # The run ---------------------------------------------------------------------------------

    def run(self, progress: Progress | None) -> None:
        plan, rng = self.plan, self.rng
        total = len(plan.opportunities)
        opp_budget = plan.interactions - plan.network * 8 if self.reuse else plan.interactions - plan.network * 5
        weights = [_WEIGHT[stage] for stage, _ in plan.opportunities]
        remaining_weight = sum(weights)
        interviewing = 0
        for number, (stage, source) in enumerate(plan.opportunities):
            company = self.companies[number % len(self.companies)]
            story = Story(self, company, rng.choice(words.ROLE_TITLES))
            upcoming = 0
            if stage is Stage.INTERVIEWING:
                upcoming, interviewing = max(0, plan.upcoming(interviewing)), interviewing + 1
            tell(story, stage, source, upcoming)
            share = (opp_budget - self.written) * weights[number] / remaining_weight
            remaining_weight -= weights[number]
            story.chatter(round(share) - len(story.beats) - len(story.upcoming))
            self._write(story, self._opportunity(story, stage, source), stage)
            self.opportunities_done += 1
            if progress and (self.opportunities_done % 1000 == 0 or self.opportunities_done == total):
                progress(self.opportunities_done, total)
        network = max(plan.network, plan.people - self.people_created)
        for index in range(network):
            left = max(network - index, 1)
            share = max(2, round((plan.interactions - self.written) / left))
            story = Story(self, rng.choice(self.companies), "")
            tell_network(story, share)
            self._write(story, None, None)

    def _opportunity(self, story: Story, stage: Stage, source: Source) -> Opportunity:
        rng, company = self.rng, story.company
        notes = rng.choice(words.SOURCE_NOTES[source.value])
        if rng.random() < 0.6:
            notes += " " + rng.choice(words.OPPORTUNITY_NOTES)
        decision = None
        if stage is Stage.OFFER or (stage is Stage.INTERVIEWING and rng.random() < 0.5):
            decision = _from_business_day(self.today + rng.randint(3, 10))
        return Opportunity(
            company=company.name,
            title=story.title,
            url=f"https://careers.{company.domain}/jobs/{rng.randint(1000, 99999)}",
            source=source,
            location=rng.choice(words.WORK_MODES).format(city=company.city, country=company.country),
            decision_expected=decision,
            notes=notes,
        )

    def _write(self, story: Story, opportunity: Opportunity | None, stage: Stage | None) -> None:
        """Place the story on the calendar, write its people, interviews and ledger, store the stage."""
        rng, repo, now = self.rng, self.repo, self.now
        beats = sorted(story.beats, key=lambda b: (b.day, b.seq))
        last = beats[-1].day
        low, high = _OPEN_LAG.get(stage, (1, max(1, self.window - last))) if stage else (1, self.window - last)
        lag = rng.randint(low, max(low, high))
        room = max(1, self.window - lag)
        days = [self.today - lag - last + b.day for b in beats]
        if last > room:  # longer than the window: squeeze, keeping the order
            days = [self.today - lag - room + b.day * room // last for b in beats]
        moments = self._times(days, beats)
        created = moments[0] - timedelta(minutes=rng.randint(5, 90))
        opp_id = None
        if opportunity is not None:
            opp_id = repo.add_opportunity(replace(opportunity, created_at=created))
        ids: list[int] = []
        for member in story.cast:
            if member.person_id is None and member.draft is not None:
                member.person_id = repo.add_person(replace(member.draft, created_at=created))
                if member.role in (Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER):
                    self.pools.setdefault((story.company.name, member.role), []).append(member)
            ids.append(member.person_id or 0)
        if opp_id is not None:
            for link in dict.fromkeys(
                Link(ids[i], opp_id, m.role) for i, m in enumerate(story.cast) if m.role is not None
            ):
                repo.add_link(link)
        scheduled = [(b, moments[i], min(now, moments[i] + timedelta(minutes=rng.randint(3, 240))))
                     for i, b in enumerate(beats)]  # fmt: skip
        recorded_last = scheduled[-1][2]
        for b in sorted(story.upcoming, key=lambda b: (b.day, b.seq)):
            start = self._moment(self.today + b.day, rng.randrange(18, 33) * 30)
            scheduled.append((b, start, recorded_last))
        entries = [self._append(b, at, recorded, opp_id, ids) for b, at, recorded in scheduled]
        self.written += len(entries)
        if opp_id is not None and stage is not None:
            derived = derive_state(entries, now=now).stage
            if derived is not stage:
                raise RuntimeError(f"demo: opportunity {opp_id} reads as {derived}, meant {stage}")
            repo.set_stage(opp_id, derived)

    def _append(self, beat: _Beat, at: datetime, recorded: datetime, opp_id: int | None, ids: list[int]) -> Interaction:
        interview_id = None
        if beat.interview is not None:
            interview = replace(
                beat.interview,
                opportunity_id=opp_id or 0,
                starts_at=at,
                ends_at=at + timedelta(minutes=beat.minutes),
                interviewer_ids=tuple(ids[i] for i in beat.interview.interviewer_ids),
            )
            interview_id = self.repo.add_interview(interview)
        entry = replace(
            beat.entry,
            occurred_at=at,
            recorded_at=recorded,
            opportunity_id=opp_id,
            person_ids=tuple(dict.fromkeys(ids[i] for i in beat.entry.person_ids)),
            interview_id=interview_id,
        )
        self.repo.append(entry)
        return entry

    def _times(self, days: list[int], beats: list[_Beat]) -> list[datetime]:
        """Times of day in the user's business hours, in story order within each day."""
        rng, moments = self.rng, []
        start = 0
        while start < len(beats):
            end = start
            while end < len(beats) and days[end] == days[start]:
                end += 1
            group = beats[start:end]
            minute = rng.randint(510, 660)
            room = 1050 - minute - sum(b.minutes for b in group)
            step = max(5, min(75, room // len(group)))
            for beat in group:
                if beat.minutes:
                    minute = -(-minute // 15) * 15
                moments.append(self._moment(days[start], minute))
                minute += beat.minutes + rng.randint(5, step)
            start = end
        return moments

    def _moment(self, business_day: int, minute: int) -> datetime:
        day = _from_business_day(business_day)
        local = datetime(day.year, day.month, day.day, tzinfo=self.tz) + timedelta(minutes=minute)
        return local.astimezone(UTC)


_MONDAY = date(2001, 1, 1).toordinal()


def _to_business_day(day: date) -> int:
    """Weekdays counted from a Monday; a Saturday or Sunday counts as the following Monday."""
    weeks, weekday = divmod(day.toordinal() - _MONDAY, 7)
    return weeks * 5 + min(weekday, 5)


def _from_business_day(number: int) -> date:
    weeks, weekday = divmod(number, 5)
    return date.fromordinal(_MONDAY + weeks * 7 + weekday)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum()) or "x"


__all__ = ["Company", "Generator", "Size", "load_demo"]
_ = (Any, Caller, Direction, InteractionKind, InterviewKind, Outcome)
