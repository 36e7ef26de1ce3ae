"""Drafting: the note for a touch, written from a template, checked, edited and approved."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING

from followup.domain import etiquette
from followup.domain.agenda import TouchRecord
from followup.domain.calendar import SendWindow
from followup.domain.drafts import Draft, DraftFacts, Sender, context, from_text, thread_headers
from followup.domain.model import Direction, InteractionKind
from followup.domain.outbox import EDITABLE, OutboxMessage, OutboxState, message_id
from followup.domain.scheduling import is_heard
from followup.domain.scheduling import zone as zone_of
from followup.domain.touches import Channel, TouchKind
from followup.errors import ConfigError, ConflictError, InvalidInputError, TemplateError
from followup.services.notefacts import NoteFacts

if TYPE_CHECKING:
    from followup.ports import OutboxStore, Templates
    from followup.services.planning import Planning

_CAPPED = frozenset({TouchKind.CHECK_IN, TouchKind.POST_INTERVIEW})


@dataclass(frozen=True)
class DraftView:
    """What `followup draft` shows: the note, where it stands, and what the etiquette check found."""

    record: TouchRecord
    draft: Draft | None  # None when the template could not be rendered (see `problem`)
    message: OutboxMessage | None  # the stored note, once saved, edited or approved
    findings: tuple[etiquette.Finding, ...]
    send_after: datetime | None
    problem: TemplateError | None = None

    @property
    def state(self) -> str:
        return self.message.state.value if self.message else "new"


class Drafting:
    def __init__(
        self,
        planning: Planning,
        store: OutboxStore,
        templates: Templates,
        me: Sender,
        *,
        token: Callable[[], str] = lambda: secrets.token_hex(12),
    ) -> None:
        self.planning, self.store, self.templates, self.me = planning, store, templates, me
        self.facts = NoteFacts(planning, me)
        self.ctx = planning.ctx
        self.token = token

    # Showing -------------------------------------------------------------------------------------

    def draft(self, reference: str) -> DraftView:
        record = self.planning.touch(reference)
        return self._view(record, self.store.of_touch(record.id))

    def _view(self, record: TouchRecord, stored: OutboxMessage | None) -> DraftView:
        facts = self.facts.facts(record)
        problem: TemplateError | None = None
        draft: Draft | None
        try:
            draft = self._render(record, facts, stored)
        except TemplateError as exc:
            draft, problem = None, exc
        send_after = stored.send_after if stored and stored.send_after else self._send_time(record)
        findings = (
            tuple(etiquette.check(draft, self._circumstances(record, facts, send_after))) if draft else ()
        )
        return DraftView(record, draft, stored, findings, send_after, problem)

    def _render(self, record: TouchRecord, facts: DraftFacts, stored: OutboxMessage | None) -> Draft:
        person = facts.person
        to_name = person.name if person else ""
        to_address = person.primary_email if person else None
        in_reply_to, references = thread_headers(facts.thread)
        if stored is not None:
            subject, body = stored.subject, stored.body
            to_name, to_address = stored.to_name, stored.to_address or to_address
        else:
            subject, body = self.templates.render(facts.template, context(facts, now=self.ctx.now()))
        return Draft(
            subject=subject,
            body=body,
            to_name=to_name,
            to_address=to_address,
            template=facts.template,
            channel=record.touch.channel,
            in_reply_to=in_reply_to,
            references=references,
        )

    def first_lines(self, records: Iterable[TouchRecord], *, render: int = 0) -> dict[int, str]:
        """The first line of each touch's note, for the agenda: stored notes always, and up to
        `render` notes written from their templates; notes that cannot be written are left out."""
        records = list(records)
        stored = self.store.of_touches(r.id for r in records)
        lines: dict[int, str] = {}
        for record in records:
            message = stored.get(record.id)
            if message is not None:
                first = Draft(message.subject, message.body, "", None, "").first_line
                lines[record.id] = f"{message.state.value}: {first}"
            elif render > 0 and record.touch.channel is not Channel.NONE:
                render -= 1
                try:
                    draft = self._render(record, self.facts.facts(record), None)
                except TemplateError:
                    continue
                lines[record.id] = draft.first_line
        return lines

    def stored(self, touch_ids: Iterable[int]) -> dict[int, OutboxMessage]:
        return self.store.of_touches(touch_ids)

    # Changing ------------------------------------------------------------------------------------

    def edit(self, reference: str, text: str) -> DraftView:
        """Store the user's words (the editable text of a draft); an approved note goes back to draft."""
        subject, body = from_text(text)
        record = self._open(reference)
        view = self._view(record, self.store.of_touch(record.id))
        message = self._message(record, view, subject=subject, body=body)
        message = dataclasses.replace(
            message, state=OutboxState.DRAFT, edited=True, message_id=None, date=None, send_after=None
        )
        self.store.save(message)
        return self.draft(reference)

    def discard(self, reference: str) -> None:
        """Forget the stored note, so the template writes it anew."""
        record = self.planning.touch(reference)
        stored = self.store.of_touch(record.id)
        if stored is None:
            return
        self._check_editable(stored)
        if stored.id is not None:
            self.store.delete(stored.id)

    def approve(self, reference: str, *, force: bool = False, at: str | None = None) -> DraftView:
        """Fix the note's Message-ID and Date and queue it for its send time."""
        record = self._open(reference)
        if record.touch.channel is not Channel.EMAIL:
            what = "voicemail script" if record.touch.channel is Channel.VOICEMAIL else "proposal"
            raise ConflictError(
                f"Touch {record.id} is a {what}, not an e-mail.",
                hint=f"Do it yourself, then `followup done {record.id}`.",
            )
        view = self._view(record, self.store.of_touch(record.id))
        draft = view.draft
        if draft is None:
            raise view.problem or TemplateError(f"Touch {record.id} has no note to approve.")
        if view.message is not None:
            self._check_editable(view.message)
        send_after = self._send_time(record, at=at)
        if at is not None:
            facts = self.facts.facts(record)
            view = dataclasses.replace(
                view,
                findings=tuple(etiquette.check(draft, self._circumstances(record, facts, send_after))),
            )
        errors = [f for f in view.findings if f.severity is etiquette.Severity.ERROR]
        if errors and not force:
            raise InvalidInputError(
                f"Touch {record.id}'s note has {len(errors)} problem(s): "
                + " ".join(f.message for f in errors),
                hint=f"Fix it with `followup draft {record.id} --edit`, or approve anyway with --force.",
            )
        address = self.me.address
        if not address:
            raise ConfigError(
                "Your own address is not set, so the note has no sender.",
                hint='Run `followup mail setup`, or set FOLLOWUP_FROM="Your Name <you@example.com>".',
            )
        now = self.ctx.now()
        message = self._message(record, view, subject=draft.subject, body=draft.body)
        message = dataclasses.replace(
            message,
            state=OutboxState.APPROVED,
            message_id=message.message_id or message_id(self.token(), address),
            date=now,
            send_after=send_after,
            attempts=0,
            next_attempt_at=None,
            last_error=None,
        )
        self.store.save(message)
        return self.draft(str(record.id))

    def _message(self, record: TouchRecord, view: DraftView, *, subject: str, body: str) -> OutboxMessage:
        now = self.ctx.now()
        draft = view.draft
        stored = view.message
        if stored is not None:
            self._check_editable(stored)
        person = record.touch.person_id
        to_address = (draft.to_address if draft else None) or (stored.to_address if stored else "")
        base = stored or OutboxMessage(
            touch_id=record.id,
            kind=record.touch.kind.value,
            state=OutboxState.DRAFT,
            subject=subject,
            body=body,
            from_name="",
            from_address="",
            to_name=draft.to_name if draft else "",
            to_address=to_address or "",
            person_id=person,
            opportunity_id=record.touch.opportunity_id,
            created_at=now,
        )
        return dataclasses.replace(
            base,
            subject=subject,
            body=body,
            from_name=self.me.name,
            from_address=self.me.address,
            to_address=to_address or "",
            in_reply_to=draft.in_reply_to if draft else base.in_reply_to,
            references=draft.references if draft else base.references,
            updated_at=now,
        )

    def _open(self, reference: str) -> TouchRecord:
        record = self.planning.touch(reference)
        if not record.is_open:
            raise ConflictError(
                f"Touch {record.id} is {record.state}; there is no note to write for it.",
                hint="See `followup today` for what is still open.",
            )
        return record

    @staticmethod
    def _check_editable(message: OutboxMessage) -> None:
        if message.state not in EDITABLE:
            raise ConflictError(
                f"The note is {message.state}; it can no longer be changed.",
                hint="See `followup outbox` for what happens next.",
            )

    def _send_time(self, record: TouchRecord, *, at: str | None = None) -> datetime:
        touch = record.touch
        rule = self.planning.playbook.rules.get(touch.kind)
        window = rule.hours if rule else SendWindow()
        if at is not None:
            moment = self.ctx.when(at, prefer="future")
            if moment < self.ctx.now():
                raise InvalidInputError(
                    f"{at!r} is in the past.", hint="Give a later time, e.g. tomorrow 9:00."
                )
            return moment
        now = self.ctx.now()
        earliest = max(now, record.due_from, touch.send_at)
        return self.planning.calendar.next_send_time(
            earliest, self.planning.place_of(touch.person_id), window
        )

    def _circumstances(
        self, record: TouchRecord, facts: DraftFacts, send_after: datetime
    ) -> etiquette.Circumstances:
        touch = record.touch
        rule = self.planning.playbook.rules.get(touch.kind)
        place = self.planning.place_of(touch.person_id)
        window = rule.hours if rule else SendWindow()
        calendar = self.planning.calendar
        day = calendar.local_day(send_after, place)
        start, end = calendar.window(day, place, window)
        in_window = calendar.is_business_day(day, place) and start <= send_after <= end
        local = send_after.astimezone(zone_of(place.zone))
        unanswered = 0
        if touch.kind in _CAPPED and facts.person is not None:
            for entry in self.ctx.repo.ledger_of_person(touch.person_id or 0):
                if entry.opportunity_id != touch.opportunity_id:
                    continue
                if is_heard(entry):
                    unanswered = 0
                elif entry.kind is InteractionKind.EMAIL and entry.direction is Direction.OUT:
                    unanswered += entry.occurred_at > touch.trigger_at
        days_after = None
        if touch.kind is TouchKind.FEEDBACK:
            days_after = calendar.business_days_between(
                calendar.local_day(touch.trigger_at, place), day, place
            )
        return etiquette.Circumstances(
            kind=touch.kind,
            recipient=facts.person.name if facts.person else "",
            urgent=touch.urgent,
            in_window=in_window,
            send_local=f"{local:%a %d %b %H:%M} their time",
            unanswered=unanswered,
            cap=rule.max_unanswered if rule and touch.kind in _CAPPED else None,
            days_after_outcome=days_after,
        )


def sender_from_settings(name: str, from_: str, signature: str, phone: str, links: str) -> Sender:
    """The user as a Sender: the name setting, else the display name of `from`."""
    display, address = parseaddr(from_)
    return Sender(
        name=name or display,
        address=address,
        signature=signature,
        phone=phone,
        links=tuple(links.split()),
    )
