"""The vocabulary of a job search: opportunities, people, roles, the interaction ledger, interviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

# Every enum's values are the words users type and `--json` prints.


class Stage(StrEnum):
    LEAD = "lead"
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"
    COLD = "cold"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STAGES

    @property
    def rank(self) -> int:
        """Position along the open path; closed stages rank after every open one."""
        return STAGE_ORDER.index(self)


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
OPEN_STAGES = frozenset({Stage.LEAD, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER})
CLOSED_STAGES = frozenset(set(Stage) - OPEN_STAGES)


class Role(StrEnum):
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring-manager"
    INTERVIEWER = "interviewer"
    REFERRER = "referrer"
    REFERENCE = "reference"
    NETWORK = "network"


class Source(StrEnum):
    JOB_BOARD = "job-board"
    COMPANY_SITE = "company-site"
    REFERRAL = "referral"
    RECRUITER = "recruiter"
    NETWORK = "network"
    OTHER = "other"


class InteractionKind(StrEnum):
    EMAIL = "email"
    CALL = "call"
    VOICEMAIL = "voicemail"
    MEETING = "meeting"
    INTERVIEW = "interview"
    LINKEDIN = "linkedin"
    APPLICATION = "application"
    RESUME_SENT = "resume-sent"
    OUTCOME = "outcome"
    NOTE = "note"
    STAGE = "stage"
    # Read from the mailbox, never typed: neither is a conversation, so neither answers anything.
    AUTO_REPLY = "auto-reply"  # an out-of-office or autoresponder; `returns_on` when it says
    BOUNCE = "bounce"  # mail to a person came back; their address is marked bad

    @property
    def is_contact(self) -> bool:
        """Whether this kind of entry is a conversation with someone (counts as "last contact")."""
        return self in CONTACT_KINDS

    @property
    def is_automatic(self) -> bool:
        """Written by a machine (an out-of-office, a bounce): never an answer from anyone."""
        return self in (InteractionKind.AUTO_REPLY, InteractionKind.BOUNCE)


CONTACT_KINDS = frozenset(
    {
        InteractionKind.EMAIL,
        InteractionKind.CALL,
        InteractionKind.VOICEMAIL,
        InteractionKind.MEETING,
        InteractionKind.INTERVIEW,
        InteractionKind.LINKEDIN,
        InteractionKind.RESUME_SENT,
    }
)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"
    NONE = "none"


class Outcome(StrEnum):
    REJECTED = "rejected"
    FILLED = "filled"
    OFFER = "offer"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"

    @property
    def stage(self) -> Stage:
        return Stage(self.value)


class Caller(StrEnum):
    """Who started a call."""

    ME = "me"
    THEM = "them"


class InterviewKind(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    ONSITE = "onsite"


class InterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


DEFAULT_CADENCE_DAYS = 90
INTERVIEW_CADENCE_DAYS = 60


@dataclass(frozen=True)
class EmailAddress:
    """One address of a person; `bad` once mail to it bounced."""

    address: str
    bad: bool = False

    @property
    def key(self) -> str:
        """The form used to compare addresses: case does not matter to anyone in practice."""
        return self.address.casefold()


@dataclass(frozen=True)
class Opportunity:
    """One job pursued at one organisation. Its stage is derived from the ledger, not stored here."""

    company: str
    title: str
    url: str | None = None
    source: Source | None = None
    location: str | None = None
    decision_expected: date | None = None
    notes: str = ""
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Person:
    """Someone the user talks to."""

    name: str
    emails: tuple[EmailAddress, ...] = ()
    phone: str | None = None
    organisation: str | None = None
    title: str | None = None
    timezone: str | None = None
    country: str | None = None
    cadence_days: int | None = None
    in_network: bool = False
    linkedin_url: str | None = None
    notes: str = ""
    created_at: datetime | None = None
    id: int | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def primary_email(self) -> str | None:
        """The first address not marked bad."""
        return next((e.address for e in self.emails if not e.bad), None)


@dataclass(frozen=True)
class Link:
    """A person's part in an opportunity."""

    person_id: int
    opportunity_id: int
    role: Role


@dataclass(frozen=True)
class Interaction:
    """One entry of the append-only ledger.

    `occurred_at` is when it really happened (may be long before it was recorded);
    `recorded_at` is when the user (or the mailbox watcher) wrote it down.
    """

    kind: InteractionKind
    occurred_at: datetime
    direction: Direction = Direction.NONE
    opportunity_id: int | None = None
    person_ids: tuple[int, ...] = ()
    subject: str | None = None
    notes: str = ""
    answered: bool | None = None
    caller: Caller | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    outcome: Outcome | None = None
    stage: Stage | None = None
    interview_id: int | None = None
    returns_on: date | None = None  # auto-reply: the day the person says they are back
    recorded_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Interview:
    """A scheduled conversation for an opportunity, held or upcoming."""

    opportunity_id: int
    starts_at: datetime
    ends_at: datetime
    timezone: str
    kind: InterviewKind = InterviewKind.VIDEO
    location: str | None = None
    interviewer_ids: tuple[int, ...] = ()
    notes: str = ""
    uid: str | None = None
    sequence: int = 0
    status: InterviewStatus = InterviewStatus.SCHEDULED
    id: int | None = None


@dataclass(frozen=True)
class OpportunityState:
    """What the ledger says about an opportunity right now."""

    stage: Stage
    applied_at: datetime | None = None
    last_contact_at: datetime | None = None


@dataclass(frozen=True)
class OpportunitySummary:
    """An opportunity with its derived state, as listings show it."""

    opportunity: Opportunity
    state: OpportunityState
    people: tuple[tuple[int, str, Role], ...] = field(default=())


@dataclass(frozen=True)
class PersonSummary:
    """A person with their last contact and roles, as listings show them."""

    person: Person
    last_contact_at: datetime | None
    roles: tuple[tuple[int, str, Role], ...] = ()
