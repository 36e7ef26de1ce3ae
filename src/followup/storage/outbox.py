"""SqlOutboxStore: the outbox's rows, and the lock that lets one sender run at a time."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from followup.domain.outbox import OutboxMessage, OutboxState
from followup.errors import ConflictError
from followup.storage.database import Database, Row
from followup.storage.sql import in_list

_FIELDS = (
    "touch_id, kind, state, person_id, opportunity_id, subject, body, from_name, from_address, to_name, "
    "to_address, in_reply_to, refs, message_id, date, send_after, attempts, next_attempt_at, last_error, "
    "edited, created_at, updated_at, sent_at"
)
_SAVE_DELIVERY = (
    "UPDATE outbox SET state = :state, attempts = :attempts, next_attempt_at = :next_attempt_at, "
    "last_error = :last_error, updated_at = :updated_at, sent_at = :sent_at WHERE id = :id"
)
_READY = "state = 'approved' AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
_STATE = {s.value: s for s in OutboxState}
_SENDER_LOCK_KEY = 0x466F5364  # "FoSd": one sender per database


class SqlOutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> Any:
        return self.db.transaction()

    def save(self, message: OutboxMessage) -> OutboxMessage:
        """Insert or update (by id) one message, committed when this returns outside a transaction."""
        values = _values(message)
        with self.transaction():
            if message.id is None:
                placeholders = ", ".join(":" + c for c in _FIELDS.split(", "))
                new_id = self.db.insert(
                    f"INSERT INTO outbox ({_FIELDS}) VALUES ({placeholders}) RETURNING id", values
                )
                return dataclasses.replace(message, id=new_id)
            self.db.execute(
                f"UPDATE outbox SET {', '.join(f'{c} = :{c}' for c in values)} WHERE id = :id",
                {**values, "id": message.id},
            )
        return message

    def save_delivery(self, message: OutboxMessage) -> None:
        """Only what sending changes (state, attempts, errors, times) of a stored message: the content
        and the indexed send time are left as they are."""
        with self.transaction():
            self.db.execute(_SAVE_DELIVERY, {
                "id": message.id, "state": message.state.value, "attempts": message.attempts,
                "next_attempt_at": message.next_attempt_at, "last_error": message.last_error,
                "updated_at": message.updated_at, "sent_at": message.sent_at,
            })  # fmt: skip

    def delete(self, message_id: int) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM outbox WHERE id = :id", {"id": message_id})

    def get(self, message_id: int) -> OutboxMessage | None:
        found = self._select("id = :id", {"id": message_id})
        return found[0] if found else None

    def of_touch(self, touch_id: int) -> OutboxMessage | None:
        found = self._select("touch_id = :t", {"t": touch_id})
        return found[0] if found else None

    def of_touches(self, touch_ids: Iterable[int]) -> dict[int, OutboxMessage]:
        ids = sorted(set(touch_ids))
        result: dict[int, OutboxMessage] = {}
        for start in range(0, len(ids), 500):
            fragment, params = in_list("t", ids[start : start + 500])
            for message in self._select(f"touch_id IN {fragment}", params):
                if message.touch_id is not None:
                    result[message.touch_id] = message
        return result

    def in_states(self, states: Iterable[OutboxState]) -> list[OutboxMessage]:
        fragment, params = in_list("s", [s.value for s in states])
        return self._select(f"state IN {fragment}", params)

    def ready(self, now: datetime, *, ignore_send_time: bool = False) -> list[OutboxMessage]:
        """Approved messages whose send time has come and whose back-off is over, oldest first."""
        clauses = [_READY]
        if not ignore_send_time:
            clauses.append("(send_after IS NULL OR send_after <= :now)")
        return self._select(" AND ".join(clauses), {"now": now})

    def count_ready(self, now: datetime) -> int:
        """How many `ready(now, ignore_send_time=True)` would give."""
        return int(self.db.scalar(f"SELECT count(*) FROM outbox WHERE {_READY}", {"now": now}))

    def _select(self, where: str, params: dict[str, Any]) -> list[OutboxMessage]:
        rows = self.db.all(f"SELECT id, {_FIELDS} FROM outbox WHERE {where} ORDER BY send_after, id", params)
        return [self._message(r) for r in rows]

    def _message(self, r: Row) -> OutboxMessage:
        dt = self.db.dt
        return OutboxMessage(
            id=r["id"],
            touch_id=r["touch_id"],
            kind=r["kind"],
            state=_STATE[r["state"]],
            person_id=r["person_id"],
            opportunity_id=r["opportunity_id"],
            subject=r["subject"],
            body=r["body"],
            from_name=r["from_name"],
            from_address=r["from_address"],
            to_name=r["to_name"],
            to_address=r["to_address"],
            in_reply_to=r["in_reply_to"],
            references=tuple(r["refs"].split()),
            message_id=r["message_id"],
            date=dt(r["date"]),
            send_after=dt(r["send_after"]),
            attempts=r["attempts"],
            next_attempt_at=dt(r["next_attempt_at"]),
            last_error=r["last_error"],
            edited=bool(r["edited"]),
            created_at=dt(r["created_at"]),
            updated_at=dt(r["updated_at"]),
            sent_at=dt(r["sent_at"]),
        )

    @contextlib.contextmanager
    def sender_lock(self) -> Iterator[None]:
        """Held while a sender works, so a second `followup send` (or worker) never sees another's
        `sending` rows as left over from a crash."""
        if self.db.dialect == "postgresql":
            got = self.db.scalar("SELECT pg_try_advisory_lock(:key)", {"key": _SENDER_LOCK_KEY})
            if not got:
                raise _busy()
            try:
                yield
            finally:
                self.db.execute("SELECT pg_advisory_unlock(:key)", {"key": _SENDER_LOCK_KEY})
            return
        # a lock file beside the database: never a descriptor of the database file itself (closing it
        # would drop SQLite's own POSIX locks in this process)
        path = f"{os.path.realpath(self.db.location.target)}.send-lock"
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy() from None
            yield
        finally:
            os.close(handle)


def _busy() -> ConflictError:
    return ConflictError(
        "Another `followup send` is running on this database.",
        hint="Wait for it to finish; it sends everything that is due.",
    )


def _values(m: OutboxMessage) -> dict[str, Any]:
    return {
        "touch_id": m.touch_id,
        "kind": m.kind,
        "state": m.state.value,
        "person_id": m.person_id,
        "opportunity_id": m.opportunity_id,
        "subject": m.subject,
        "body": m.body,
        "from_name": m.from_name,
        "from_address": m.from_address,
        "to_name": m.to_name,
        "to_address": m.to_address,
        "in_reply_to": m.in_reply_to,
        "refs": " ".join(m.references),
        "message_id": m.message_id,
        "date": m.date,
        "send_after": m.send_after,
        "attempts": m.attempts,
        "next_attempt_at": m.next_attempt_at,
        "last_error": m.last_error,
        "edited": m.edited,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
        "sent_at": m.sent_at,
    }
