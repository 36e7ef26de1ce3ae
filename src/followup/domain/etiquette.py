"""The etiquette check shown with every draft: what would make a recruiter wince, found before sending."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from followup.domain.drafts import GREETING, TITLES, Draft, first_name
from followup.domain.touches import Channel, TouchKind


class Severity(StrEnum):
    ERROR = "error"  # `approve` refuses the draft unless --force
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    hint: str


@dataclass(frozen=True)
class Circumstances:
    """What the check needs to know beyond the words; computed by the service from the calendar."""

    kind: TouchKind | None
    recipient: str  # the person's full name ("" when unknown)
    urgent: bool = False
    in_window: bool = True  # the planned send time lies inside the recipient's window on a business day
    send_local: str = ""  # that time, in the recipient's words ("Sat 08:00 their time")
    unanswered: int = 0  # notes already sent on this thread without an answer
    cap: int | None = None  # how many the playbook allows
    days_after_outcome: int | None = None  # business days between the outcome and the send day


CLICHES: tuple[tuple[str, str], ...] = (
    ("just checking in", "Say what you are writing about: the role, the date, the question."),
    ("just following up", "Open with the reason for the note, not with the act of writing it."),
    ("touch base", "Name the thing you want to hear about."),
    ("circle back", "Ask the question directly."),
    ("per my last email", "Restate the point kindly; they may not have read it."),
    ("as per my previous", "Restate the point kindly; they may not have read it."),
    ("bumping this", "Write a fresh, short note with the reason."),
    ("to whom it may concern", "Address a person by name."),
    ("hope this email finds you well", "Start with something specific to them."),
    ("i know you're busy", "Skip the apology; keep the note short instead."),
    ("sorry to bother you", "Skip the apology; keep the note short instead."),
    ("any update", "Ask a specific question, e.g. whether the timeline still holds."),
)

_PLACEHOLDER = re.compile(
    # template tags, and the usual bracketed names in any case: "{{ first_name }}", "[Name]", "<company>"
    r"\{\{|\}\}|\{%|%\}|(?i:\[(?:your |their |first |last |company |role |job )?"
    r"(?:name|first name|company|role|title|date|topic|position|job)\]|<(?:first name|name|company)>)|"
    # a gap in capitals ("[YOUR ANSWER]") and the marks people leave, in capitals only ("a todo app" is fine)
    r"\[[A-Z][A-Z ,:'\u2019-]{2,}\]|\b(?:XXX+|TODO|TBD|FIXME)\b"
)

# Words: (fewest, most) a note of this kind should have.
LENGTHS: dict[str, tuple[int, int]] = {
    "thank-you": (60, 150),
    "feedback": (40, 160),
    "voicemail": (20, 90),
}
DEFAULT_LENGTH = (25, 180)


def check(draft: Draft, facts: Circumstances) -> list[Finding]:
    """Every problem of the draft, errors first."""
    found = [
        *_addressing(draft, facts),
        *_words(draft),
        *_timing(facts),
    ]
    return sorted(found, key=lambda f: f.severity is not Severity.ERROR)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def _addressing(draft: Draft, facts: Circumstances) -> list[Finding]:
    found: list[Finding] = []
    email = draft.channel is Channel.EMAIL
    if email and not draft.subject.strip():
        found.append(_error("empty-subject", "The subject is empty.", "Write a short, specific subject."))
    if not draft.body.strip():
        found.append(_error("empty-body", "The note is empty.", "Write the note, or skip the touch."))
    if email and not draft.to_address:
        found.append(
            _error(
                "no-address",
                f"There is no e-mail address for {draft.to_name or 'the recipient'}.",
                "Add one with `followup edit person … --email ADDRESS`, or call them instead.",
            )
        )
    for text, where in ((draft.subject, "subject"), (draft.body, "note")):
        leftover = _PLACEHOLDER.search(text)
        if leftover:
            found.append(
                _error(
                    "placeholder",
                    f"The {where} still contains the placeholder {leftover.group(0)!r}.",
                    "Replace it with the real words before approving.",
                )
            )
    greeting = GREETING.match(draft.body)
    if greeting and greeting.group(1) and facts.recipient:
        named = greeting.group(1)
        if not _names_recipient(named, facts.recipient):
            found.append(
                _error(
                    "wrong-name",
                    f"The note greets {named!r}, but goes to {facts.recipient}.",
                    f"Greet them as {first_name(facts.recipient)}.",
                )
            )
    return found


def _names_recipient(named: str, recipient: str) -> bool:
    words = [_fold(w.rstrip(".")) for w in named.split()]
    if len(words) > 1 and words[0] in TITLES:
        words = words[1:]  # "Dear Dr. Okafor": the title, then a surname
    if words and words[0] in {"all", "team", "everyone", "there"}:
        return True
    names = {_fold(part) for part in recipient.replace("-", " ").split()} | {
        _fold(recipient.split(maxsplit=1)[0])
    }
    return bool(words) and (words[0] in names or _fold(words[0].replace("-", " ")) in names)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(draft: Draft) -> list[Finding]:
    found: list[Finding] = []
    lowered = _fold(f"{draft.subject}\n{draft.body}").replace("\u2019", "'")
    for phrase, hint in CLICHES:
        if phrase in lowered:
            found.append(_warning("cliche", f"“{phrase}” is a cliché recruiters skim past.", hint))
    fewest, most = LENGTHS.get(draft.template, DEFAULT_LENGTH)
    count = len(_body_without_signature(draft.body).split())
    if count < fewest:
        found.append(
            _warning(
                "too-short",
                f"The note has {count} words; a {draft.template} note reads best with {fewest} to {most}.",
                "Add one specific detail: a topic you discussed, a question, a date.",
            )
        )
    elif count > most:
        found.append(
            _warning(
                "too-long",
                f"The note has {count} words; a {draft.template} note reads best with {fewest} to {most}.",
                "Cut it to the point; people answer short notes.",
            )
        )
    return found


def _body_without_signature(body: str) -> str:
    """The note's own words: what is below "-- " or a sign-off line ("Best regards,", "Thanks for your
    help,") does not count."""
    text = body.split("\n-- \n", 1)[0]
    lines = text.rstrip().split("\n")
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i].strip()
        if line.endswith((",", "!")) and len(line.split()) <= 6 and not lines[i - 1].strip():
            return "\n".join(lines[:i])
    return text


def _timing(facts: Circumstances) -> list[Finding]:
    found: list[Finding] = []
    if not facts.urgent and not facts.in_window:
        found.append(
            _warning(
                "outside-window",
                f"It is planned for {facts.send_local}, outside their business hours.",
                "Approve without --at to send at the next good moment in their time zone.",
            )
        )
    if facts.cap is not None and facts.unanswered >= facts.cap:
        found.append(
            _error(
                "over-cap",
                f"{facts.unanswered} note(s) on this thread are already unanswered; the playbook allows "
                f"{facts.cap}.",
                "Give them room: skip this touch, or move the opportunity to cold with `followup stage`.",
            )
        )
    if (
        facts.kind is TouchKind.FEEDBACK
        and facts.days_after_outcome is not None
        and facts.days_after_outcome < 1
    ):
        found.append(
            _warning(
                "feedback-too-soon",
                "A feedback request on the day of the decision reads as a reaction to it.",
                "Send it one or two business days after the outcome.",
            )
        )
    return found


def _error(code: str, message: str, hint: str) -> Finding:
    return Finding(Severity.ERROR, code, message, hint)


def _warning(code: str, message: str, hint: str) -> Finding:
    return Finding(Severity.WARNING, code, message, hint)
