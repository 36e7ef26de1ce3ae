"""Drafts: what a note's template may use (its context), and the note as text the user can edit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from followup.domain.model import Direction, Interaction, Interview, Opportunity, Person, Stage
from followup.domain.scheduling import zone as zone_of
from followup.domain.touches import Channel, TouchKind
from followup.errors import InvalidInputError

# The template each kind of touch uses when the playbook names none (and for `followup mail test`).
TEMPLATES: tuple[str, ...] = (
    "thank-you",
    "resume-check",
    "check-in",
    "post-interview",
    "feedback",
    "reply-owed",
    "keep-in-touch",
    "closing-withdraw",
    "closing-thanks",
    "voicemail",
)


@dataclass(frozen=True)
class Sender:
    """The user, as their notes sign off."""

    name: str
    address: str
    signature: str = ""
    phone: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftFacts:
    """Everything a note may draw on, gathered by the drafting service for one touch."""

    kind: TouchKind
    template: str
    channel: Channel
    round: int
    reason: str
    me: Sender
    person: Person | None
    opportunity: Opportunity | None
    stage: Stage | None
    zone: str  # the recipient's time zone
    interview: Interview | None = None
    interviewers: tuple[str, ...] = ()  # names of everyone on that interview
    trigger: Interaction | None = None
    last: Interaction | None = None  # the latest entry with this person
    thread: Interaction | None = None  # the e-mail this note answers, when there is one
    referrer: str | None = None  # who passed the résumé on (résumé check)
    accepted: Opportunity | None = None  # the offer taken (closing notes)


@dataclass(frozen=True)
class Draft:
    """A note ready for review: the words and where they go."""

    subject: str
    body: str
    to_name: str
    to_address: str | None
    template: str
    channel: Channel = Channel.EMAIL
    in_reply_to: str | None = None
    references: tuple[str, ...] = field(default=())

    @property
    def first_line(self) -> str:
        """The first line after the greeting: what the agenda shows of a draft."""
        lines = [line.strip() for line in self.body.splitlines() if line.strip()]
        if len(lines) > 1 and GREETING.match(lines[0]) and len(lines[0]) < 40:
            return lines[1]
        return lines[0] if lines else ""


# "Hi Jane," / "Dear Dr. Okafor,": the greeting, and the name it greets (group 1).
GREETING = re.compile(
    r"^\s*(?:hi|hello|dear|hey|good (?:morning|afternoon|evening))\b[ ,]*((?:\w+\.?\s+)?[\w'-]+)?",
    re.IGNORECASE,
)
_TOPIC_LEAD = re.compile(
    r"^(?:(?:we\s+)?(?:discussed|talked about|covered|went through|spoke about|chatted about)|"
    r"topics?:|about)\s+",
    re.IGNORECASE,
)
_TOPIC_SPLIT = re.compile(r"[;\n•]|(?<=[a-z)])\.\s+|(?<=\?)\s+|,\s+(?:and\s+)?(?=[a-z])|\s+-\s+")
# A topic starting with one of these reads on in a sentence ("about the roadmap"); names keep capitals.
_LOWER_FIRST = frozenset({"the", "a", "an", "our", "their", "his", "her", "its", "my", "your", "how", "why"})


def topics(notes: str) -> list[str]:
    """Topics from interview notes, in the order written: "Discussed the Kafka migration; on-call
    rota" → ["the Kafka migration", "on-call rota"]. Short fragments and questions are left out."""
    found: list[str] = []
    for part in _TOPIC_SPLIT.split(notes or ""):
        text = _TOPIC_LEAD.sub("", part.strip().strip("-*•").strip()).rstrip(".!").strip()
        if len(text) < 4 or text.endswith("?") or len(text.split()) > 14:
            continue
        first_word = text.split()[0].lower() if text.split() else ""
        text = text[0].lower() + text[1:] if first_word in _LOWER_FIRST else text
        if text.lower() not in (t.lower() for t in found):
            found.append(text)
    return found


def first_name(name: str) -> str:
    parts = name.split()
    if len(parts) > 1 and parts[0].rstrip(".").lower() in TITLES:
        parts = parts[1:]
    return parts[0] if parts else ""


TITLES = frozenset({"mr", "ms", "mrs", "mx", "dr", "prof", "sir", "dame"})


