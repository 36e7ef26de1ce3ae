"""Reading mail (DESIGN §5): each message is matched, classified and turned into ledger entries,
interviews and suggestions. The IMAP sync and the file importers feed the same `Reading.read`.

One message is one unit: it is either processed or skipped with a reason, and a failure never stops
the rest. Everything is keyed by Message-ID, so reading the same messages twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from followup.domain.classify import classify, needs_content, parse_content
from followup.domain.inbound import (
    Classification,
    Content,
    Envelope,
    Invitation,
    MailKind,
    parse_envelope,
)
from followup.domain.mailtext import snippet
from followup.domain.matching import FREE_MAIL, Match, MatchIndex, registrable
from followup.domain.model import (
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Person,
)
from followup.domain.signals import job_related
from followup.domain.suggestions import Suggestion, SuggestionKind
from followup.domain.touches import TouchStatus
from followup.errors import FollowupError
from followup.ports import MailStore, TouchStore
from followup.services.context import Context
from followup.services.invitations import InvitationReading
from followup.services.readreport import EFFECTS, Incoming, Outcome, ReadReport
from followup.services.recording import saved_id
from followup.services.tracking import Tracker

log = logging.getLogger(__name__)

CONTENT_LIMIT = 262_144  # bytes of a message fetched for its text: big attachments stay on the server
SNIPPET_CHARS = 300
Invitations = Callable[[bytes, str], tuple[list[Invitation], list[str]]]


@dataclass(frozen=True)
class _Seen:
    """One message after its headers were read and matched."""

    position: int  # in the batch
    item: Incoming
    envelope: Envelope
    match: Match | None
    outgoing: bool
    job: str | None  # why an unmatched message looks job-related


class Reading:
    def __init__(
        self,
        context: Context,
        store: MailStore,
        touches: TouchStore,
        tracker: Tracker,
        *,
        own_addresses: Iterable[str],
        invitations: Invitations,
        trace: bool = False,
    ) -> None:
        self.ctx, self.store, self.touches, self.tracker = context, store, touches, tracker
        self._watched: set[int] = set()
        self.own = frozenset(a.casefold() for a in own_addresses if a)
        self.invitations = invitations
        self.trace = trace
        self._index: MatchIndex | None = None
        self.invitation_reading = InvitationReading(
            context,
            tracker,
            index=self.index,
            own=self.own,
            invitations=invitations,
            store_suggestion=self._store_suggestion,
            new_person=self._new_person,
            names=self._names,
            when=self._when,
        )

    # The pipeline ---------------------------------------------------------------------------------

    def read(
        self, items: Sequence[Incoming], fetch: Callable[[Sequence[int]], Mapping[int, bytes]] | None = None
    ) -> ReadReport:
        """Read a batch: headers first; then the content of those that matched (`fetch(positions)` gives
        it when the items carry none); then one transaction per message."""
        report = ReadReport(read=len(items))
        seen: list[_Seen] = []
        envelopes: list[tuple[int, Incoming, Envelope]] = []
        for position, item in enumerate(items):
            try:
                envelopes.append((position, item, parse_envelope(item.headers)))
            except Exception as exc:
                report.skipped.append(f"{item.where}: unreadable headers ({type(exc).__name__}: {exc})")
                if self.trace:
                    report.outcomes.append(Outcome(item.where, "", "", str(exc), "skipped"))
        known = self.store.known_message_ids([e.message_id for _, _, e in envelopes])
        threads = self._threads(e for _, _, e in envelopes if e.message_id not in known)
        for position, item, envelope in envelopes:
            if envelope.message_id in known:
                report.known += 1
                if self.trace:
                    report.outcomes.append(Outcome(item.where, envelope.message_id, "", "", "known"))
                continue
            known.add(envelope.message_id)  # a second copy in the same batch (INBOX and Sent, say)
            seen.append(self._match(position, item, envelope, threads))
        wanted = [
            i
            for i, s in enumerate(seen)
            if s.item.content is None and (s.match or s.job or needs_content(s.envelope))
        ]
        fetched: Mapping[int, bytes] = {}
        if wanted and fetch is not None:
            positions = [seen[i].position for i in wanted]
            by_position = fetch(positions)
            fetched = {i: by_position[p] for i, p in zip(wanted, positions, strict=True) if p in by_position}
        for i, s in enumerate(seen):
            raw = s.item.content if s.item.content is not None else fetched.get(i)
            if raw is None and not (s.match or s.job or s.outgoing or self.trace):
                # nobody's, not about a job, no sign of a bounce: ignored on its headers alone (a trace
                # still classifies it, to say what it was)
                report.ignored += 1
                continue
            before = [getattr(report, name) for name in EFFECTS]
            verdict: Classification | None = None
            try:
                with self.ctx.repo.transaction():  # a message's effects are written whole or not at all
                    verdict = self._one(s, raw, report)
            except FollowupError as exc:
                self.forget()  # the index may hold a person the rollback took back
                report.skipped.append(f"{s.item.where}: {exc.message}")
            except Exception as exc:
                self.forget()
                log.debug("reading %s failed", s.item.where, exc_info=True)
                report.skipped.append(f"{s.item.where}: could not be read ({type(exc).__name__}: {exc})")
            if self.trace:
                after = [getattr(report, name) for name in EFFECTS]
                effect = next(
                    (word for word, b, a in zip(EFFECTS.values(), before, after, strict=True) if a > b),
                    "skipped",
                )
                kind = "outgoing" if s.outgoing else (verdict.kind.value if verdict else "")
                because = verdict.because if verdict else ""
                report.outcomes.append(Outcome(s.item.where, s.envelope.message_id, kind, because, effect))
        return report

    def index(self) -> MatchIndex:
        """People, organisations and open opportunities, read once per run (and kept up to date)."""
        if self._index is None:
            repo, now = self.ctx.repo, self.ctx.now()
            people = [s.person for s in repo.list_people(now=now)]
            opportunities = [(s.opportunity, s.state.stage) for s in repo.list_opportunities(now=now)]
            links = [link for p in people if p.id is not None for link in repo.links_of_person(p.id)]
            self._index = MatchIndex(people, opportunities, links)
        return self._index

    def forget(self) -> None:
        """Drop the index (the records changed outside this reader)."""
        self._index = None

    def _threads(self, envelopes: Iterable[Envelope]) -> dict[str, Interaction]:
        ids = sorted({i for e in envelopes for i in e.thread_ids})
        found: dict[str, Interaction] = {}
        for start in range(0, len(ids), 500):
            for entry in self.ctx.repo.entries_with_message_ids(ids[start : start + 500]):
                if entry.message_id:
                    found.setdefault(entry.message_id, entry)
        return found

    def _match(
        self, position: int, item: Incoming, env: Envelope, threads: Mapping[str, Interaction]
    ) -> _Seen:
        outgoing = item.sent or env.sender in self.own
        index = self.index()
        match: Match | None = None
        for message_id in env.thread_ids:
            entry = threads.get(message_id)
            if entry is not None:
                match = Match("thread", message_id, entry.person_ids, entry.opportunity_id)
                break
        if outgoing:
            people = tuple(dict.fromkeys(p for a in env.recipients if (p := index.person(a)) is not None))
            if people:
                opportunity = match.opportunity_id if match else index.only_open(people)
                match = Match("address", ", ".join(env.recipients), people, opportunity)
            return _Seen(position, item, env, match, True, None)
        sender = index.person(env.sender) or (index.person(env.reply_to) if env.reply_to else None)
        if sender is not None:
            opportunity = match.opportunity_id if match else index.only_open([sender])
            organisation = index.people[sender].organisation
            match = Match(match.how if match else "address", env.sender, (sender,), opportunity, organisation)
        elif match is None and (organisation := index.organisation(env.sender_domain)):
            match = Match(
                "domain", registrable(env.sender_domain), (), index.only_open(organisation=organisation),
                organisation,
            )  # fmt: skip
        job = None if match else job_related(env.subject, env.sender)
        return _Seen(position, item, env, match, False, job)

    # One message ----------------------------------------------------------------------------------

    def _one(self, s: _Seen, raw: bytes | None, report: ReadReport) -> Classification | None:
        content = parse_content(raw, limit=CONTENT_LIMIT) if raw is not None else None
        if content is not None and content.defects:
            log.debug("%s: MIME defects %s", s.item.where, ", ".join(content.defects))
        if s.outgoing:
            self._outgoing(s, content, report)
            return None
        verdict = classify(s.envelope, content, own_addresses=self.own)
        if verdict.kind is MailKind.BOUNCE:
            self._bounce(s, verdict, content, report)
        elif verdict.kind is MailKind.AUTO_REPLY:
            self._auto_reply(s, verdict, content, report)
        elif verdict.kind is MailKind.INVITATION and content is not None:
            self.invitation_reading.read(content, s.item.where, s.match, s.envelope, report)
        elif s.match is None and s.job is None and not verdict.signals:
            report.ignored += 1
        elif verdict.kind is MailKind.BULK or s.match is None:
            self._suggest(s, verdict, content, report, person_id=None)
        else:
            self._human(s, s.match, verdict, content, report)
        return verdict

    def _outgoing(self, s: _Seen, content: Content | None, report: ReadReport) -> None:
        """Mail the user sent from their own client: a thank-you from a phone counts."""
        if s.match is None or not s.match.person_ids:
            report.ignored += 1
            return
        self.tracker.append(self._entry(s, s.match, InteractionKind.EMAIL, Direction.OUT, content))
        report.logged += 1
        report.events.append(f"sent by you to {self._names(s.match.person_ids)}: {s.envelope.subject!r}")

    def _human(
        self, s: _Seen, match: Match, verdict: Classification, content: Content | None, report: ReadReport
    ) -> None:
        if not match.person_ids:
            person = self._new_person(s.envelope.sender_name, s.envelope.sender, match.organisation)
            match = dataclasses.replace(match, person_ids=(person,))
            s = dataclasses.replace(s, match=match)
        self._watch_touches(match)
        self.tracker.append(self._entry(s, match, InteractionKind.EMAIL, Direction.IN, content))
        report.logged += 1
        report.events.append(
            f"reply from {self._names(match.person_ids)} ({match.how} {match.detail}): {s.envelope.subject!r}"
        )
        self._suggest(s, verdict, content, report, person_id=match.person_ids[0], only_signals=True)

    def _auto_reply(self, s: _Seen, verdict: Classification, content: Content | None, r: ReadReport) -> None:
        if s.match is None or not s.match.person_ids:
            r.ignored += 1
            return
        entry = self._entry(s, s.match, InteractionKind.AUTO_REPLY, Direction.IN, content)
        self.tracker.append(dataclasses.replace(entry, returns_on=verdict.returns_on))
        r.auto_replies += 1
        back = f", back on {verdict.returns_on}" if verdict.returns_on else ""
        r.events.append(
            f"out-of-office from {self._names(s.match.person_ids)}{back} ({verdict.because}): "
            "it answers nothing" + ("; pending notes move after the return" if verdict.returns_on else "")
        )

    def _bounce(self, s: _Seen, verdict: Classification, content: Content | None, report: ReadReport) -> None:
        index = self.index()
        failed = {f.address.casefold() for f in verdict.failures}
        people = {pid for a in failed if (pid := index.person(a)) is not None}
        original = content.original_message_id if content else None
        if not people and original:
            entries = self.ctx.repo.entries_with_message_ids([original])
            people = {pid for e in entries for pid in e.person_ids}
        if not people:
            report.ignored += 1
            return
        notes = (
            "; ".join(f"{f.address}: {f.status} {f.diagnostic}".strip() for f in verdict.failures)
            or verdict.because
        )
        for pid in sorted(people):
            person = index.people[pid]
            bad = failed & {e.key for e in person.emails}
            if not bad and (address := person.primary_email):
                bad = {address.casefold()}  # the returned message was ours to them: its address failed
            index.add_person(self.tracker.mark_bad(person, bad))
        opportunity = s.match.opportunity_id if s.match else None
        entry = Interaction(
            kind=InteractionKind.BOUNCE,
            occurred_at=self._when(s.envelope),
            direction=Direction.IN,
            opportunity_id=opportunity,
            person_ids=tuple(sorted(people)),
            subject=s.envelope.subject[:200] or None,
            notes=notes[:500],
            message_id=s.envelope.message_id,
            in_reply_to=s.envelope.in_reply_to,
            references=s.envelope.references,
        )
        self.tracker.append(entry)
        report.bounces += 1
        report.events.append(
            f"bounce: mail to {self._names(people)} did not arrive "
            f"({', '.join(sorted(failed)) or 'address'}; {verdict.because}): "
            "marked bad, find a correct address"
        )

    def _suggest(
        self,
        s: _Seen,
        verdict: Classification,
        content: Content | None,
        report: ReadReport,
        *,
        person_id: int | None,
        only_signals: bool = False,
    ) -> None:
        kinds = [(SuggestionKind(m.signal.value), f"phrase {m.phrase!r}") for m in verdict.signals]
        if not kinds and not only_signals and s.job is not None:
            kinds = [(SuggestionKind.JOB_RELATED, f"looks job-related: {s.job}")]
        if not kinds:
            report.ignored += 1
            return
        match = s.match
        for kind, because in kinds[:1] if kinds[0][0] is SuggestionKind.JOB_RELATED else kinds:
            self._store_suggestion(
                Suggestion(
                    kind=kind,
                    message_id=s.envelope.message_id,
                    occurred_at=self._when(s.envelope),
                    sender=s.envelope.sender,
                    sender_name=s.envelope.sender_name,
                    organisation=match.organisation if match else _organisation_guess(s.envelope),
                    subject=s.envelope.subject[:300],
                    snippet=snippet(content.text, SNIPPET_CHARS) if content else "",
                    because=because,
                    opportunity_id=match.opportunity_id if match else None,
                    person_id=person_id,
                ),
                report,
            )

    def _store_suggestion(self, suggestion: Suggestion, report: ReadReport) -> None:
        stored = self.store.add_suggestion(dataclasses.replace(suggestion, created_at=self.ctx.now()))
        if stored is not None:
            report.suggestions += 1
            ids = [suggestion.opportunity_id] if suggestion.opportunity_id is not None else []
            titles = self.ctx.repo.labels(person_ids=(), opportunity_ids=ids)[1]
            label = titles.get(suggestion.opportunity_id) if suggestion.opportunity_id is not None else None
            report.events.append(f"suggestion {stored}: {suggestion.describe(label)} ({suggestion.because})")

    # Helpers --------------------------------------------------------------------------------------

    def _entry(
        self, s: _Seen, match: Match, kind: InteractionKind, direction: Direction, content: Content | None
    ) -> Interaction:
        env = s.envelope
        return Interaction(
            kind=kind,
            occurred_at=self._when(env),
            direction=direction,
            opportunity_id=match.opportunity_id,
            person_ids=match.person_ids,
            subject=env.subject[:300] or None,
            notes=snippet(content.text, SNIPPET_CHARS) if content else "",
            message_id=env.message_id,
            in_reply_to=env.in_reply_to,
            references=env.references[-20:],
        )

    def _when(self, env: Envelope) -> datetime:
        """When it was written: its Date, never later than now (a wrong clock on their side)."""
        now = self.ctx.now()
        return min(env.date, now) if env.date is not None else now

    def _new_person(self, name: str, address: str, organisation: str | None) -> int:
        name = " ".join(name.replace('"', " ").split())[:120] or address.partition("@")[0]
        person = self.tracker.record_person(
            Person(name=name, emails=(EmailAddress(address.casefold()),), organisation=organisation)
        )
        self.index().add_person(person)
        return saved_id(person.id)

    def _names(self, person_ids: Iterable[int]) -> str:
        people = self.index().people
        return ", ".join(people[p].name for p in person_ids if p in people)

    def _watch_touches(self, match: Match) -> None:
        """Note the pending notes this reply may settle; `finish` reports those it cancelled."""
        records = self.touches.records(
            person_ids=match.person_ids,
            opportunity_ids=[match.opportunity_id] if match.opportunity_id is not None else [],
            open_only=True,
        )
        self._watched |= {r.id for r in records}

    def finish(self, report: ReadReport) -> None:
        """After the plan caught up with what was read: the pending notes that replies cancelled."""
        if not self._watched:
            return
        for record_id in sorted(self._watched):
            record = self.touches.record(record_id)
            if record is None or record.touch.status is not TouchStatus.CANCELLED:
                continue
            touch = record.touch
            who = self.index().people.get(touch.person_id or -1)
            report.cancelled.append(
                f"{touch.kind} to {who.name if who else 'them'} cancelled: {touch.cancel_reason}"
            )
        self._watched = set()


def _organisation_guess(env: Envelope) -> str | None:
    domain = registrable(env.sender_domain)
    if not domain or domain in FREE_MAIL:
        return None
    return domain.split(".")[0].capitalize()


def own_addresses(from_setting: str, imap_user: str) -> list[str]:
    """The user's own addresses: mail from them is outgoing wherever it is found."""
    return [a for a in (parseaddr(from_setting)[1], imap_user) if "@" in a]
