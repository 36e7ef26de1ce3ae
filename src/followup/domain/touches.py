"""Touches: the follow-ups the planner proposes, and the rules (the playbook) it follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from functools import cached_property

from followup.domain.calendar import SendWindow


class TouchKind(StrEnum):
    THANK_YOU = "thank-you"
    RESUME_CHECK = "resume-check"
    CHECK_IN = "check-in"
    POST_INTERVIEW = "post-interview"
    FEEDBACK = "feedback"
    REPLY_OWED = "reply-owed"
    KEEP_IN_TOUCH = "keep-in-touch"
    CLOSING = "closing"
    GO_COLD = "go-cold"  # not a message: the proposal to move a silent opportunity to `cold`
    FIND_ADDRESS = "find-address"  # not a message: mail to the person bounced, find a correct address


class TouchStatus(StrEnum):
    """What the ledger says about a planned touch (the user's own decisions come on top)."""

    PENDING = "pending"
    DONE = "done"  # the ledger shows it happened (a note was sent or logged)
    CANCELLED = "cancelled"  # no longer needed; `cancel_reason` says why


class Decision(StrEnum):
    """What the user decided about a touch by hand."""

    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


class Channel(StrEnum):
    EMAIL = "email"
    VOICEMAIL = "voicemail"
    NONE = "none"  # a proposal, or nobody to write to yet


@dataclass(frozen=True)
class Rule:
    """One rule of the playbook, as data. Durations are in the recipient's business days unless
    named `*_days` (calendar days)."""

    kind: TouchKind
    trigger: str
    template: str
    delay: int = 0  # business days after the trigger
    window: int = 0  # extra business days the touch stays due (0: the due day only)
    repeat: int = 0  # business days between rounds (check-in, post-interview)
    max_unanswered: int = 1
    urgent: bool = False
    enabled: bool = True
    send_window: tuple[time, time] = (time(9, 0), time(17, 0))
    late_after: time | None = None  # thank-you: ended after this local time → due next day at noon
    after_decision: int = 0  # post-interview: business days after the decision date they gave
    cadence_days: int = 0  # keep-in-touch
    cadence_days_interviewed: int = 0  # keep-in-touch, people met in interviews
    alternate_template: str | None = None  # voicemail script; thanks to referrers when closing

    @cached_property
    def hours(self) -> SendWindow:
        """`send_window` as the calendar takes it (made once: planning asks for it with every touch)."""
        return SendWindow(*self.send_window)


@dataclass(frozen=True)
class Playbook:
    rules: dict[TouchKind, Rule]
    min_gap: int = 3  # business days between two non-urgent touches to the same person
    prefer_midweek: bool = True

    def rule(self, kind: TouchKind) -> Rule | None:
        found = self.rules.get(kind)
        return found if found is not None and found.enabled else None


@dataclass(frozen=True)
class Touch:
    """A planned follow-up. `key` is its identity: the same situation always gives the same key,
    so the user's decisions and a calendar's copy survive re-planning."""

    key: str
    kind: TouchKind
    person_id: int | None
    opportunity_id: int | None
    due_from: datetime
    due_by: datetime
    send_at: datetime
    reason: str
    template: str
    trigger_id: int | None
    trigger_at: datetime
    urgent: bool = False
    round: int = 1
    channel: Channel = Channel.EMAIL
    status: TouchStatus = TouchStatus.PENDING
    cancel_reason: str | None = None
    how: tuple[str, ...] = field(default=(), compare=False)  # the computation, for `followup why`


@dataclass(frozen=True)
class StaleNote:
    """Conversations a batch of ledger writes left to re-plan (or everything, after an import)."""

    opportunity_ids: frozenset[int]
    person_ids: frozenset[int]
    everything: bool
