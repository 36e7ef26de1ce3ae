"""What reading mail takes in (`Incoming`) and gives back: a `ReadReport` of counters and events, and
with `--trace` one `Outcome` per message."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Incoming:
    """One message to read: where it is, its header bytes, and whether the user sent it (Sent folder)."""

    where: str
    headers: bytes
    sent: bool = False
    content: bytes | None = None  # the whole message when it is at hand (files); fetched otherwise


@dataclass(frozen=True)
class Outcome:
    """What became of one message, when a trace was asked for (`--trace`, tests)."""

    where: str
    message_id: str
    kind: str  # the classification ("human", "auto-reply", …), "outgoing", or "" when not read
    because: str  # the header or phrase that decided the kind
    effect: str  # "logged", "auto-reply", "bounce", "invitation", "suggestion", "ignored", "known", "skipped"


# The report's counters, in order of precedence, and the effect word `Outcome.effect` gives each.
EFFECTS = {
    "logged": "logged",
    "auto_replies": "auto-reply",
    "bounces": "bounce",
    "invitations": "invitation",
    "suggestions": "suggestion",
    "known": "known",
    "ignored": "ignored",
}


@dataclass
class ReadReport:
    """What a read did, message by message where something happened."""

    read: int = 0
    logged: int = 0  # human mail, in and out
    auto_replies: int = 0
    bounces: int = 0
    invitations: int = 0
    suggestions: int = 0
    known: int = 0  # read before: nothing to do
    ignored: int = 0  # not about the job search
    skipped: list[str] = field(default_factory=list)  # "where: why"
    events: list[str] = field(default_factory=list)  # one line per effect, for the user
    cancelled: list[str] = field(default_factory=list)  # pending notes a reply cancelled, with the reason
    outcomes: list[Outcome] = field(default_factory=list)  # per message, only when tracing

    def add(self, other: ReadReport) -> None:
        for name in ("read", "logged", "auto_replies", "bounces", "invitations", "suggestions", "known",
                     "ignored"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped += other.skipped
        self.events += other.events
        self.cancelled += other.cancelled
        self.outcomes += other.outcomes
