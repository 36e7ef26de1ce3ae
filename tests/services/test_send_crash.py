"""Never twice, never lost: `followup send` killed with SIGKILL at random moments, round after round.

Each round approves a batch of notes (one recipient each, so the server can tell whose DATA it saw),
starts `followup send --now` in a child process, kills it at a random moment, then lets a clean run
finish the work. The server (aiosmtpd in this process) answers each message after a short random
pause, which widens the window between the message's content and the server's reply: the only
window in which a kill may leave a note `uncertain`.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.domain.outbox import OutboxMessage, OutboxState
from followup.services.fields import OpportunityFields, PersonFields
from followup.storage.outbox import SqlOutboxStore
from tests.conftest import NOW, free_port

ROUNDS = 50
BATCH = 4


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    data_started: set[str] = field(default_factory=set)  # recipients whose DATA command arrived
    received: list[tuple[str, str]] = field(default_factory=list)  # (recipient, Message-ID)


class _RecordingSMTP(SMTP):
    log: Log

    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 - aiosmtpd's name
        if self.envelope is not None:
            with self.log.lock:
                self.log.data_started.update(self.envelope.rcpt_tos)
        await super().smtp_DATA(arg)


class _Handler:
    def __init__(self, log: Log) -> None:
        self.log = log

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        headers = BytesHeaderParser().parsebytes(envelope.original_content or b"")
        with self.log.lock:
            for rcpt in envelope.rcpt_tos:
                self.log.received.append((rcpt, str(headers["Message-ID"])))
        await asyncio.sleep(random.uniform(0.0, 0.03))  # noqa: S311 - the accepted-but-unanswered window
        return "250 2.0.0 Ok: queued"


class _Controller(Controller):
    def __init__(self, log: Log, port: int) -> None:
        super().__init__(_Handler(log), hostname="127.0.0.1", port=port)
        self.log = log

    def factory(self) -> SMTP:
        server = _RecordingSMTP(self.handler, **self.SMTP_kwargs)
        server.log = self.log
        return server


@pytest.fixture
def recording_server() -> Iterator[tuple[Log, int]]:
    log, port = Log(), free_port()
    controller = _Controller(log, port)
    controller.start()
    try:
        yield log, port
    finally:
        controller.stop()


def _settings(db: str, port: int) -> Settings:
    return Settings(db=db, tz="UTC", country="US", name="Alex Morgan", from_="Alex <alex@example.org>",
                    smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")  # fmt: skip


def _approve_batch(app: App, store: SqlOutboxStore, round_no: int) -> list[OutboxMessage]:
    batch = []
    for i in range(BATCH):
        person = app.tracker.add_person(
            PersonFields(name=f"Recipient {round_no}-{i}", emails=[f"r{round_no}-{i}@example.com"])
        )
        batch.append(
            store.save(
                OutboxMessage(
                    touch_id=None,
                    kind="check-in",
                    state=OutboxState.APPROVED,
                    subject=f"Round {round_no}, note {i}",
                    body="Hi,\n\nA note.\n",
                    from_name="Alex Morgan",
                    from_address="alex@example.org",
                    to_name=person.person.name,
                    to_address=f"r{round_no}-{i}@example.com",
                    person_id=person.person.id,
                    opportunity_id=1,
                    message_id=f"<crash-{round_no}-{i}@example.org>",
                    date=NOW,
                    send_after=NOW,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        )
    return batch


def _send_command(db: str, port: int) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "FOLLOWUP_DB": db, "FOLLOWUP_SMTP_HOST": "127.0.0.1",
           "FOLLOWUP_SMTP_PORT": str(port), "FOLLOWUP_SMTP_SECURITY": "none",
           "FOLLOWUP_FROM": "Alex Morgan <alex@example.org>", "FOLLOWUP_TZ": "UTC"}  # fmt: skip
    return [sys.executable, "-m", "followup", "send", "--now"], env


def test_a_sender_killed_at_random_moments_never_sends_twice_and_never_loses_a_note(
    recording_server: tuple[Log, int], tmp_path: Path
) -> None:
    log, port = recording_server
    db = str(tmp_path / "crash.sqlite3")
    app = build(_settings(db, port), clock=FixedClock(NOW))
    app.tracker.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    store = SqlOutboxStore(app.db)
    command, env = _send_command(db, port)

    # how long an uninterrupted run takes decides over which span the kills are spread
    _approve_batch(app, store, 0)
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=60)
    span = (time.monotonic() - started) * 1.2
    random.seed(20261126)

    partial_rounds = 0
    uncertain_total = 0
    # at least ROUNDS rounds, and more (up to three times as many) until three kills have landed
    # while a batch was going out: on a loaded machine a run's length varies more than the span
    for round_no in range(1, 3 * ROUNDS + 1):
        if round_no > ROUNDS and partial_rounds >= 3:
            break
        batch = _approve_batch(app, store, round_no)
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.0, span))  # noqa: S311
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        with log.lock:
            sent_by_child = sum(1 for rcpt, _ in log.received if rcpt.startswith(f"r{round_no}-"))
        partial_rounds += 0 < sent_by_child < BATCH

        report = app.outbox.send(ignore_send_time=True)  # the next run: settles and finishes the batch
        assert report.failed == []
        with log.lock:
            started_data = set(log.data_started)
            received = Counter(mid for _, mid in log.received)
        for note in batch:
            final = store.get(note.id or 0)
            assert final is not None
            # never lost: every approved note ends up sent, or uncertain for the user to decide
            assert final.state in {OutboxState.SENT, OutboxState.UNCERTAIN}, (round_no, final)
            # never twice
            assert received[note.message_id or ""] <= 1, (round_no, note.message_id)
            if final.state is OutboxState.SENT:
                assert received[note.message_id or ""] == 1, (round_no, note.message_id)
            else:
                # uncertain only when the kill fell between the DATA command and the server's reply
                assert note.to_address in started_data, (round_no, note.to_address)
                uncertain_total += 1
    assert all(count == 1 for count in Counter(mid for _, mid in log.received).values())
    # the kills did land while messages were going out, not only before or after
    assert partial_rounds >= 3, partial_rounds
    app.close()
    print(f"crash test: {ROUNDS} rounds, {partial_rounds} killed mid-batch, {uncertain_total} uncertain")