def _day(moment: datetime | None, zone: str) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(zone_of(zone))
    return f"{local:%A}, {local.day} {local:%B}"


def _relative_day(moment: datetime, now: datetime, zone: str, *, on: bool = False) -> str:
    """ "today", "yesterday", or the weekday ("on Tuesday" with `on`) at the recipient."""
    tz = zone_of(zone)
    days = (now.astimezone(tz).date() - moment.astimezone(tz).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"{'on ' if on else ''}{moment.astimezone(tz):%A}"
    return _day(moment, zone) if not on else f"on {_day(moment, zone)}"  # type: ignore[return-value]


def context(facts: DraftFacts, *, now: datetime) -> dict[str, Any]:
    """The values a template sees. Every key is always present; an unknown value is None, which a
    template may test (`{% if interview.topic %}`) but never print."""
    me, person, opp, interview = facts.me, facts.person, facts.opportunity, facts.interview
    zone = facts.zone
    found_topics = topics(interview.notes) if interview else []
    email = person.primary_email if person else None
    return {
        "me": {
            "name": me.name or None,
            "first_name": first_name(me.name) or None,
            "email": me.address or None,
            "signature": me.signature or None,
            "phone": me.phone or None,
            "links": list(me.links),
        },
        "person": {
            "name": person.name if person else None,
            "first_name": first_name(person.name) if person else None,
            "title": person.title if person else None,
            "organisation": person.organisation if person else None,
            "email": email,
            "phone": person.phone if person else None,
        },
        "opportunity": {
            "company": opp.company if opp else None,
            "title": opp.title if opp else None,
            "url": opp.url if opp else None,
            "stage": str(facts.stage) if facts.stage else None,
        },
        "interview": {
            "date": _day(interview.starts_at, zone) if interview else None,
            "day": _relative_day(interview.starts_at, now, zone) if interview else None,
            "when": _relative_day(interview.starts_at, now, zone, on=True) if interview else None,
            "kind": str(interview.kind) if interview else None,
            "topics": found_topics,
            "topic": found_topics[0] if found_topics else None,
            "interviewers": list(facts.interviewers),
        },
        "last": _entry(facts.last, zone),
        "trigger": _entry(facts.trigger, zone),
        "touch": {
            "kind": str(facts.kind),
            "round": facts.round,
            "reason": facts.reason,
            "today": _day(now, zone),
        },
        "referrer": facts.referrer,
        "accepted": {
            "company": facts.accepted.company if facts.accepted else None,
            "title": facts.accepted.title if facts.accepted else None,
        },
    }


def _entry(entry: Interaction | None, zone: str) -> dict[str, Any]:
    return {
        "kind": str(entry.kind) if entry else None,
        "date": _day(entry.occurred_at, zone) if entry else None,
        "subject": entry.subject if entry else None,
        "inbound": entry.direction is Direction.IN if entry else None,
        "outcome": str(entry.outcome) if entry and entry.outcome else None,
    }


def thread_headers(thread: Interaction | None) -> tuple[str | None, tuple[str, ...]]:
    """In-Reply-To and References for a note that answers `thread` (RFC 5322 §3.6.4)."""
    if thread is None or not thread.message_id:
        return None, ()
    references = (*thread.references, thread.message_id)
    if not thread.references and thread.in_reply_to:
        references = (thread.in_reply_to, thread.message_id)
    return thread.message_id, references[-20:]


def reply_subject(subject: str) -> str:
    return subject if re.match(r"^\s*re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"


# The editable form of a draft --------------------------------------------------------------------

EDIT_HELP = "# Lines starting with # are ignored. Keep the Subject: line, a blank line, then the note."


def as_text(subject: str, body: str) -> str:
    """A draft as the file the user edits."""
    return f"{EDIT_HELP}\nSubject: {subject}\n\n{body.rstrip()}\n"


def from_text(text: str) -> tuple[str, str]:
    """(subject, body) from an edited draft; the Subject: line is required."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not lines[0].lower().startswith("subject:"):
        raise InvalidInputError(
            "The edited draft has no 'Subject:' line at the top.",
            hint="Start the draft with 'Subject: …', then a blank line, then the note.",
        )
    subject = lines[0].split(":", 1)[1].strip()
    body = "\n".join(lines[1:]).strip("\n")
    return subject, body.rstrip() + "\n"
