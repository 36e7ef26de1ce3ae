"""The demo job search: a realistic, deterministic sample written through the Repository port.

Each opportunity is told as a story on "story days" (business days from its first event) with a cast of
people. Only when a story is complete is it placed on the calendar (ending shortly before `now` for open
stages, anywhere in the window for closed ones), given times of day in the user's business hours and
written; the stage stored is the one `derive_state` reads from the written ledger. The stories
themselves are told in `followup.services.demo_story`.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import chain, count
from typing import Literal
from zoneinfo import ZoneInfo

from followup.domain.ledger import derive_state
from followup.domain.model import (
    EmailAddress,
    Interaction,
    Link,
    Opportunity,
    Person,
    Role,
    Source,
    Stage,
)
from followup.ports import Repository
from followup.services import demo_data as words
from followup.services.demo_story import PATHS, Beat, Company, Member, Story

Progress = Callable[[int, int], None]
_MONDAY = date(2001, 1, 1).toordinal()


def load_demo(
    repo: Repository,
    *,
    size: Literal["small", "large"],
    now: datetime,
    user_tz: str,
    seed: int = 7,
    progress: Progress | None = None,
    scale: float = 1.0,
) -> dict[str, int]:
    """Write the sample job search into `repo` in one transaction and return `repo.counts()`.

    `small`: 13 opportunities (every stage), about 30 people and 200 interactions over three months,
    with three interviews in the coming week. `large`: 10,000 opportunities, 25,000 people and 250,000
    interactions over 18 months, each multiplied by `scale`. The same seed and `now` give the same data.
    `progress(done, total)` is called every 1,000 opportunities and at the end.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("load_demo needs a timezone-aware `now`")
    if size not in ("small", "large"):
        raise ValueError(f"size must be 'small' or 'large', not {size!r}")
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    plan = _small_plan() if size == "small" else _large_plan(rng, scale)
    generator = _Generator(repo, rng, plan, now.astimezone(UTC), ZoneInfo(user_tz))
    with repo.transaction():
        generator.run(progress)
    return repo.counts()


@dataclass(frozen=True)
class _Plan:
    opportunities: tuple[tuple[Stage, Source], ...]
    people: int
    interactions: int
    network: int  # people outside any opportunity
    window_days: int
    upcoming: Callable[[int], int]  # n-th interviewing opportunity -> its interviews in the coming week
    reuse: bool  # whether recruiters, managers and interviewers serve several opportunities


def _small_plan() -> _Plan:
    plan = tuple((Stage(stage), Source(source)) for stage, source in words.SMALL_PLAN)
    return _Plan(plan, 30, 200, network=5, window_days=90, upcoming=lambda n: max(0, 2 - n), reuse=False)


def _large_plan(rng: random.Random, scale: float) -> _Plan:
    total = max(len(words.LARGE_STAGE_MIX), round(10_000 * scale))
    mix = words.LARGE_STAGE_MIX
    stages = [Stage(s) for s, share in mix.items() for _ in range(max(1, round(share * total)))]
    stages = (stages + [Stage.REJECTED] * total)[:total]
    rng.shuffle(stages)
    sources = rng.choices([Source(s) for s in words.SOURCE_MIX], list(words.SOURCE_MIX.values()), k=total)
    people = round(25_000 * scale)
    return _Plan(
        tuple(zip(stages, sources, strict=True)), people, round(250_000 * scale), network=people // 10,
        window_days=548, upcoming=lambda _n: int(rng.random() < 0.25), reuse=True,
    )  # fmt: skip


