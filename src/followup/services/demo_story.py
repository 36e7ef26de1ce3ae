"""The story of one demo opportunity (or contact): its cast and events on story days, before any placing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from followup.domain.model import (
    Caller,
    Direction,
    EmailAddress,
    InteractionKind,
    Interview,
    InterviewKind,
    Outcome,
    Person,
    Role,
    Source,
    Stage,
)
from followup.services import demo_data as words

Fields = dict[str, Any]  # of an Interaction, before it is placed on the calendar
K, IN, OUT = InteractionKind, Direction.IN, Direction.OUT


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    city: str
    country: str
    timezone: str


@dataclass
class Member:
    """Someone in a story: a person still to add (draft) or one already written (person_id)."""

    role: Role | None
    mail_domain: str | None  # of the first good address; None when only a phone (or nothing) is known
    phone: bool
    draft: Person | None = None
    person_id: int | None = None


class Beat(NamedTuple):
    day: int  # story day; for upcoming interviews, business days after today
    seq: int
    fields: Fields  # person_ids index the story's cast until written
    minutes: int
    interview: Interview | None  # times and interviewer_ids filled in when written


class Setting(Protocol):
    """What a story needs from what spans stories (the demo generator): randomness, clock, people."""

    rng: random.Random
    tz: ZoneInfo
    window: int  # business days in the time window
    companies: list[Company]

    def next_number(self) -> int: ...

    def message_id(self, domain: str) -> str: ...

    def short_of_people(self) -> bool: ...

    def reusable(self, company: Company, role: Role) -> Member | None: ...

    def new_person(self, company: Company, role: Role | None, *, network: bool) -> Member: ...


class Story:
    """One opportunity's (or one contact's) events on story days, with its cast; no times yet."""

    def __init__(self, gen: Setting, company: Company, title: str, stage: Stage | None = None) -> None:
        self.gen, self.company, self.title, self.stage, self.rng = gen, company, title, stage, gen.rng
        self.cast: list[Member] = []
        self.beats: list[Beat] = []
        self.upcoming: list[Beat] = []
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
        beat = Beat(ahead or self.day, len(self.beats) + len(self.upcoming), fields, minutes, interview)
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

    # The steps of an opportunity, in order; PATHS says which ones each final stage takes. ------------

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
            self.read_back(self.recruiter, "Checking in on my application", bounce=False)

    def read_back(self, who: int, subject: str, *, bounce: bool) -> None:
        """What the mailbox answers instead of a person: a bounce from an address they left (they
        have a good one too), or an out-of-office with its return date."""
        member = self.cast[who]
        if not member.mail_domain:
            return
        draft = member.draft
        if bounce and draft is not None and draft.emails:
            gone = EmailAddress(
                f"{draft.emails[0].address.partition('@')[0]}@old.{member.mail_domain}", bad=True
            )
            if not any(e.bad for e in draft.emails):
                self.cast[who] = replace(member, draft=replace(draft, emails=(*draft.emails, gone)))
            bad = next(e for e in self.cast[who].draft.emails if e.bad)  # type: ignore[union-attr]
            self.add(K.BOUNCE, (who,), IN, subject=f"Undeliverable: {subject}",
                     message_id=self.gen.message_id("mailer-daemon.example"),
                     notes=f"{bad.address}: 5.1.1 user unknown")  # fmt: skip
        elif not bounce:
            self.add(K.AUTO_REPLY, (who,), IN, subject=f"Automatic reply: {subject}",
                     message_id=self.gen.message_id(member.mail_domain),
                     away_days=self.rng.randint(3, 12))  # fmt: skip

    def go_cold(self) -> None:
        self.wait(6, 8)
        self.reach(self.recruiter, OUT, "Checking in on my application")
        self.read_back(self.recruiter, "Checking in on my application", bounce=True)
        self.wait(6, 8)
        if self.cast[self.recruiter].phone:
            self.call(self.recruiter, Caller.ME, answered=False)
        else:
            self.reach(self.recruiter, OUT, "Still interested in the role")
        self.wait(3, 5)
        self.add(K.STAGE, stage=Stage.COLD, notes=self.rng.choice(words.COLD_NOTES))

    def screen(self) -> None:
        if self.rng.random() < 0.3:
            self.wait(2, 4)
            self.reach(self.recruiter, OUT, "Following up on my application")
            self.read_back(self.recruiter, "Following up on my application", bounce=False)
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


Step = Callable[[Story], None]
_OPEN: tuple[Step, ...] = (Story.apply,)
# Final stage -> (steps always taken, steps of which the first 0..all are taken, closing steps).
PATHS: dict[Stage, tuple[tuple[Step, ...], tuple[Step, ...], tuple[Step, ...]]] = {
    Stage.LEAD: ((), (), ()),
    Stage.APPLIED: ((*_OPEN, Story.nudge), (), ()),
    Stage.COLD: ((*_OPEN, Story.go_cold), (), ()),
    Stage.SCREENING: ((*_OPEN, Story.screen), (), ()),
    Stage.INTERVIEWING: ((*_OPEN, Story.screen, Story.rounds), (), ()),
    Stage.OFFER: ((*_OPEN, Story.screen, Story.rounds, Story.offer), (), ()),
    Stage.ACCEPTED: ((*_OPEN, Story.screen, Story.rounds, Story.offer, Story.accept), (), ()),
    Stage.REJECTED: (_OPEN, (Story.screen, Story.rounds), (Story.close,)),
    Stage.FILLED: ((*_OPEN, Story.screen, Story.rounds), (), (Story.close,)),
    Stage.WITHDRAWN: ((*_OPEN, Story.screen), (Story.rounds,), (Story.close,)),
}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # placeholder until a story is placed on the calendar
