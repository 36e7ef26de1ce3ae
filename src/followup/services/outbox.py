"""The outbox: send what is approved and due, never twice, never losing a note (DESIGN §5)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup.domain.message import as_bytes
from followup.domain.model import Direction, Interaction, InteractionKind
from followup.domain.outbox import OutboxMessage, OutboxState, backoff
from followup.errors import (
    ConfigError,
    ConflictError,
    DeliveryError,
    FollowupError,
    MailServerError,
    NotFoundError,
)
from followup.ports import FolderRole

if TYPE_CHECKING:
    from followup.ports import Mailbox, MailSender, MailSession, OutboxStore
    from followup.services.context import Context
    from followup.services.tracking import Tracker

Progress = Callable[[int, int], object]  # (done, total)


class _Records:
    """What is left to record of sent notes: each a generator of steps, made one step at a time while
    the server answers a command (`step`), or all at once (`finish`). With nothing left to record, a
    step does spare work instead (preparing the next note). A step is one piece of work, never two:
    each wait for the server gets its share."""

    def __init__(self) -> None:
        self._left: list[Iterator[None]] = []
        self._spare: list[Callable[[], None]] = []

    def add(self, steps: Iterator[None]) -> None:
        self._left.append(steps)

    def spare(self, work: Callable[[], None]) -> None:
        self._spare.append(work)

    def step(self) -> None:
        if self._left:
            try:
                next(self._left[0])
            except StopIteration:
                self._left.pop(0)
        elif self._spare:
            self._spare.pop(0)()

    def finish(self) -> None:
        while self._left:
            for _ in self._left.pop(0):
                pass


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: list[OutboxMessage] = field(default_factory=list)
    retrying: list[OutboxMessage] = field(default_factory=list)  # a temporary failure; tried again later
    failed: list[OutboxMessage] = field(default_factory=list)  # refused for good, or out of attempts
    uncertain: list[OutboxMessage] = field(default_factory=list)  # no proof either way; the user decides
    recovered: list[OutboxMessage] = field(default_factory=list)  # left in `sending`, found in Sent
    waiting: int = 0  # approved, but their send time has not come
    server_error: MailServerError | None = None
    warnings: list[str] = field(default_factory=list)


class Outbox:
    def __init__(
        self,
        context: Context,
        store: OutboxStore,
        tracker: Tracker,
        *,
        sender: Callable[[], MailSender],
        mailbox: Callable[[], Mailbox | None],
        retries: int = 5,
        save_sent_copy: bool = False,
    ) -> None:
        self.ctx, self.store, self.tracker = context, store, tracker
        self._sender, self._mailbox = sender, mailbox
        self.retries, self.save_sent_copy = max(1, retries), save_sent_copy

    # Looking -------------------------------------------------------------------------------------

    def messages(self, states: Sequence[OutboxState] = ()) -> list[OutboxMessage]:
        return self.store.in_states(states or list(OutboxState))

    def message(self, reference: str) -> OutboxMessage:
        """The note of a touch (by the touch's id, as every listing shows it)."""
        from followup.domain.references import as_id

        number = as_id(reference)
        found = self.store.of_touch(number) if number is not None else None
        if found is None:
            raise NotFoundError(
                f"There is no note for touch {reference!r} in the outbox.",
                hint="See `followup outbox`; write one with `followup draft TOUCH`.",
            )
        return found

    # Sending -------------------------------------------------------------------------------------

    def send(self, *, ignore_send_time: bool = False, progress: Progress | None = None) -> SendReport:
        """Settle what a crash left in `sending`, then deliver every approved note that is due over
        one connection. Only one sender works on a database at a time."""
        report = SendReport()
        with self.store.sender_lock():
            self._recover(report)
            now = self.ctx.now()
            batch = self.store.ready(now, ignore_send_time=ignore_send_time)
            if not ignore_send_time:
                report.waiting = self.store.count_ready(now) - len(batch)
            if batch:
                self._deliver(batch, report, progress)
        return report

    def _deliver(self, batch: list[OutboxMessage], report: SendReport, progress: Progress | None) -> None:
        sender = self._sender()
        records = _Records()
        done = 0
        try:
            # one re-planning for the whole batch, after it (noted in each note's transaction)
            with self.ctx.repo.write_run(), self.tracker.deferred(), sender.session() as session:
                composed: dict[int, bytes] = {}  # the next note's bytes, made while the server answers

                def compose(position: int) -> None:
                    composed[position] = as_bytes(batch[position])

                try:
                    for position, message in enumerate(batch):
                        if position + 1 < len(batch):
                            records.spare(functools.partial(compose, position + 1))
                        raw = composed.pop(position, None) or as_bytes(message)
                        self._send_one(session, message, raw, report, records)
                        done += 1
                        if progress is not None:
                            progress(done, len(batch))
                finally:
                    records.finish()
        except MailServerError as exc:
            report.server_error = exc
            for message in batch[done:]:
                current = self.store.get(message.id or 0)
                if current is not None and current.state is OutboxState.APPROVED:
                    self._failed_attempt(current, exc.message, permanent=False, report=report)
        if self.save_sent_copy and report.sent:
            self._copy_to_sent(report)

    def _send_one(
        self, session: MailSession, message: OutboxMessage, raw: bytes, report: SendReport, records: _Records
    ) -> None:
        """Send one note. Once the server took it, its record is left in `records`, to be made while the
        next note's envelope is on its way."""
        sending = dataclasses.replace(
            message, state=OutboxState.SENDING, attempts=message.attempts + 1, updated_at=self.ctx.now()
        )
        committed = False

        def before_content() -> None:
            nonlocal committed
            records.finish()  # the last note's record is committed before this note's state
            self.store.save_delivery(sending)  # on disk before the server can accept the content
            committed = True

        try:
            session.send(
                raw,
                sender=message.from_address,
                recipients=[message.to_address],
                before_content=before_content,
                meanwhile=records.step,
            )
        except DeliveryError as exc:
            records.finish()
            # the server answered: it did not take the message, whatever the state says
            self._failed_attempt(sending if committed else message, exc.reply, exc.permanent, report)
            return
        except MailServerError as exc:
            records.finish()
            if committed and exc.content_sent:
                # the content went out and the answer never came: it may or may not have arrived
                stuck = dataclasses.replace(sending, last_error=exc.message)
                self.store.save_delivery(stuck)
                self._settle_stuck(stuck, report)
            elif committed:  # broken before the content: nothing was delivered
                self._failed_attempt(sending, exc.message, permanent=False, report=report)
            raise
        records.add(self._record_sent(sending, report))

    def _mark_sent(self, message: OutboxMessage, report: SendReport) -> None:
        for _ in self._record_sent(message, report):
            pass

    def _record_sent(self, message: OutboxMessage, report: SendReport) -> Iterator[None]:
        """`sent` and the ledger entry in one transaction, in two steps: the state and the ledger rows,
        then the stage, the note to re-plan and the commit."""
        now = self.ctx.now()
        sent = dataclasses.replace(
            message,
            state=OutboxState.SENT,
            sent_at=now,
            updated_at=now,
            last_error=None,
            next_attempt_at=None,
        )
        with self.ctx.repo.transaction():  # the state and the ledger entry together
            self.store.save_delivery(sent)
            yield from self.tracker.append_in_steps(self._entry(sent))
        report.sent.append(sent)

    def _entry(self, message: OutboxMessage) -> Interaction:
        return Interaction(
            kind=InteractionKind.EMAIL,
            occurred_at=message.sent_at or self.ctx.now(),
            direction=Direction.OUT,
            opportunity_id=message.opportunity_id,
            person_ids=(message.person_id,) if message.person_id is not None else (),
            subject=message.subject,
            message_id=message.message_id,
            in_reply_to=message.in_reply_to,
            references=message.references,
        )

    def _failed_attempt(
        self, message: OutboxMessage, error: str, permanent: bool, report: SendReport
    ) -> None:
        now = self.ctx.now()
        attempts = max(message.attempts, 1)
        if permanent or attempts >= self.retries:
            failed = dataclasses.replace(
                message, state=OutboxState.FAILED, attempts=attempts, last_error=error, updated_at=now
            )
            self.store.save_delivery(failed)
            report.failed.append(failed)
            return
        retry = dataclasses.replace(
            message,
            state=OutboxState.APPROVED,
            attempts=attempts,
            last_error=error,
            next_attempt_at=now + backoff(attempts),
            updated_at=now,
        )
        self.store.save_delivery(retry)
        report.retrying.append(retry)

    # After a crash -------------------------------------------------------------------------------

    def _recover(self, report: SendReport) -> None:
        for message in self.store.in_states([OutboxState.SENDING]):
            self._settle_stuck(message, report)

    def _settle_stuck(self, message: OutboxMessage, report: SendReport) -> None:
        """A note left in `sending`: sent if the Sent folder has its Message-ID, else uncertain."""
        found = False
        try:
            mailbox = self._mailbox()
            if mailbox is not None and message.message_id:
                try:
                    found = mailbox.contains(FolderRole.SENT, message.message_id)
                finally:
                    mailbox.close()
        except FollowupError as exc:  # a server or config problem must not leave it in `sending`
            report.warnings.append(f"Could not look in the Sent folder: {exc.message}")
        if found:
            self._mark_sent(message, report)
            report.recovered.append(report.sent.pop())
            return
        uncertain = dataclasses.replace(message, state=OutboxState.UNCERTAIN, updated_at=self.ctx.now())
        self.store.save_delivery(uncertain)
        report.uncertain.append(uncertain)

    def resend(self, reference: str) -> OutboxMessage:
        """The user's choice for an uncertain or failed note: send it again (same Message-ID, so a
        mail client that got both shows one)."""
        message = self.message(reference)
        if message.state not in {OutboxState.UNCERTAIN, OutboxState.FAILED}:
            raise ConflictError(
                f"The note for touch {reference} is {message.state}, not uncertain or failed.",
                hint="Only an uncertain or failed note is sent again by hand.",
            )
        retry = dataclasses.replace(
            message, state=OutboxState.APPROVED, attempts=0, next_attempt_at=None, updated_at=self.ctx.now()
        )
        self.store.save_delivery(retry)
        return retry

    def mark_sent(self, reference: str) -> OutboxMessage:
        """The user found the note in their Sent folder: record it as sent, with its ledger entry."""
        message = self.message(reference)
        if message.state is not OutboxState.UNCERTAIN:
            raise ConflictError(
                f"The note for touch {reference} is {message.state}, not uncertain.",
                hint="Only an uncertain note is marked sent by hand.",
            )
        report = SendReport()
        self._mark_sent(message, report)
        return report.sent[0]

    # The user's own mail client -------------------------------------------------------------------

    def to_drafts_folder(self, *, progress: Progress | None = None) -> SendReport:
        """Put every approved note (due or not) into the Drafts folder, to send from the user's client."""
        report = SendReport()
        with self.store.sender_lock():
            batch = self.store.ready(self.ctx.now(), ignore_send_time=True)
            if not batch:
                return report
            mailbox = self._require_mailbox()
            try:
                for done, message in enumerate(batch, 1):
                    mailbox.append(
                        FolderRole.DRAFTS,
                        as_bytes(message),
                        flags=["\\Draft"],
                        when=message.date or self.ctx.now(),
                    )
                    placed = dataclasses.replace(
                        message, state=OutboxState.DRAFTS_FOLDER, updated_at=self.ctx.now()
                    )
                    self.store.save_delivery(placed)
                    report.sent.append(placed)
                    if progress is not None:
                        progress(done, len(batch))
            finally:
                mailbox.close()
        return report

    def _copy_to_sent(self, report: SendReport) -> None:
        try:
            mailbox = self._require_mailbox()
        except FollowupError as exc:  # the notes are sent; a missing copy is only worth a warning
            report.warnings.append(f"No copy was saved to the Sent folder: {exc.message}")
            return
        try:
            for message in report.sent:
                mailbox.append(
                    FolderRole.SENT,
                    as_bytes(message),
                    flags=["\\Seen"],
                    when=message.sent_at or self.ctx.now(),
                )
        except MailServerError as exc:
            report.warnings.append(f"No copy was saved to the Sent folder: {exc.message}")
        finally:
            mailbox.close()

    def _require_mailbox(self) -> Mailbox:
        mailbox = self._mailbox()
        if mailbox is None:
            raise ConfigError(
                "No mailbox (IMAP) server is set up.",
                hint="Run `followup mail setup --imap-host HOST`, or set FOLLOWUP_IMAP_HOST.",
            )
        return mailbox