class _Generator:
    """What spans stories: clock, counters, addresses in use, people to reuse; and the writing."""

    def __init__(
        self, repo: Repository, rng: random.Random, plan: _Plan, now: datetime, tz: ZoneInfo
    ) -> None:
        self.repo, self.rng, self.plan, self.now, self.tz = repo, rng, plan, now, tz
        self.today = _to_business_day(now.astimezone(tz).date())
        self.window = plan.window_days * 5 // 7
        self.addresses: set[str] = set()
        self.pools: dict[tuple[str, Role], list[Member]] = {}
        self.counter = self.people_created = self.done = self.written = 0
        named = list(words.COMPANIES)
        if plan.reuse:
            named += [(f"{stem} {kind}", f"{stem}{kind}".lower().replace(" ", "") + ".example")
                      for stem in words.COMPANY_STEMS for kind in words.COMPANY_KINDS]  # fmt: skip
        rng.shuffle(named)
        self.companies = [Company(name, domain, *rng.choice(words.PLACES)) for name, domain in named]

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def message_id(self, domain: str) -> str:
        return f"<{self.rng.getrandbits(48):012x}.{self.next_number()}@{domain}>"

    def short_of_people(self) -> bool:
        """Whether fewer people than planned have been made for the opportunities so far."""
        plan = self.plan
        return self.people_created < (plan.people - plan.network) * (self.done + 1) / len(plan.opportunities)

    def reusable(self, company: Company, role: Role) -> Member | None:
        """Someone already at the company in that role, mostly when the people budget runs ahead."""
        pool = self.pools.get((company.name, role))
        if not self.plan.reuse or not pool or (self.short_of_people() and self.rng.random() >= 0.2):
            return None
        return self.rng.choice(pool)

    def new_person(self, company: Company, role: Role | None, *, network: bool) -> Member:
        rng = self.rng
        first, family = rng.choice(words.FIRST_NAMES), rng.choice(words.FAMILY_NAMES)
        country, tz = company.country, company.timezone
        if rng.random() < 0.25:  # teams are spread out
            _, country, tz = rng.choice(words.PLACES)
        roll, emails = rng.random(), []
        if roll >= 0.1:  # one in ten is known by phone only
            home = network and rng.random() < 0.5
            domain = rng.choice(words.PERSONAL_MAIL_DOMAINS) if home else company.domain
            emails.append(self._address(first, family, domain))
            if roll > 0.8:
                emails.append(self._address(first, family, rng.choice(words.PERSONAL_MAIL_DOMAINS)))
                emails[0] = replace(emails[0], bad=rng.random() < 0.3)  # an old address that bounced
        phone = None
        if roll < 0.1 or rng.random() < 0.45:
            phone = "".join(str(rng.randrange(10)) if c == "#" else c for c in words.PHONE_PATTERNS[country])
        titles = {
            Role.RECRUITER: words.RECRUITER_TITLES, Role.HIRING_MANAGER: words.MANAGER_TITLES,
            Role.INTERVIEWER: words.INTERVIEWER_TITLES,
        }.get(role or Role.NETWORK, words.NETWORK_TITLES)  # fmt: skip
        person = Person(
            name=f"{first} {family}", emails=tuple(emails), phone=phone, organisation=company.name,
            title=rng.choice(titles), timezone=tz, country=country, in_network=network,
            cadence_days=rng.choice((30, 60, 90, 180)) if network and rng.random() < 0.5 else None,
            notes=rng.choice(words.PERSON_NOTES) if network else "",
        )  # fmt: skip
        self.people_created += 1
        usable = next((e.address.rpartition("@")[2] for e in emails if not e.bad), None)
        return Member(role, usable, phone is not None, draft=person)

    def _address(self, first: str, family: str, domain: str) -> EmailAddress:
        a, b = _ascii(first), _ascii(family)
        for local in chain((f"{a}.{b}", f"{a[0]}{b}", f"{a}{b[0]}"), (f"{a}.{b}{n}" for n in count(2))):
            if f"{local}@{domain}" not in self.addresses:
                self.addresses.add(f"{local}@{domain}")
                return EmailAddress(f"{local}@{domain}")
        raise AssertionError("unreachable")  # pragma: no cover

    def run(self, progress: Progress | None) -> None:
        plan, rng, total = self.plan, self.rng, len(self.plan.opportunities)
        budget = plan.interactions - plan.network * (8 if plan.reuse else 5)  # the rest keeps in touch
        weights = [words.STAGE_WEIGHTS[stage.value] for stage, _ in plan.opportunities]
        left_weight, interviewing = sum(weights), 0
        for number, (stage, source) in enumerate(plan.opportunities):
            company = self.companies[number % len(self.companies)]
            story = Story(self, company, rng.choice(words.ROLE_TITLES), stage)
            if stage is Stage.INTERVIEWING:
                story.interviews_ahead, interviewing = plan.upcoming(interviewing), interviewing + 1
            always, optional, closing = PATHS[stage]
            story.opening(source)
            for step in (*always, *optional[: rng.randint(0, len(optional))], *closing):
                step(story)
            share = (budget - self.written) * weights[number] / left_weight
            left_weight -= weights[number]
            story.chatter(round(share) - len(story.beats) - len(story.upcoming))
            self._write(story, self._opportunity(story, source))
            self.done += 1
            if progress is not None and (self.done % 1000 == 0 or self.done == total):
                progress(self.done, total)
        network = max(plan.network, plan.people - self.people_created)
        for index in range(network):
            story = Story(self, rng.choice(self.companies), "")
            story.keep_in_touch(max(2, round((plan.interactions - self.written) / (network - index))))
            self._write(story, None)

    def _opportunity(self, story: Story, source: Source) -> Opportunity:
        rng, company = self.rng, story.company
        notes = rng.choice(words.SOURCE_NOTES[source.value])
        if rng.random() < 0.6:
            notes += " " + rng.choice(words.OPPORTUNITY_NOTES)
        decision = None
        if story.stage is Stage.OFFER or (story.stage is Stage.INTERVIEWING and rng.random() < 0.5):
            decision = _from_business_day(self.today + rng.randint(3, 10))
        return Opportunity(
            company=company.name, title=story.title, source=source, decision_expected=decision, notes=notes,
            url=f"https://careers.{company.domain}/jobs/{rng.randint(1000, 99999)}",
            location=rng.choice(words.WORK_MODES).format(city=company.city, country=company.country),
        )  # fmt: skip

    def _write(self, story: Story, opportunity: Opportunity | None) -> None:
        """Place the story on the calendar; write its people, links, interviews and ledger; set the stage."""
        rng, repo, now, stage = self.rng, self.repo, self.now, story.stage
        beats = sorted(story.beats, key=lambda b: (b.day, b.seq))
        last = beats[-1].day
        low, high = words.OPEN_LAG.get(stage.value if stage else "", (1, self.window - last))
        lag = rng.randint(low, max(low, high))
        room = max(1, self.window - lag)
        if last > room:  # longer than the window: squeeze, keeping the order
            days = [self.today - lag - room + b.day * room // last for b in beats]
        else:
            days = [self.today - lag - last + b.day for b in beats]
        moments = self._times(days, beats)
        created = moments[0] - timedelta(minutes=rng.randint(5, 90))
        opp_id = None
        if opportunity is not None:
            opp_id = repo.add_opportunity(replace(opportunity, created_at=created))
        for member in story.cast:
            if member.person_id is None and member.draft is not None:
                member.person_id = repo.add_person(replace(member.draft, created_at=created))
                if member.role in (Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER):
                    self.pools.setdefault((story.company.name, member.role), []).append(member)
        ids = [member.person_id or 0 for member in story.cast]
        if opp_id is not None:
            links = [Link(ids[i], opp_id, m.role) for i, m in enumerate(story.cast) if m.role]
            links += [
                Link(ids[i], opp_id, Role.INTERVIEWER)
                for b in (*beats, *story.upcoming)
                if b.interview
                for i in b.interview.interviewer_ids
            ]  # as `log interview` does
            for link in dict.fromkeys(links):
                repo.add_link(link)
        recorded = [min(now, at + timedelta(minutes=rng.randint(3, 240))) for at in moments]
        placed = list(zip(beats, moments, recorded, strict=True))
        for beat in story.upcoming:  # the invitations came with the latest news
            start = self._moment(self.today + beat.day, rng.randrange(18, 33) * 30)  # 09:00-16:00
            placed.append((beat, start, recorded[-1]))
        entries = [self._append(beat, at, when, opp_id, ids) for beat, at, when in placed]
        self.written += len(entries)
        if opp_id is not None and stage is not None:
            derived = derive_state(entries, now=now).stage
            if derived is not stage:
                raise RuntimeError(f"demo generator: opportunity {opp_id} reads as {derived}, meant {stage}")
            repo.set_stage(opp_id, derived)

    def _append(
        self, beat: Beat, at: datetime, recorded: datetime, opp: int | None, ids: list[int]
    ) -> Interaction:
        interview_id = None
        if beat.interview is not None:
            interviewers = tuple(ids[i] for i in beat.interview.interviewer_ids)
            ends = at + timedelta(minutes=beat.minutes)
            interview = replace(beat.interview, opportunity_id=opp or 0, starts_at=at, ends_at=ends,
                                interviewer_ids=interviewers)  # fmt: skip
            interview_id = self.repo.add_interview(interview)
        person_ids = tuple(dict.fromkeys(ids[i] for i in beat.fields["person_ids"]))
        fields = {**beat.fields, "person_ids": person_ids}
        if (away := fields.pop("away_days", None)) is not None:  # an out-of-office's return date
            fields["returns_on"] = (at + timedelta(days=away)).date()
        entry = Interaction(**fields, occurred_at=at, recorded_at=recorded,
                            opportunity_id=opp, interview_id=interview_id)  # fmt: skip
        self.repo.append(entry)
        return entry

    def _times(self, days: list[int], beats: list[Beat]) -> list[datetime]:
        """Times of day in the user's business hours, in story order within each day."""
        moments: list[datetime] = []
        start = 0
        while start < len(beats):
            end = start
            while end < len(beats) and days[end] == days[start]:
                end += 1
            minute = self.rng.randint(510, 660)  # 08:30-11:00, then steps that end by about 17:30
            busy = sum(b.minutes for b in beats[start:end])
            step = max(5, min(75, (1050 - minute - busy) // (end - start)))
            for beat in beats[start:end]:
                if beat.minutes:  # meetings, calls and interviews start on the quarter hour
                    minute = -(-minute // 15) * 15
                moments.append(self._moment(days[start], minute))
                minute += beat.minutes + self.rng.randint(5, step)
            start = end
        return moments

    def _moment(self, business_day: int, minute: int) -> datetime:
        day = _from_business_day(business_day)
        local = datetime(day.year, day.month, day.day, tzinfo=self.tz) + timedelta(minutes=minute)
        return local.astimezone(UTC)


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
