"""Syncing the mailbox (INBOX and Sent) and importing mail files, through the one reading pipeline.

Per folder the sync keeps UIDVALIDITY, the highest UID read and, where the server offers CONDSTORE,
HIGHESTMODSEQ: a folder where none changed costs one EXAMINE. A changed UIDVALIDITY means the server
renumbered the folder: it is read again over the window, and Message-IDs already read are skipped, so
nothing is duplicated. The state is committed after each batch, so a dropped connection resumes there.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from followup.domain.inbound import HEADER_FIELDS, FolderState
from followup.errors import ConfigError, MailServerError
from followup.ports import FolderRole, MailFile, MailFiles, MailReader, MailStore
from followup.services.context import Context
from followup.services.reading import CONTENT_LIMIT, Invitations, Reading
from followup.services.readreport import Incoming, ReadReport
from followup.services.tracking import Tracker

log = logging.getLogger(__name__)

BATCH = 500  # headers per FETCH, and messages per committed step
IDLE_RENEW_S = 25 * 60.0  # servers may drop an IDLE after 30 minutes (RFC 2177): renew before 29
BACKOFF_S = (1.0, 2.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
Progress = Callable[[str, int, int], object]  # (what, done, total)


@dataclass(frozen=True)
class SyncPlan:
    """What one folder needs: the UIDs to read, and the state to store once they are read."""

    folder: str
    uids: list[int]
    state: FolderState
    first: bool  # the first sync of this folder (or after UIDVALIDITY changed)


class MailSync:
    def __init__(
        self,
        context: Context,
        store: MailStore,
        tracker: Tracker,
        reading: Reading,
        *,
        window_days: int = 180,
    ) -> None:
        self.ctx, self.store, self.tracker, self.reading = context, store, tracker, reading
        self.window_days = window_days

    # IMAP -----------------------------------------------------------------------------------------

    def sync(self, reader: MailReader, *, progress: Progress | None = None) -> ReadReport:
        """Read what is new in INBOX and Sent once."""
        report = ReadReport()
        self.reading.forget()
        with self.ctx.repo.write_run(), self.tracker.deferred():
            for role in (FolderRole.INBOX, FolderRole.SENT):
                try:
                    folder = reader.folder(role)
                except ConfigError as exc:
                    if role is FolderRole.INBOX:
                        raise
                    report.skipped.append(f"Sent folder: {exc.message} (mail you send elsewhere is not read)")
                    continue
                plan = self.plan(reader, folder)
                if plan is not None:
                    self._read_folder(reader, plan, role is FolderRole.SENT, report, progress)
        self.reading.finish(report)
        return report

    def plan(self, reader: MailReader, folder: str) -> SyncPlan | None:
        """None when nothing changed since the last sync (one EXAMINE, no search)."""
        status = reader.examine(folder)
        known = self.store.folder_state(reader.account, folder)
        state = FolderState(status.uidvalidity, 0, status.uidnext, status.highest_modseq)
        if known is not None and known.uidvalidity == status.uidvalidity:
            unchanged_modseq = (
                status.highest_modseq is not None and known.highest_modseq == status.highest_modseq
            )
            no_new_uid = status.uidnext is not None and status.uidnext <= known.highest_uid + 1
            if unchanged_modseq or no_new_uid:
                if not unchanged_modseq and status.highest_modseq != known.highest_modseq:
                    # flags changed, nothing new: remember the MODSEQ so the next check stays cheap
                    state = dataclasses.replace(
                        known, uidnext=status.uidnext, highest_modseq=status.highest_modseq
                    )
                    self._save(reader, folder, state)
                return None
            # the window again: mail moved in with an old date is as old as it says
            uids = reader.uids(folder, above=known.highest_uid, since=self._window_start())
            return SyncPlan(folder, uids, FolderState(status.uidvalidity, known.highest_uid, status.uidnext,
                                                      status.highest_modseq), first=False)  # fmt: skip
        if known is not None:
            log.info("UIDVALIDITY of %s changed: reading it again and matching by Message-ID", folder)
        return SyncPlan(folder, reader.uids(folder, above=0, since=self._window_start()), state, first=True)

    def _window_start(self) -> date:
        return self.ctx.local_now().date() - timedelta(days=self.window_days)

    def _read_folder(
        self, reader: MailReader, plan: SyncPlan, sent: bool, report: ReadReport, progress: Progress | None
    ) -> None:
        folder, done = plan.folder, 0
        highest = plan.state.highest_uid
        for start in range(0, len(plan.uids), BATCH):
            batch = plan.uids[start : start + BATCH]
            fetched = reader.headers(folder, batch, HEADER_FIELDS)
            # the server prepares the next batch while this one is read
            reader.headers_ahead(folder, plan.uids[start + BATCH : start + 2 * BATCH], HEADER_FIELDS)
            uids = [uid for uid, _ in fetched]
            items = [Incoming(f"{folder} UID {uid}", data, sent=sent) for uid, data in fetched]

            def fetch(positions: Sequence[int], uids: list[int] = uids) -> dict[int, bytes]:
                wanted = [uids[p] for p in positions]
                found = reader.contents(folder, wanted, limit=CONTENT_LIMIT)
                return {p: found[uids[p]] for p in positions if uids[p] in found}

            report.add(self.reading.read(items, fetch))
            done += len(batch)
            last = start + BATCH >= len(plan.uids)
            # every UID below UIDNEXT existed at EXAMINE and was searched: none of them is still to read
            highest = max([highest, *batch, (plan.state.uidnext or 1) - 1 if last else 0])
            # MODSEQ only once everything is read: a sync cut short must not look finished
            modseq = plan.state.highest_modseq if last else None
            self._save(
                reader, folder, FolderState(plan.state.uidvalidity, highest, plan.state.uidnext, modseq)
            )
            if progress is not None:
                progress(folder, done, len(plan.uids))
        if not plan.uids:
            highest = max(plan.state.highest_uid, (plan.state.uidnext or 1) - 1)
            self._save(reader, folder, dataclasses.replace(plan.state, highest_uid=highest))

    def _save(self, reader: MailReader, folder: str, state: FolderState) -> None:
        self.store.save_folder_state(reader.account, folder, state, now=self.ctx.now())

    def watch(
        self,
        connect: Callable[[], MailReader],
        *,
        on_report: Callable[[ReadReport], object],
        on_problem: Callable[[str], object],
        renew_s: float = IDLE_RENEW_S,
        sleep: Callable[[float], object] = time.sleep,
        rounds: int | None = None,
    ) -> None:
        """Sync, then wait on INBOX with IDLE and sync again when it changes (or every `renew_s`); a
        dropped connection reconnects with growing pauses. Runs until interrupted (or `rounds` syncs)."""
        failures, done = 0, 0
        reader: MailReader | None = None
        while rounds is None or done < rounds:
            try:
                if reader is None:
                    reader = connect()
                on_report(self.sync(reader))
                done, failures = done + 1, 0
                if rounds is not None and done >= rounds:
                    break
                reader.wait(reader.folder(FolderRole.INBOX), renew_s)
            except MailServerError as exc:
                pause = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
                on_problem(f"{exc.message} — trying again in {pause:.0f} s")
                if reader is not None:
                    reader.close()
                    reader = None
                sleep(pause)
        if reader is not None:
            reader.close()

    # Files ----------------------------------------------------------------------------------------

    def import_files(
        self, files: MailFiles, kind: str, path: Path, *, progress: Progress | None = None
    ) -> ReadReport:
        """Read an mbox, a Maildir or .eml files through the same pipeline as the sync."""
        total = files.size(kind, path)
        report = ReadReport()
        self.reading.forget()
        with self.ctx.repo.write_run(), self.tracker.deferred():
            for batch in _batches(files.messages(kind, path)):
                # like the sync: headers first, the body only of a message that matched
                items = [Incoming(f.where, f.data) for f in batch]

                def bodies(positions: Sequence[int], batch: list[MailFile] = batch) -> dict[int, bytes]:
                    return {p: batch[p].data[:CONTENT_LIMIT] for p in positions}

                report.add(self.reading.read(items, bodies))
                if progress is not None:
                    progress(str(path), batch[-1].position, total)
        self.reading.finish(report)
        return report

    def import_ics(self, data: bytes, source: str, invitations: Invitations) -> ReadReport:
        """Invitations from a calendar file, through the same code as a mail's text/calendar part."""
        report = ReadReport()
        self.reading.forget()
        found, problems = invitations(data, source)
        report.skipped += problems
        report.read = len(found)
        with self.tracker.deferred():
            for invitation in found:
                self.reading.invitation_reading.apply(invitation, None, report)
        return report


def _batches(messages: Iterator[MailFile]) -> Iterator[list[MailFile]]:
    batch: list[MailFile] = []
    for message in messages:
        batch.append(message)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
