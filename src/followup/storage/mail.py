"""SqlMailStore: where each folder's sync stopped, the suggestions, and which messages are already known."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from followup.domain.inbound import FolderState
from followup.domain.suggestions import Suggestion, SuggestionKind, SuggestionStatus
from followup.errors import StorageError
from followup.storage.database import Database, Row
from followup.storage.sql import in_list

_SUGGESTION_FIELDS = (
    "kind, status, message_id, occurred_at, created_at, decided_at, opportunity_id, person_id, "
    "interview_id, sender, sender_name, organisation, subject, snippet, because"
)
_KIND = {k.value: k for k in SuggestionKind}
_STATUS = {s.value: s for s in SuggestionStatus}
_CHUNK = 500


class SqlMailStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> Any:
        return self.db.transaction()

    # Folders -------------------------------------------------------------------------------------

    def folder_state(self, account: str, folder: str) -> FolderState | None:
        r = self.db.one(
            "SELECT uidvalidity, highest_uid, uidnext, highest_modseq FROM mail_folders "
            "WHERE account = :a AND folder = :f",
            {"a": account, "f": folder},
        )
        if r is None:
            return None
        return FolderState(r["uidvalidity"], r["highest_uid"], r["uidnext"], r["highest_modseq"])

    def save_folder_state(self, account: str, folder: str, state: FolderState, *, now: datetime) -> None:
        values = {"a": account, "f": folder, "now": now, **dataclasses.asdict(state)}
        with self.transaction():
            done = self.db.execute(
                "UPDATE mail_folders SET uidvalidity = :uidvalidity, highest_uid = :highest_uid, "
                "uidnext = :uidnext, highest_modseq = :highest_modseq, synced_at = :now "
                "WHERE account = :a AND folder = :f",
                values,
            )
            if not done.rowcount:
                self.db.execute(
                    "INSERT INTO mail_folders (account, folder, uidvalidity, highest_uid, uidnext, "
                    "highest_modseq, synced_at) VALUES (:a, :f, :uidvalidity, :highest_uid, :uidnext, "
                    ":highest_modseq, :now)",
                    values,
                )

    # Messages already read -----------------------------------------------------------------------

    def known_message_ids(self, message_ids: Sequence[str]) -> set[str]:
        """Which of these messages are already in the ledger or the suggestions (read before)."""
        found: set[str] = set()
        for start in range(0, len(message_ids), _CHUNK):
            fragment, params = in_list("m", list(message_ids[start : start + _CHUNK]))
            for r in self.db.all(
                f"SELECT message_id FROM interactions WHERE message_id IN {fragment} "
                f"UNION SELECT message_id FROM suggestions WHERE message_id IN {fragment}",
                params,
            ):
                found.add(r["message_id"])
        return found

    def sent_message_ids(self) -> set[str]:
        """Message-IDs the user sent and followup knows of (the ledger's outbound mail, the outbox)."""
        rows = self.db.all(
            "SELECT message_id FROM interactions WHERE message_id IS NOT NULL AND direction = 'out' "
            "UNION SELECT message_id FROM outbox WHERE message_id IS NOT NULL"
        )
        return {r["message_id"] for r in rows}

    # Suggestions ---------------------------------------------------------------------------------

    def add_suggestion(self, suggestion: Suggestion) -> int | None:
        """Store a suggestion; None when this message already gave one of this kind."""
        with self.transaction():
            exists = self.db.scalar(
                "SELECT id FROM suggestions WHERE message_id = :m AND kind = :k",
                {"m": suggestion.message_id, "k": suggestion.kind.value},
            )
            if exists is not None:
                return None
            placeholders = ", ".join(":" + c for c in _SUGGESTION_FIELDS.split(", "))
            return self.db.insert(
                f"INSERT INTO suggestions ({_SUGGESTION_FIELDS}) VALUES ({placeholders}) RETURNING id",
                _values(suggestion),
            )

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        found = self._select("id = :id", {"id": suggestion_id})
        return found[0] if found else None

    def suggestions(
        self, statuses: Iterable[SuggestionStatus] = (SuggestionStatus.PENDING,)
    ) -> list[Suggestion]:
        fragment, params = in_list("s", [s.value for s in statuses])
        return self._select(f"status IN {fragment}", params)

    def update_suggestion(self, suggestion: Suggestion) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE suggestions SET status = :status, decided_at = :decided_at, "
                "opportunity_id = :opportunity_id, person_id = :person_id, interview_id = :interview_id "
                "WHERE id = :id",
                {**_values(suggestion), "id": suggestion.id},
            )

    def _select(self, where: str, params: dict[str, Any]) -> list[Suggestion]:
        rows = self.db.all(
            f"SELECT id, {_SUGGESTION_FIELDS} FROM suggestions WHERE {where} ORDER BY occurred_at, id", params
        )
        return [self._suggestion(r) for r in rows]

    def _suggestion(self, r: Row) -> Suggestion:
        occurred = self.db.dt(r["occurred_at"])
        if occurred is None:
            raise StorageError(f"Suggestion {r['id']} has no time; the database is damaged.")
        return Suggestion(
            id=r["id"],
            kind=_KIND[r["kind"]],
            status=_STATUS[r["status"]],
            message_id=r["message_id"],
            occurred_at=occurred,
            created_at=self.db.dt(r["created_at"]),
            decided_at=self.db.dt(r["decided_at"]),
            opportunity_id=r["opportunity_id"],
            person_id=r["person_id"],
            interview_id=r["interview_id"],
            sender=r["sender"],
            sender_name=r["sender_name"],
            organisation=r["organisation"],
            subject=r["subject"],
            snippet=r["snippet"],
            because=r["because"],
        )


def _values(s: Suggestion) -> dict[str, Any]:
    return {
        "kind": s.kind.value,
        "status": s.status.value,
        "message_id": s.message_id,
        "occurred_at": s.occurred_at,
        "created_at": s.created_at,
        "decided_at": s.decided_at,
        "opportunity_id": s.opportunity_id,
        "person_id": s.person_id,
        "interview_id": s.interview_id,
        "sender": s.sender,
        "sender_name": s.sender_name,
        "organisation": s.organisation,
        "subject": s.subject,
        "snippet": s.snippet,
        "because": s.because,
    }
