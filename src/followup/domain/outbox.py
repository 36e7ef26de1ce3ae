"""The outbox: a note's life from draft to sent, and the rules of retrying (DESIGN §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class OutboxState(StrEnum):
    DRAFT = "draft"  # saved or edited, not yet approved
    APPROVED = "approved"  # Message-ID and Date fixed; waits for its send time
    SENDING = "sending"  # committed before the content goes to the server
    SENT = "sent"  # the server accepted it (or it was found in the Sent folder)
    FAILED = "failed"  # refused for good, or failed every attempt
    UNCERTAIN = "uncertain"  # found in `sending` after a crash, with no proof either way
    DRAFTS_FOLDER = "in-drafts-folder"  # placed in the user's Drafts folder, to send from their client


# States a message can still be changed in: the user edits, approves again, or discards it.
EDITABLE = frozenset({OutboxState.DRAFT, OutboxState.APPROVED, OutboxState.FAILED})
# States a message never leaves by itself.
SETTLED = frozenset({OutboxState.SENT, OutboxState.DRAFTS_FOLDER})

# Waits before the 2nd, 3rd, … attempt after a temporary failure.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    attempts = max(attempts, 1)
    return BACKOFF[attempts - 1] if attempts <= len(BACKOFF) else MAX_BACKOFF


@dataclass(frozen=True)
class OutboxMessage:
    """One note in the outbox. The addresses are as the headers will show them."""

    touch_id: int | None
    kind: str
    state: OutboxState
    subject: str
    body: str
    from_name: str
    from_address: str
    to_name: str
    to_address: str
    person_id: int | None = None
    opportunity_id: int | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = field(default=())
    message_id: str | None = None  # fixed at approval
    date: datetime | None = None  # fixed at approval
    send_after: datetime | None = None  # the next moment inside the recipient's window
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    sent_at: datetime | None = None
    edited: bool = False  # the user changed the words: re-planning must not overwrite them
    id: int | None = None

    def ready(self, now: datetime, *, ignore_send_time: bool = False) -> bool:
        """Approved, its send time has come, and no back-off is pending."""
        if self.state is not OutboxState.APPROVED:
            return False
        if self.next_attempt_at is not None and self.next_attempt_at > now:
            return False
        return ignore_send_time or self.send_after is None or self.send_after <= now


def message_id(token: str, address: str) -> str:
    """A Message-ID whose right side is the domain of the user's address (RFC 5322 §3.6.4)."""
    domain = address.rpartition("@")[2].strip().strip(">") if "@" in address else ""
    domain = domain or "followup.invalid"
    return f"<{token}@{domain}>"
