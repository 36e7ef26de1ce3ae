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
from datetime import UTC, date, datetime, timedelta
from itertools import chain, count
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
Fields = dict[str, Any]  # of an Interaction, before it is placed on the calendar
K, IN, OUT = InteractionKind, Direction.IN, Direction.OUT
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


@dataclass(frozen=True)
class _Company:
    name: str
    domain: str
    city: str
    country: str
    timezone: str


@dataclass
class _Member:
    """Someone in a story: a person still to add (draft) or one already written (person_id)."""

    role: Role | None
    mail_domain: str | None  # of the first good address; None when only a phone (or nothing) is known
    phone: bool
    draft: Person | None = None
    person_id: int | None = None


class _Beat(NamedTuple):
    day: int  # story day; for upcoming interviews, business days after today
    seq: int
    fields: Fields  # person_ids index the story's cast until written
    minutes: int
    interview: Interview | None  # times and interviewer_ids filled in when written


class _Story:
    """One opportunity's (or one contact's) events on story days, with its cast; no times yet."""

    def __init__(self, gen: _Generator, company: _Company, title: str, stage: Stage | None = None) -> None:
        self.gen, self.company, self.title, self.stage, self.rng = gen, company, title, stage, gen.rng
        self.cast: list[_Member] = []
        self.beats: list[_Beat] = []
        self.upcoming: list[_Beat] = []
        self.day, self.applied, self.closed, self.interviews_ahead = 0, -1, -1, 0
        self.recruiter = self.referrer = self.manager = -1
        self.references: list[int] = []

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

    def add(self, kind: InteractionKind, who: tuple[int, ...] = (), direction: Direction = Direction.NONE,
            *, minutes: int = 0, interview: Interview | None = None, ahead: int = 0, **fields: Any,
            ) -> Fields:  # fmt: skip
        fields.update(kind=kind, direction=direction, person_ids=who)
        beat = _Beat(ahead or self.day, len(self.beats) + len(self.upcoming), fields, minutes, interview)
        (self.upcoming if ahead else self.beats).append(beat)
        return fields

    def email(
        self, who: int, direction: Direction, subject: str, parent: Fields | None = None, notes: str = ""
    ) -> Fields:
        domain = (self.cast[who].mail_domain if direction is IN else None) or words.USER_MAIL_DOMAIN
        if parent is not None:
            subject = parent["subject"]
            subject = subject if subject.startswith("Re: ") else "Re: " + subject
        snippets = words.EMAIL_SNIPPETS_IN if direction is IN else words.EMAIL_SNIPPETS_OUT
        return self.add(
            K.EMAIL, (who,), direction, subject=subject, message_id=self.gen.message_id(domain),
            notes=notes or self.rng.choice(snippets),
            in_reply_to=parent["message_id"] if parent else None,
            references=(*parent["references"], parent["message_id"]) if parent else (),
        )  # fmt: skip

    def thread(self, who: int, subject: str, first: Direction, length: int, until: int = 1 << 30) -> None:
        parent, direction = None, first
        for n in range(length):
            self.day = min(self.day + self.rng.randint(0, 2), until) if n else self.day
            parent = self.email(who, direction, subject, parent)
            direction = IN if direction is OUT else OUT

    def call(self, who: int, caller: Caller, answered: bool, notes: str = "") -> None:
        direction = OUT if caller is Caller.ME else IN
        text = (notes or self.rng.choice(words.CALL_NOTES)) if answered else "No answer."
        self.add(K.CALL, (who,), direction, minutes=20 * answered, answered=answered, caller=caller,
                 notes=text)  # fmt: skip
        if not answered:
            mine = caller is Caller.ME
            left = "Left a voicemail asking for a good time to talk." if mine else "Asked me to call back."
            self.add(K.VOICEMAIL, (who,), direction, notes=left)

    def reach(self, who: int, direction: Direction, subject: str, notes: str = "") -> None:
        """An email when they have a good address, else a call, else a LinkedIn message."""
        if self.cast[who].mail_domain:
            self.email(who, direction, subject, notes=notes)
        elif self.cast[who].phone:
            self.call(who, Caller.ME if direction is OUT else Caller.THEM, self.rng.random() < 0.6, subject)
        else:
            self.add(K.LINKEDIN, (who,), direction, notes=subject)

    def interview(self, round_: tuple[str, str, int, int], who: tuple[int, ...], ahead: int = 0) -> None:
        name, kind, minutes, _ = round_
        company, tz = self.company, self.gen.tz.key
        form = InterviewKind("video" if kind == "onsite" and company.timezone != tz else kind)
        places = {InterviewKind.PHONE: None, InterviewKind.ONSITE: f"{company.name} office, {company.city}"}
        place = places.get(form, f"https://meet.{company.domain}/{self.rng.getrandbits(32):08x}")
        topics = "" if ahead else "; ".join(self.rng.sample(words.INTERVIEW_TOPICS, 2))
        uid = f"demo-{self.gen.next_number()}@followup.invalid"
        interview = Interview(0, _EPOCH, _EPOCH, tz, form, place, who, notes=topics, uid=uid)
        notes = f"{name}: {topics}" if topics else f"{name} ({minutes} min)"
        self.add(K.INTERVIEW, who, minutes=minutes, interview=interview, ahead=ahead, notes=notes)
        for person in () if ahead else who:  # thank-you notes the same day
            if self.cast[person].mail_domain:
                thanks = words.EMAIL_SNIPPETS_OUT[0]
                self.email(person, OUT, f"Thank you — {self.title} interview", notes=thanks)
            elif self.cast[person].phone:
                self.add(K.VOICEMAIL, (person,), OUT, notes="Left a thank-you voicemail.")

    def outcome(self, outcome: Outcome, who: int, notes: tuple[str, ...]) -> None:
        direction = OUT if outcome in (Outcome.ACCEPTED, Outcome.WITHDRAWN) else IN
        subject = {
            Outcome.OFFER: f"Your offer from {self.company.name}", Outcome.REJECTED: "Your application",
            Outcome.FILLED: f"Update on the {self.title} role",
        }.get(outcome, f"{self.title}: my decision")  # fmt: skip
        self.reach(who, direction, subject)
        self.add(K.OUTCOME, (who,), direction, outcome=outcome, notes=self.rng.choice(notes))
        self.closed = self.day if outcome is not Outcome.OFFER else self.closed

    # The steps of an opportunity, in order; _PATHS says which ones each final stage takes. -----------

    def opening(self, source: Source) -> None:
        rng = self.rng
        self.add(K.NOTE, notes=rng.choice(words.SOURCE_NOTES[source.value]))
        if source is Source.REFERRAL:
            self.referrer = self.member(Role.REFERRER, network=True)
            self.add(K.LINKEDIN, (self.referrer,), OUT, notes=rng.choice(words.LINKEDIN_OUT))
            self.wait(1, 3)
            self.add(K.MEETING, (self.referrer,), minutes=45, notes=rng.choice(words.MEETING_NOTES))
            self.wait(0, 2)
            notes = "Sent my résumé so they can submit the referral."
            self.add(K.RESUME_SENT, (self.referrer,), OUT, notes=notes)
        elif source is Source.RECRUITER:
            self.recruiter = self.member(Role.RECRUITER)
            self.add(K.LINKEDIN, (self.recruiter,), IN, notes=rng.choice(words.LINKEDIN_IN))
            self.wait(0, 1)
            self.add(K.LINKEDIN, (self.recruiter,), OUT, notes=rng.choice(words.LINKEDIN_OUT))
        elif source is Source.NETWORK:
            friend = self.member(None, network=True, elsewhere=True)
            self.add(K.MEETING, (friend,), minutes=30, notes=rng.choice(words.MEETING_NOTES))

    def apply(self) -> None:
        self.wait(0, 3)
        self.applied = self.day
        via = () if self.referrer < 0 else (self.referrer,)
        self.add(K.APPLICATION, via, OUT, notes=f"Applied for {self.title}.")
        self.recruiter = self.member(Role.RECRUITER) if self.recruiter < 0 else self.recruiter
        if self.rng.random() < 0.6 and self.cast[self.recruiter].mail_domain:
            self.wait(0, 1)
            self.email(self.recruiter, IN, f"Your application to {self.company.name}")

    def nudge(self) -> None:
        if self.rng.random() < 0.5:
            self.wait(5, 8)
            self.reach(self.recruiter, OUT, "Checking in on my application")

    def go_cold(self) -> None:
        self.wait(6, 8)
        self.reach(self.recruiter, OUT, "Checking in on my application")
        self.wait(6, 8)
        if self.cast[self.recruiter].phone:
            self.call(self.recruiter, Caller.ME, answered=False)
        else:
            self.reach(self.recruiter, OUT, "Still interested in the role")
        self.wait(3, 5)
        self.add(K.STAGE, stage=Stage.COLD, notes=self.rng.choice(words.COLD_NOTES))

    def screen(self) -> None:
        self.wait(2, 8)
        self.reach(self.recruiter, IN, "Next steps")
        self.add(K.STAGE, stage=Stage.SCREENING, notes="Recruiter screen scheduled.")
        self.wait(1, 4)
        self.call(self.recruiter, Caller.THEM, answered=True)

    def rounds(self) -> None:
        rng, short = self.rng, self.stage in (Stage.INTERVIEWING, Stage.REJECTED, Stage.WITHDRAWN)
        self.manager = self.member(Role.HIRING_MANAGER, network=self.stage is Stage.FILLED)
        for n in range(rng.randint(1, 2) if short else rng.randint(2, 4)):
            self.wait(3, 7)
            round_ = words.INTERVIEW_ROUNDS[0] if n == 0 else rng.choice(words.INTERVIEW_ROUNDS[1:])
            self.interview(round_, (self.manager,) if n == 0 else self.interviewers(round_[3]))
            self.wait(1, 4)
            self.reach(self.recruiter, IN, "Next steps", notes=words.EMAIL_SNIPPETS_IN[2])
        for k in range(self.interviews_ahead):
            round_ = rng.choice(words.INTERVIEW_ROUNDS[1:])
            self.interview(round_, self.interviewers(round_[3]), ahead=1 + 2 * k)

    def interviewers(self, n: int) -> tuple[int, ...]:
        """New interviewers, or (one time in three) someone met in an earlier round."""
        met = [i for i, m in enumerate(self.cast) if m.role in (Role.INTERVIEWER, Role.HIRING_MANAGER)]
        chosen: list[int] = []
        for _ in range(n):
            again = [i for i in met if i not in chosen]
            reuse = again and self.rng.random() < 0.34
            chosen.append(self.rng.choice(again) if reuse else self.member(Role.INTERVIEWER))
        return tuple(chosen)

    def close(self) -> None:
        stage, rng = self.stage or Stage.REJECTED, self.rng
        notes = {Stage.FILLED: words.FILLED_NOTES, Stage.WITHDRAWN: words.WITHDRAWAL_NOTES}
        self.wait(2, 10)
        who = self.manager if stage is Stage.FILLED else self.recruiter
        self.outcome(Outcome(stage.value), who, notes.get(stage, words.REJECTION_NOTES))
        asked = self.manager if self.manager >= 0 else self.recruiter
        if stage is not Stage.WITHDRAWN and self.cast[asked].mail_domain and rng.random() < 0.7:
            self.wait(1, 2)
            subject = "Feedback on my interviews?" if self.manager >= 0 else "Thank you for letting me know"
            self.thread(asked, subject, OUT, rng.randint(1, 2))

    def offer(self) -> None:
        for _ in range(self.rng.randint(1, 2)):
            self.references.append(self.member(Role.REFERENCE, network=True, elsewhere=True))
        self.wait(1, 3)
        for person in self.references:
            self.reach(person, OUT, f"Heads-up: reference call from {self.company.name}")
        self.wait(2, 5)
        self.outcome(Outcome.OFFER, self.recruiter, words.OFFER_NOTES)

    def accept(self) -> None:
        self.wait(2, 5)
        self.call(self.recruiter, Caller.ME, answered=True, notes="Negotiated salary and start date.")
        self.wait(0, 2)
        self.outcome(Outcome.ACCEPTED, self.recruiter, words.ACCEPTANCE_NOTES)
        for person in [*self.references, *([self.referrer] if self.referrer >= 0 else [])]:
            self.reach(person, OUT, "Thank you!")

    def chatter(self, extra: int) -> None:
        """Everyday conversation that moves no stage, spread over the story by phase."""
        if extra <= 0:
            return
        rng, span = self.rng, max(self.day, 1)
        if extra > span * 1.5:  # a lot to say: the story takes longer
            factor = -(-extra // int(span * 1.5))
            self.beats = [b._replace(day=b.day * factor) for b in self.beats]
            self.applied, self.closed, span = self.applied * factor, self.closed * factor, span * factor
        for role, most in ((Role.HIRING_MANAGER, 1), (Role.RECRUITER, 2)):  # when short of people
            if extra > 4 and self.gen.short_of_people() and sum(m.role is role for m in self.cast) < most:
                self.member(role)
        people = [i for i, m in enumerate(self.cast) if m.role is not None]
        target = len(self.beats) + extra
        while len(self.beats) < target:
            self.day = rng.randint(0, span)
            before, after = self.applied < 0 or self.day < self.applied, 0 <= self.closed < self.day
            subjects = words.SUBJECTS_AFTER if after else words.SUBJECTS_ACTIVE
            subject = rng.choice(words.SUBJECTS_BEFORE if before else subjects)
            subject = subject.format(title=self.title, company=self.company.name)
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

    def keep_in_touch(self, extra: int) -> None:
        """Conversation with one contact outside any opportunity, spread over the window."""
        rng, friend = self.rng, self.member(None, network=True)
        gap = max(1, self.gen.window // (extra + 1))
        self.add(K.MEETING, (friend,), minutes=45, notes=rng.choice(words.MEETING_NOTES))
        while len(self.beats) < extra:
            self.wait(1, 2 * gap)
            roll, direction = rng.random(), rng.choice((IN, OUT))
            if roll < 0.4 and self.cast[friend].mail_domain:
                length = min(2, extra - len(self.beats))
                self.thread(friend, rng.choice(words.SUBJECTS_NETWORK), direction, length)
            elif roll < 0.6 and self.cast[friend].phone:
                self.call(friend, Caller.ME if direction is OUT else Caller.THEM, rng.random() < 0.7,
                          "Caught up on each other's news.")  # fmt: skip
            elif roll < 0.85:
                notes = rng.choice((words.LINKEDIN_IN if direction is IN else words.LINKEDIN_OUT)[2:])
                self.add(K.LINKEDIN, (friend,), direction, notes=notes)
            else:
                self.add(K.MEETING, (friend,), minutes=60, notes=rng.choice(words.MEETING_NOTES))


_Step = Callable[[_Story], None]
_OPEN: tuple[_Step, ...] = (_Story.apply,)
# Final stage -> (steps always taken, steps of which the first 0..all are taken, closing steps).
_PATHS: dict[Stage, tuple[tuple[_Step, ...], tuple[_Step, ...], tuple[_Step, ...]]] = {
    Stage.LEAD: ((), (), ()),
    Stage.APPLIED: ((*_OPEN, _Story.nudge), (), ()),
    Stage.COLD: ((*_OPEN, _Story.go_cold), (), ()),
    Stage.SCREENING: ((*_OPEN, _Story.screen), (), ()),
    Stage.INTERVIEWING: ((*_OPEN, _Story.screen, _Story.rounds), (), ()),
    Stage.OFFER: ((*_OPEN, _Story.screen, _Story.rounds, _Story.offer), (), ()),
    Stage.ACCEPTED: ((*_OPEN, _Story.screen, _Story.rounds, _Story.offer, _Story.accept), (), ()),
    Stage.REJECTED: (_OPEN, (_Story.screen, _Story.rounds), (_Story.close,)),
    Stage.FILLED: ((*_OPEN, _Story.screen, _Story.rounds), (), (_Story.close,)),
    Stage.WITHDRAWN: ((*_OPEN, _Story.screen), (_Story.rounds,), (_Story.close,)),
}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # placeholder until a story is placed on the calendar


class _Generator:
    """What spans stories: clock, counters, addresses in use, people to reuse; and the writing."""

    def __init__(
        self, repo: Repository, rng: random.Random, plan: _Plan, now: datetime, tz: ZoneInfo
    ) -> None:
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

    def short_of_people(self) -> bool:
        """Whether fewer people than planned have been made for the opportunities so far."""
        plan = self.plan
        return self.people_created < (plan.people - plan.network) * (self.done + 1) / len(plan.opportunities)

    def reusable(self, company: _Company, role: Role) -> _Member | None:
        """Someone already at the company in that role, mostly when the people budget runs ahead."""
        pool = self.pools.get((company.name, role))
        if not self.plan.reuse or not pool or (self.short_of_people() and self.rng.random() >= 0.2):
            return None
        return self.rng.choice(pool)

    def new_person(self, company: _Company, role: Role | None, *, network: bool) -> _Member:
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
        budget = plan.interactions - plan.network * (8 if plan.reuse else 5)  # the rest keeps in touch
        weights = [words.STAGE_WEIGHTS[stage.value] for stage, _ in plan.opportunities]
        left_weight, interviewing = sum(weights), 0
        for number, (stage, source) in enumerate(plan.opportunities):
            company = self.companies[number % len(self.companies)]
            story = _Story(self, company, rng.choice(words.ROLE_TITLES), stage)
            if stage is Stage.INTERVIEWING:
                story.interviews_ahead, interviewing = plan.upcoming(interviewing), interviewing + 1
            always, optional, closing = _PATHS[stage]
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
            story = _Story(self, rng.choice(self.companies), "")
            story.keep_in_touch(max(2, round((plan.interactions - self.written) / (network - index))))
            self._write(story, None)

    def _opportunity(self, story: _Story, source: Source) -> Opportunity:
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

    def _write(self, story: _Story, opportunity: Opportunity | None) -> None:
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
            links += [Link(ids[i], opp_id, Role.INTERVIEWER) for b in (*beats, *story.upcoming)
                      if b.interview for i in b.interview.interviewer_ids]  # as `log interview` does
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
        self, beat: _Beat, at: datetime, recorded: datetime, opp: int | None, ids: list[int]
    ) -> Interaction:
        interview_id = None
        if beat.interview is not None:
            interviewers = tuple(ids[i] for i in beat.interview.interviewer_ids)
            ends = at + timedelta(minutes=beat.minutes)
            interview = replace(beat.interview, opportunity_id=opp or 0, starts_at=at, ends_at=ends,
                                interviewer_ids=interviewers)  # fmt: skip
            interview_id = self.repo.add_interview(interview)
        person_ids = tuple(dict.fromkeys(ids[i] for i in beat.fields["person_ids"]))
        entry = Interaction(**{**beat.fields, "person_ids": person_ids}, occurred_at=at, recorded_at=recorded,
                            opportunity_id=opp, interview_id=interview_id)  # fmt: skip
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
