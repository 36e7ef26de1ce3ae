"""The demo job search: a realistic, deterministic sample written through the Repository port.

Each opportunity is told as a story on "story days" (business days from its first event) with a cast of
people. Only when a story is complete is it placed on the calendar (ending shortly before `now` for open
stages, anywhere in the window for closed ones), given times of day in the user's business hours and
written; the stage stored is the one `derive_state` reads from the written ledger.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain, count
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

Progress = Callable[[int, int], None]
K, IN, OUT = InteractionKind, Direction.IN, Direction.OUT
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # placeholder until a story is placed on the calendar
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
    with interviews in the coming week. `large`: 10,000 opportunities, 25,000 people and 250,000
    interactions over 18 months, each multiplied by `scale`. Same seed and `now`, same data.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("load_demo needs a timezone-aware `now`")
    rng = random.Random(seed)
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
    network: int  # people outside any opportunity, at least
    window_days: int
    upcoming: Callable[[int], int]  # n-th interviewing opportunity -> interviews in the coming week
    reuse: bool  # whether recruiters, managers and interviewers serve several opportunities


def _small_plan() -> _Plan:
    plan = tuple((Stage(stage), Source(source)) for stage, source in words.SMALL_PLAN)
    return _Plan(plan, 30, 200, network=5, window_days=90, upcoming=lambda n: max(0, 2 - n), reuse=False)


def _large_plan(rng: random.Random, scale: float) -> _Plan:
    count = max(len(words.LARGE_STAGE_MIX), round(10_000 * scale))
    stages = [Stage(s) for s, share in words.LARGE_STAGE_MIX.items() for _ in range(max(1, round(share * count)))]
    stages = (stages + [Stage.REJECTED] * count)[:count]
    rng.shuffle(stages)
    sources = rng.choices([Source(s) for s in words.SOURCE_MIX], list(words.SOURCE_MIX.values()), k=count)
    people = round(25_000 * scale)
    return _Plan(
        tuple(zip(stages, sources, strict=True)),
        people,
        round(250_000 * scale),
        network=people // 12,
        window_days=548,
        upcoming=lambda _n: 1 if rng.random() < 0.25 else 0,
        reuse=True,
    )


@dataclass(frozen=True)
class _Company:
    name: str
    domain: str
    city: str
    country: str
    timezone: str


@dataclass
class _Member:
    """Someone in a story: a person to add (draft) or one already written (person_id)."""

    role: Role | None
    mail_domain: str | None  # of the first good address; None when only a phone (or nothing) is known
    phone: bool
    draft: Person | None = None
    person_id: int | None = None


class _Beat(NamedTuple):
    day: int  # story day; for upcoming interviews, business days after today
    seq: int
    entry: Interaction  # person_ids and interview_ids index the story's cast until written
    minutes: int
    interview: Interview | None


class _Story:
    """One opportunity's (or one contact's) events on story days, with its cast; no times yet."""

    def __init__(self, gen: _Generator, company: _Company, title: str) -> None:
        self.gen, self.company, self.title, self.rng = gen, company, title, gen.rng
        self.cast: list[_Member] = []
        self.beats: list[_Beat] = []
        self.upcoming: list[_Beat] = []
        self.day = 0
        self.applied: int | None = None
        self.closed: int | None = None

    def wait(self, low: int, high: int) -> None:
        self.day += self.rng.randint(low, high)

    def member(self, role: Role | None, *, network: bool = False, elsewhere: bool = False) -> int:
        company = self.rng.choice(self.gen.companies) if elsewhere else self.company
        known = self.gen.reusable(company, role) if role and not elsewhere else None
        if known is not None and all(m.person_id != known.person_id for m in self.cast):
            self.cast.append(replace(known, role=role, draft=None))
        else:
            self.cast.append(self.gen.new_person(company, role, network=network))
        return len(self.cast) - 1

    def add(
        self,
        kind: InteractionKind,
        who: tuple[int, ...] = (),
        direction: Direction = Direction.NONE,
        *,
        minutes: int = 0,
        interview: Interview | None = None,
        ahead: int = 0,
        **fields: Any,
    ) -> Interaction:
        entry = Interaction(kind=kind, occurred_at=_EPOCH, direction=direction, person_ids=who, **fields)
        beat = _Beat(ahead or self.day, len(self.beats) + len(self.upcoming), entry, minutes, interview)
        (self.upcoming if ahead else self.beats).append(beat)
        return entry

    def email(self, who: int, direction: Direction, subject: str, parent: Interaction | None = None) -> Interaction:
        domain = (self.cast[who].mail_domain if direction is IN else None) or words.USER_MAIL_DOMAIN
        if parent is not None and parent.subject:
            subject = parent.subject if parent.subject.startswith("Re: ") else f"Re: {parent.subject}"
        snippets = words.EMAIL_SNIPPETS_IN if direction is IN else words.EMAIL_SNIPPETS_OUT
        return self.add(
            K.EMAIL, (who,), direction, subject=subject, notes=self.rng.choice(snippets),
            message_id=self.gen.message_id(domain), in_reply_to=parent.message_id if parent else None,
            references=(*parent.references, parent.message_id) if parent and parent.message_id else (),
        )  # fmt: skip

    def thread(self, who: int, subject: str, first: Direction, length: int, until: int | None = None) -> None:
        parent, direction = None, first
        for n in range(length):
            if n:
                self.wait(0, 2)
                self.day = self.day if until is None else min(self.day, until)
            parent = self.email(who, direction, subject, parent)
            direction = IN if direction is OUT else OUT

    def call(self, who: int, caller: Caller, answered: bool, notes: str = "") -> None:
        direction = OUT if caller is Caller.ME else IN
        text = (notes or self.rng.choice(words.CALL_NOTES)) if answered else "No answer."
        self.add(K.CALL, (who,), direction, minutes=20 if answered else 0, answered=answered, caller=caller,
                 notes=text)  # fmt: skip
        if not answered:
            left = "Left a voicemail asking for a good time to talk." if caller is Caller.ME else "Asked me to call back."
            self.add(K.VOICEMAIL, (who,), direction, notes=left)

    def reach(self, who: int, direction: Direction, subject: str) -> None:
        """An email when they have a good address, else a call, else a LinkedIn message."""
        member = self.cast[who]
        if member.mail_domain:
            self.email(who, direction, subject)
        elif member.phone:
            self.call(who, Caller.ME if direction is OUT else Caller.THEM, self.rng.random() < 0.6, subject)
        else:
            self.add(K.LINKEDIN, (who,), direction, notes=subject)

    def interview(self, round_: tuple[str, str, int, int], who: tuple[int, ...], ahead: int = 0) -> None:
        name, kind, minutes, _ = round_
        company, tz = self.company, self.gen.tz.key
        onsite = kind == "onsite" and company.timezone == tz
        form = InterviewKind.ONSITE if onsite else InterviewKind.PHONE if kind == "phone" else InterviewKind.VIDEO
        place = {InterviewKind.ONSITE: f"{company.name} office, {company.city}", InterviewKind.PHONE: None}.get(
            form, f"https://meet.{company.domain}/{self.rng.getrandbits(32):08x}"
        )
        topics = "" if ahead else "; ".join(self.rng.sample(words.INTERVIEW_TOPICS, 2))
        uid = f"demo-{self.gen.next_number()}@followup.invalid"
        interview = Interview(0, _EPOCH, _EPOCH, tz, form, place, who, notes=topics, uid=uid)
        notes = f"{name}: {topics}" if topics else f"{name} ({minutes} min)"
        self.add(K.INTERVIEW, who, minutes=minutes, interview=interview, ahead=ahead, notes=notes)
        for person in () if ahead else who:  # thank-you notes the same day
            if self.cast[person].mail_domain:
                self.email(person, OUT, f"Thank you — {self.title} interview")
            elif self.cast[person].phone:
                self.add(K.VOICEMAIL, (person,), OUT, notes="Left a thank-you voicemail.")

    def outcome(self, outcome: Outcome, who: int, notes: tuple[str, ...]) -> None:
        mine = outcome in (Outcome.ACCEPTED, Outcome.WITHDRAWN)
        direction = OUT if mine else IN
        self.reach(who, direction, f"{self.title}: my decision" if mine else f"Update on the {self.title} role")
        self.add(K.OUTCOME, (who,), direction, outcome=outcome, notes=self.rng.choice(notes))
        self.closed = self.day

    def chatter(self, count: int) -> None:
        """Everyday conversation that moves no stage, spread over the story by phase."""
        if count <= 0:
            return
        span = max(self.day, 1)
        if count > span * 1.5:  # a lot to say: the story takes longer
            factor = -(-count // int(span * 1.5))
            self.beats = [b._replace(day=b.day * factor) for b in self.beats]
            self.applied = None if self.applied is None else self.applied * factor
            self.closed = None if self.closed is None else self.closed * factor
            span *= factor
        rng, target = self.rng, len(self.beats) + count
        people = [i for i, m in enumerate(self.cast) if m.role is not None]
        while len(self.beats) < target:
            self.day = rng.randint(0, span)
            if self.applied is None or self.day < self.applied:
                subjects = words.SUBJECTS_BEFORE
            elif self.closed is not None and self.day > self.closed:
                subjects = words.SUBJECTS_AFTER
            else:
                subjects = words.SUBJECTS_ACTIVE
            subject = rng.choice(subjects).format(title=self.title, company=self.company.name)
            roll, who = rng.random(), rng.choice(people) if people else -1
            if who < 0 or roll < 0.1:
                self.add(K.NOTE, notes=rng.choice(words.NOTE_TEXTS))
            elif roll < 0.65 and self.cast[who].mail_domain:
                length = min(target - len(self.beats), rng.randint(2, 4))
                self.thread(who, subject, rng.choice((IN, OUT)), length, until=span)
            elif roll < 0.85 and self.cast[who].phone:
                self.call(who, rng.choice((Caller.ME, Caller.THEM)), rng.random() < 0.6)
            else:
                inbound = rng.random() < 0.5
                notes = rng.choice(words.LINKEDIN_IN if inbound else words.LINKEDIN_OUT)
                self.add(K.LINKEDIN, (who,), IN if inbound else OUT, notes=notes)


def _tell(s: _Story, stage: Stage, source: Source, upcoming: int) -> None:
    """The natural course of one opportunity up to `stage`."""
    rng, title = s.rng, s.title
    s.add(K.NOTE, notes=rng.choice(words.SOURCE_NOTES[source.value]))
    recruiter: int | None = None
    referrer: int | None = None
    if source is Source.REFERRAL:
        referrer = s.member(Role.REFERRER, network=True)
        s.add(K.LINKEDIN, (referrer,), OUT, notes=rng.choice(words.LINKEDIN_OUT))
        s.wait(1, 3)
        s.add(K.MEETING, (referrer,), minutes=45, notes=rng.choice(words.MEETING_NOTES))
        s.wait(0, 2)
        s.add(K.RESUME_SENT, (referrer,), OUT, notes="Sent my résumé so they can submit the referral.")
    elif source is Source.RECRUITER:
        recruiter = s.member(Role.RECRUITER)
        s.add(K.LINKEDIN, (recruiter,), IN, notes=rng.choice(words.LINKEDIN_IN))
        s.wait(0, 1)
        s.add(K.LINKEDIN, (recruiter,), OUT, notes=rng.choice(words.LINKEDIN_OUT))
    elif source is Source.NETWORK:
        s.add(K.MEETING, (s.member(None, network=True, elsewhere=True),), minutes=30,
              notes=rng.choice(words.MEETING_NOTES))  # fmt: skip
    if stage is Stage.LEAD:
        return
    s.wait(0, 3)
    s.applied = s.day
    s.add(K.APPLICATION, () if referrer is None else (referrer,), OUT, notes=f"Applied for {title}.")
    recruiter = s.member(Role.RECRUITER) if recruiter is None else recruiter
    if rng.random() < 0.6 and s.cast[recruiter].mail_domain:
        s.wait(0, 1)
        s.email(recruiter, IN, f"Your application to {s.company.name}")
    if stage is Stage.APPLIED:
        if rng.random() < 0.5:
            s.wait(5, 8)
            s.reach(recruiter, OUT, "Checking in on my application")
        return
    if stage is Stage.COLD:
        s.wait(6, 8)
        s.reach(recruiter, OUT, "Checking in on my application")
        s.wait(6, 8)
        if s.cast[recruiter].phone:
            s.call(recruiter, Caller.ME, answered=False)
        else:
            s.reach(recruiter, OUT, "Still interested in the role")
        s.wait(3, 5)
        s.add(K.STAGE, stage=Stage.COLD, notes=rng.choice(words.COLD_NOTES))
        return
    depth = {Stage.REJECTED: rng.choice((0, 1, 2)), Stage.WITHDRAWN: rng.choice((1, 2))}.get(stage, 2)
    if depth == 0:
        s.wait(3, 15)
        s.outcome(Outcome.REJECTED, recruiter, words.REJECTION_NOTES)
        return
    s.wait(2, 8)
    s.reach(recruiter, IN, "Next steps")
    s.add(K.STAGE, stage=Stage.SCREENING, notes="Recruiter screen scheduled.")
    s.wait(1, 4)
    s.call(recruiter, Caller.THEM, answered=True)
    if stage is Stage.SCREENING:
        return
    notes = words.WITHDRAWAL_NOTES if stage is Stage.WITHDRAWN else words.REJECTION_NOTES
    if depth == 1:
        s.wait(2, 8)
        s.outcome(Outcome(stage.value), recruiter, notes)
        return
    manager = s.member(Role.HIRING_MANAGER, network=stage is Stage.FILLED)
    short = stage in (Stage.INTERVIEWING, Stage.REJECTED, Stage.WITHDRAWN)
    for n in range(rng.randint(1, 2) if short else rng.randint(2, 4)):
        s.wait(3, 7)
        round_ = words.INTERVIEW_ROUNDS[0] if n == 0 else rng.choice(words.INTERVIEW_ROUNDS[1:])
        s.interview(round_, (manager,) if n == 0 else tuple(s.member(Role.INTERVIEWER) for _ in range(round_[3])))
        s.wait(1, 4)
        s.reach(recruiter, IN, "Next steps")
    if stage is Stage.INTERVIEWING:
        for k in range(upcoming):
            round_ = rng.choice(words.INTERVIEW_ROUNDS[1:])
            s.interview(round_, tuple(s.member(Role.INTERVIEWER) for _ in range(round_[3])), ahead=1 + 2 * k)
        return
    if stage is not Stage.OFFER and stage is not Stage.ACCEPTED:
        s.wait(2, 8)
        filled = stage is Stage.FILLED
        s.outcome(Outcome(stage.value), manager if filled else recruiter, words.FILLED_NOTES if filled else notes)
        if stage is not Stage.WITHDRAWN:
            s.wait(1, 2)
            s.thread(manager, "Feedback on my interviews?", OUT, rng.randint(1, 2))
        return
    references = [s.member(Role.REFERENCE, network=True, elsewhere=True) for _ in range(rng.randint(1, 2))]
    s.wait(1, 3)
    for person in references:
        s.reach(person, OUT, f"Heads-up: reference call from {s.company.name}")
    s.wait(2, 5)
    s.outcome(Outcome.OFFER, recruiter, words.OFFER_NOTES)
    if stage is Stage.ACCEPTED:
        s.wait(2, 5)
        s.call(recruiter, Caller.ME, answered=True, notes="Negotiated the base salary and the start date.")
        s.wait(0, 2)
        s.outcome(Outcome.ACCEPTED, recruiter, words.ACCEPTANCE_NOTES)
        for person in [*references, *([] if referrer is None else [referrer])]:
            s.reach(person, OUT, "Thank you!")


def _tell_network(s: _Story, count: int) -> None:
    """Keeping in touch with one contact outside any opportunity."""
    rng, friend = s.rng, s.member(None, network=True)
    gap = max(1, s.gen.window // (count + 1))
    s.add(K.MEETING, (friend,), minutes=45, notes=rng.choice(words.MEETING_NOTES))
    while len(s.beats) < count:
        s.wait(1, 2 * gap)
        roll = rng.random()
        if roll < 0.4 and s.cast[friend].mail_domain:
            s.thread(friend, rng.choice(words.SUBJECTS_NETWORK), rng.choice((IN, OUT)), min(2, count - len(s.beats)))
        elif roll < 0.6 and s.cast[friend].phone:
            s.call(friend, rng.choice((Caller.ME, Caller.THEM)), rng.random() < 0.7, "Caught up on each other's news.")
        elif roll < 0.85:
            inbound = rng.random() < 0.5
            notes = rng.choice(words.LINKEDIN_IN[2:] if inbound else words.LINKEDIN_OUT[2:])
            s.add(K.LINKEDIN, (friend,), IN if inbound else OUT, notes=notes)
        else:
            s.add(K.MEETING, (friend,), minutes=60, notes=rng.choice(words.MEETING_NOTES))


class _Generator:
    """What spans stories: the clock, the counters, the addresses in use, people to reuse; and the writing."""

    def __init__(self, repo: Repository, rng: random.Random, plan: _Plan, now: datetime, tz: ZoneInfo) -> None:
        self.repo, self.rng, self.plan, self.now, self.tz = repo, rng, plan, now, tz
        self.today = _to_business_day(now.astimezone(tz).date())
        self.window = plan.window_days * 5 // 7
        self.addresses: set[str] = set()
        self.pools: dict[tuple[str, Role], list[_Member]] = {}
        self.counter = self.people_created = self.done = self.written = 0
        named = list(words.COMPANIES)
        if plan.reuse:
            named += [(f"{stem} {kind}", f"{stem}{kind}".lower().replace(" ", "") + ".example")
                      for stem in words.COMPANY_STEMS for kind in words.COMPANY_KINDS]  # fmt: skip
        rng.shuffle(named)
        self.companies = [_Company(name, domain, *rng.choice(words.PLACES)) for name, domain in named]

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def message_id(self, domain: str) -> str:
        return f"<{self.rng.getrandbits(48):012x}.{self.next_number()}@{domain}>"

    def reusable(self, company: _Company, role: Role) -> _Member | None:
        """Someone already at the company in that role, when more people are made than planned so far."""
        pool = self.pools.get((company.name, role))
        if not self.plan.reuse or not pool:
            return None
        planned = (self.plan.people - self.plan.network) * (self.done + 0.5) / len(self.plan.opportunities)
        return self.rng.choice(pool) if self.people_created > planned or self.rng.random() < 0.2 else None

    def new_person(self, company: _Company, role: Role | None, *, network: bool) -> _Member:
        rng = self.rng
        first, family = rng.choice(words.FIRST_NAMES), rng.choice(words.FAMILY_NAMES)
        place = (company.city, company.country, company.timezone) if rng.random() < 0.75 else rng.choice(words.PLACES)
        roll, emails = rng.random(), []
        if roll >= 0.1:  # one in ten is known by phone only
            home = network and rng.random() < 0.5
            emails.append(self._address(first, family, rng.choice(words.PERSONAL_MAIL_DOMAINS) if home else company.domain))
            if roll > 0.8:
                emails.append(self._address(first, family, rng.choice(words.PERSONAL_MAIL_DOMAINS)))
                emails[0] = replace(emails[0], bad=rng.random() < 0.3)  # an old address that bounced
        phone = None
        if roll < 0.1 or rng.random() < 0.45:
            phone = "".join(str(rng.randrange(10)) if c == "#" else c for c in words.PHONE_PATTERNS[place[1]])
        titles = {Role.RECRUITER: words.RECRUITER_TITLES, Role.HIRING_MANAGER: words.MANAGER_TITLES,
                  Role.INTERVIEWER: words.INTERVIEWER_TITLES}.get(role or Role.NETWORK, words.NETWORK_TITLES)  # fmt: skip
        person = Person(
            name=f"{first} {family}", emails=tuple(emails), phone=phone, organisation=company.name,
            title=rng.choice(titles), timezone=place[2], country=place[1], in_network=network,
            cadence_days=rng.choice((30, 60, 90, 180)) if network and rng.random() < 0.5 else None,
            notes=rng.choice(words.PERSON_NOTES) if network else "",
        )  # fmt: skip
        self.people_created += 1
        usable = next((e.address.rpartition("@")[2] for e in emails if not e.bad), None)
        return _Member(role, usable, phone is not None, draft=person)

    def _address(self, first: str, family: str, domain: str) -> EmailAddress:
        a, b = _ascii(first), _ascii(family)
        for local in chain((f"{a}.{b}", f"{a[0]}{b}", f"{a}{b[0]}"), (f"{a}.{b}{n}" for n in count(2))):
            if f"{local}@{domain}" not in self.addresses:
                self.addresses.add(f"{local}@{domain}")
                return EmailAddress(f"{local}@{domain}")
        raise AssertionError("unreachable")  # pragma: no cover

    def run(self, progress: Progress | None) -> None:
        plan, rng, total = self.plan, self.rng, len(self.plan.opportunities)
        budget = plan.interactions - plan.network * (8 if plan.reuse else 5)
        weights = [words.STAGE_WEIGHTS[stage.value] for stage, _ in plan.opportunities]
        left_weight, interviewing = sum(weights), 0
        for number, (stage, source) in enumerate(plan.opportunities):
            story = _Story(self, self.companies[number % len(self.companies)], rng.choice(words.ROLE_TITLES))
            upcoming = plan.upcoming(interviewing) if stage is Stage.INTERVIEWING else 0
            interviewing += stage is Stage.INTERVIEWING
            _tell(story, stage, source, upcoming)
            share = (budget - self.written) * weights[number] / left_weight
            left_weight -= weights[number]
            story.chatter(round(share) - len(story.beats) - len(story.upcoming))
            self._write(story, self._opportunity(story, stage, source), stage)
            self.done += 1
            if progress is not None and (self.done % 1000 == 0 or self.done == total):
                progress(self.done, total)
        network = max(plan.network, plan.people - self.people_created)
        for index in range(network):
            story = _Story(self, rng.choice(self.companies), "")
            _tell_network(story, max(2, round((plan.interactions - self.written) / (network - index))))
            self._write(story, None, None)

    def _opportunity(self, story: _Story, stage: Stage, source: Source) -> Opportunity:
        rng, company = self.rng, story.company
        notes = rng.choice(words.SOURCE_NOTES[source.value])
        if rng.random() < 0.6:
            notes += " " + rng.choice(words.OPPORTUNITY_NOTES)
        decision = None
        if stage is Stage.OFFER or (stage is Stage.INTERVIEWING and rng.random() < 0.5):
            decision = _from_business_day(self.today + rng.randint(3, 10))
        return Opportunity(
            company=company.name, title=story.title, source=source, decision_expected=decision, notes=notes,
            url=f"https://careers.{company.domain}/jobs/{rng.randint(1000, 99999)}",
            location=rng.choice(words.WORK_MODES).format(city=company.city, country=company.country),
        )  # fmt: skip

    def _write(self, story: _Story, opportunity: Opportunity | None, stage: Stage | None) -> None:
        """Place the story on the calendar; write its people, links, interviews and ledger; store the stage."""
        rng, repo, now = self.rng, self.repo, self.now
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
        opp_id = None if opportunity is None else repo.add_opportunity(replace(opportunity, created_at=created))
        for member in story.cast:
            if member.person_id is None and member.draft is not None:
                member.person_id = repo.add_person(replace(member.draft, created_at=created))
                if member.role in (Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER):
                    self.pools.setdefault((story.company.name, member.role), []).append(member)
        ids = [member.person_id or 0 for member in story.cast]
        if opp_id is not None:
            roles = [Link(ids[i], opp_id, m.role) for i, m in enumerate(story.cast) if m.role is not None]
            for link in dict.fromkeys(roles):
                repo.add_link(link)
        recorded = [min(now, at + timedelta(minutes=rng.randint(3, 240))) for at in moments]
        placed = list(zip(beats, moments, recorded, strict=True))
        for beat in sorted(story.upcoming, key=lambda b: (b.day, b.seq)):  # invitations came with the last news
            placed.append((beat, self._moment(self.today + beat.day, rng.randrange(18, 33) * 30), recorded[-1]))
        entries = [self._append(beat, at, when, opp_id, ids) for beat, at, when in placed]
        self.written += len(entries)
        if opp_id is not None and stage is not None:
            derived = derive_state(entries, now=now).stage
            if derived is not stage:
                raise RuntimeError(f"demo: opportunity {opp_id} reads as {derived}, meant {stage}")
            repo.set_stage(opp_id, derived)

    def _append(self, beat: _Beat, at: datetime, recorded: datetime, opp_id: int | None, ids: list[int]) -> Interaction:
        interview_id = None
        if beat.interview is not None:
            interview_id = self.repo.add_interview(replace(
                beat.interview, opportunity_id=opp_id or 0, starts_at=at, ends_at=at + timedelta(minutes=beat.minutes),
                interviewer_ids=tuple(ids[i] for i in beat.interview.interviewer_ids),
            ))  # fmt: skip
        entry = replace(
            beat.entry, occurred_at=at, recorded_at=recorded, opportunity_id=opp_id, interview_id=interview_id,
            person_ids=tuple(dict.fromkeys(ids[i] for i in beat.entry.person_ids)),
        )  # fmt: skip
        self.repo.append(entry)
        return entry

    def _times(self, days: list[int], beats: list[_Beat]) -> list[datetime]:
        """Times of day in the user's business hours, in story order within each day."""
        moments: list[datetime] = []
        start = 0
        while start < len(beats):
            end = start
            while end < len(beats) and days[end] == days[start]:
                end += 1
            minute = self.rng.randint(510, 660)  # 08:30-11:00, then steps that end by about 17:30
            step = max(5, min(75, (1050 - minute - sum(b.minutes for b in beats[start:end])) // (end - start)))
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
