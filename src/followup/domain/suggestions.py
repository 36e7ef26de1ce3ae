"""Suggestions: what the mailbox reader believes but the user must confirm (DESIGN §2). Only a confirmed
suggestion changes a stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from followup.domain.model import Outcome, Stage


class SuggestionKind(StrEnum):
    """Every employer signal (domain/inbound.py `Signal`, same values: a signal found becomes the
    suggestion of its value), and mail about a job from someone new."""

    REJECTION = "rejection"
    INTERVIEW = "interview-invitation"
    AVAILABILITY = "availability-request"
    ASSESSMENT = "assessment"
    OFFER = "offer"
    APPLICATION_RECEIVED = "application-received"
    JOB_RELATED = "job-related"  # mail about a job from someone not yet in the job search

    @property
    def outcome(self) -> Outcome | None:
        """The outcome confirming it records, if any."""
        return {SuggestionKind.REJECTION: Outcome.REJECTED, SuggestionKind.OFFER: Outcome.OFFER}.get(self)

    @property
    def stage(self) -> Stage | None:
        """The stage confirming it moves the opportunity to (never backwards)."""
        return {
            SuggestionKind.INTERVIEW: Stage.INTERVIEWING,
            SuggestionKind.AVAILABILITY: Stage.SCREENING,
            SuggestionKind.ASSESSMENT: Stage.SCREENING,
            SuggestionKind.APPLICATION_RECEIVED: Stage.APPLIED,
        }.get(self)


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Suggestion:
    kind: SuggestionKind
    message_id: str
    occurred_at: datetime
    sender: str
    because: str  # the header or phrase that decided it
    sender_name: str = ""
    organisation: str | None = None
    subject: str = ""
    snippet: str = ""
    opportunity_id: int | None = None
    person_id: int | None = None
    interview_id: int | None = None  # an invitation already put in the calendar
    status: SuggestionStatus = SuggestionStatus.PENDING
    created_at: datetime | None = None
    decided_at: datetime | None = None
    id: int | None = None

    def describe(self, opportunity: str | None) -> str:
        """One line: "Looks like a rejection from Acme — Data Engineer"."""
        what = {
            SuggestionKind.REJECTION: "a rejection",
            SuggestionKind.INTERVIEW: "an interview invitation",
            SuggestionKind.AVAILABILITY: "a request for your availability",
            SuggestionKind.ASSESSMENT: "an assessment or coding test",
            SuggestionKind.OFFER: "an offer",
            SuggestionKind.APPLICATION_RECEIVED: "a confirmation that your application arrived",
            SuggestionKind.JOB_RELATED: "mail about a job",
        }[self.kind]
        source = opportunity or self.organisation or self.sender_name or self.sender
        return f"Looks like {what} from {source}"
